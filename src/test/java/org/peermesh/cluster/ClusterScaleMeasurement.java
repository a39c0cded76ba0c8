package org.peermesh.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bench.Latencies;
import org.peermesh.bench.LightPeer;
import org.peermesh.bench.LightPeerCrowd;
import org.peermesh.bench.NodeProcess;
import org.peermesh.bus.BusAddresses;
import org.peermesh.mesh.wire.Auth;
import org.peermesh.mesh.wire.Hello;
import org.peermesh.mesh.wire.Ping;
import org.peermesh.mesh.wire.Pong;
import org.peermesh.mesh.wire.Request;
import org.peermesh.mesh.wire.Response;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.LocalPeerDirectory;
import org.peermesh.peer.PeerInfo;
import org.peermesh.selection.PeerSelection;
import org.peermesh.selection.SendSelection;
import org.peermesh.testing.TestCluster;
import org.peermesh.testing.TestNodes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A measurement, not a test: figures for the README's claim that registering thousands of peers does not slow the
 * cluster. Excluded from the default build by its tag; run it alone with
 *
 * <pre>
 * mvn -q test -Dtest=ClusterScaleMeasurement -Dsurefire.excludedGroups=
 * </pre>
 *
 * ({@code -Dsurefire.excludedGroups=} empties the pom's {@code measurement} exclusion; without it, or with
 * surefire's own {@code -DexcludedGroups=}, which the pom's explicit setting overrides, surefire silently runs no
 * test: "Tests run: 0", BUILD SUCCESS). On two cores it takes about 40 s with 1,000 peers per member (70 s with
 * 2,500) and prints its tables to stdout and to {@code target/cluster-scale.txt}. Knobs, as system properties passed
 * the same way: {@code -Dscale.peersPerMember=1000 -Dscale.calls=2000 -Dscale.warmup=500 -Dscale.syncInterval=5000}.
 *
 * <p>What runs: three members of one clustered node in this JVM ({@link TestCluster}: each its own clustered Vert.x
 * and Hazelcast instance), and {@code peersPerMember} real peers dialing each member from a separate, non-clustered
 * Vert.x. A peer here is a {@link WirePeer}: the wire protocol on a Vert.x socket (Hello, signed Auth, Pong for every
 * Ping, an echo Response for every Request), so thousands of them cost one socket each rather than a node each.
 *
 * <p>What is measured:
 * <ul>
 *   <li>registration: the time until every peer's handshake completed (peers/s, also per third of the peers, to see
 *   whether it slows as the directory grows), and until each member's directory ({@code getConnectedPeers()})
 *   lists every peer of every member;</li>
 *   <li>the heap the JVM keeps after GC for the peers (both ends of each connection live in this JVM);</li>
 *   <li>the latency of {@code sendToPeer} and {@code requestFromPeer} issued on member B to peers held by B and to
 *   peers held by A, and of {@code send} (to 16) with every peer in the directory. A command is a clustered
 *   event-bus send, which Vert.x hands to the members round robin, so each call is also broken down by how many
 *   cluster hops it took (issuer to the router that served it, router to the member holding the peer), known from an
 *   inbound interceptor on each member;</li>
 *   <li>whether a member's directory snapshot ever arrives older than updates the receiver already applied, which
 *   drops those peers from that member's directory until the next snapshot ({@link DirectoryWatch});</li>
 *   <li>alone on the test thread: a directory snapshot rebuild, the default send selection and one member's sync
 *   snapshot as JSON, with this many peers;</li>
 *   <li>the same commands on one node in one JVM (not clustered) with as many peers, as the local reference.</li>
 * </ul>
 */
@Tag("measurement")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterScaleMeasurement {

  private static final int MEMBERS = 3;
  private static final int PER_MEMBER = Integer.getInteger("scale.peersPerMember", 1000);
  private static final int TOTAL = MEMBERS * PER_MEMBER;
  private static final int CALLS = Integer.getInteger("scale.calls", 2000);
  private static final int WARMUP = Integer.getInteger("scale.warmup", 500);
  private static final long SYNC_INTERVAL = Long.getLong("scale.syncInterval",
      new ClusterOptions().getSyncInterval());
  /** Handshakes under way at once, from all peers together. */
  private static final int IN_FLIGHT = 64;
  /** Peers each latency run cycles through, so that no peer nears the member's message rate limit. */
  private static final int TARGETS = 200;
  private static final Duration PHASE_DEADLINE = Duration.ofMinutes(10);
  private static final String[] NAMES = {"A", "B", "C"};

  private static final StringBuilder REPORT = new StringBuilder();

  // ----------------------------------------------------------------------------------------------------- cluster

  @Test
  @Order(1)
  void clusterOfThreeMembers(@TempDir Path dir) throws Exception {
    line("== PeerMesh cluster scale measurement (%d cores, max heap %d MB, Java %s) ==",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.version"));
    TestCluster cluster = new TestCluster(dir.resolve("cluster"), MEMBERS);
    List<PeerMeshNode> members = new ArrayList<>();
    List<Vertx> memberVertx = new ArrayList<>();
    Vertx peerVertx = Vertx.vertx();
    NetClient client = peerVertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000).setTcpNoDelay(true));
    try {
      AtomicInteger router = new AtomicInteger(-1);
      BusAddresses addresses = new BusAddresses(TestCluster.PREFIX);
      Set<String> commands = Set.of(addresses.send(), addresses.sendToPeer(), addresses.requestFromPeer());
      List<DirectoryWatch> watches = new ArrayList<>();
      for (int i = 0; i < MEMBERS; i++) {
        NodeOptions options = memberOptions(cluster.memberOptions())
            .setCluster(new ClusterOptions().setSyncInterval(SYNC_INTERVAL));
        Vertx vertx = cluster.join(options.getCluster());
        int index = i;
        DirectoryWatch watch = new DirectoryWatch(((VertxInternal) vertx).clusterManager().getNodeId());
        watches.add(watch);
        vertx.eventBus().addInboundInterceptor(delivery -> {
          String address = delivery.message().address();
          if (commands.contains(address)) {
            router.set(index);
          } else if (address.equals(addresses.clusterDirectory())
              && delivery.message().body() instanceof JsonObject body) {
            watch.observe(body);
          }
          delivery.next();
        });
        PeerMeshNode member = PeerMeshNode.create(vertx, options);
        TestNodes.await(member.start());
        members.add(member);
        memberVertx.add(vertx);
      }
      line("members: %d in this JVM, one clustered Vert.x + Hazelcast each, syncInterval %d ms", MEMBERS,
          SYNC_INTERVAL);
      line("peers: %d per member, %d in all (wire-protocol peers on one non-clustered Vert.x, %d handshakes in flight)",
          PER_MEMBER, TOTAL, IN_FLIGHT);
      long heapBefore = NodeProcess.settledHeapBytes();

      List<WirePeer> peers = new ArrayList<>();
      for (int k = 0; k < TOTAL; k++) {
        peers.add(new WirePeer(k % MEMBERS));
      }
      Registration registration = register(peerVertx, client, peers, i -> members.get(i).listenAddress(), members);
      registration.print("cluster");

      Set<String> expected = peers.stream().map(WirePeer::peerId).collect(Collectors.toSet());
      for (PeerMeshNode member : members) {
        Set<String> listed = TestNodes.await(member.getConnectedPeers()).stream().map(PeerInfo::peerId)
            .collect(Collectors.toSet());
        assertEquals(expected, listed, "every member lists every peer");
      }
      int claims = TestNodes.await(memberVertx.get(0).sharedData()
          .<String, String>getAsyncMap(TestCluster.PREFIX + ".cluster.claims").compose(map -> map.size()));
      line("claims map (Hazelcast): %d entries", claims);
      long heapAfter = NodeProcess.settledHeapBytes();
      printHeap(heapBefore, heapAfter);

      PeerMeshNode b = members.get(1);
      List<WirePeer> ofA = peers.stream().filter(p -> p.member == 0).limit(TARGETS).toList();
      List<WirePeer> ofB = peers.stream().filter(p -> p.member == 1).limit(TARGETS).toList();
      JsonObject data = new JsonObject().put("n", 1);
      line("");
      line("latency in µs, all commands issued on member B, %d sequential calls after %d warm-up calls;", CALLS,
          WARMUP);
      line("peers cycled over %d per row (in turn); hops = cluster hops"
          + " (issuer->router + router->member holding the peer)", Math.min(TARGETS, PER_MEMBER));
      header();
      Latency.run("sendToPeer", "held by B (local)", 1, 1, router,
          i -> b.sendToPeer(ofB.get(i % ofB.size()).peerId(), "direct", data)).print();
      Latency.run("sendToPeer", "held by A (remote)", 1, 0, router,
          i -> b.sendToPeer(ofA.get(i % ofA.size()).peerId(), "direct", data)).print();
      Latency.run("requestFromPeer", "held by B (local)", 1, 1, router,
          i -> b.requestFromPeer(ofB.get(i % ofB.size()).peerId(), "echo", data)).print();
      Latency.run("requestFromPeer", "held by A (remote)", 1, 0, router,
          i -> b.requestFromPeer(ofA.get(i % ofA.size()).peerId(), "echo", data)).print();
      Latency.run("send (to 16)", TOTAL + " in directory", 1, -1, router,
          i -> b.send("sixteen", data)).print();
      long directMessages = (long) 2 * (WARMUP + CALLS);
      await().atMost(PHASE_DEADLINE).until(() -> sum(peers, "direct") >= directMessages);
      await().atMost(PHASE_DEADLINE).until(() -> sum(peers, "sixteen") >= 16L * (WARMUP + CALLS));
      line("delivered: %d sendToPeer messages, %d send messages, %d echo requests answered; peers still connected"
              + " to the members: %d", sum(peers, "direct"), sum(peers, "sixteen"),
          peers.stream().mapToLong(p -> p.peer.requestsAnswered()).sum(),
          peers.stream().filter(p -> !p.peer.isClosed()).count());
      assertEquals(TOTAL, TestNodes.await(b.getConnectedPeers()).size(), "no peer was lost during the runs");
      for (int i = 0; i < MEMBERS; i++) {
        line("directory sync messages received by member %s from the others: %s", NAMES[i], watches.get(i));
      }
      breakdown(TestNodes.await(b.getConnectedPeers()));

      long stopStart = System.nanoTime();
      TestNodes.await(Future.join(members.stream().map(PeerMeshNode::stop).toList()));
      line("stop: the 3 members stopped with their %d peers in %.1f s", TOTAL, seconds(System.nanoTime() - stopStart));
    } finally {
      members.stream().filter(PeerMeshNode::isActive).forEach(m -> TestNodes.await(m.stop()));
      cluster.close();
      // Closing the client here also keeps it reachable to the end: Vert.x 5 closes an unreachable client's sockets.
      TestNodes.await(client.close());
      TestNodes.await(peerVertx.close());
      writeReport();
    }
  }

  // ------------------------------------------------------------------------------------------- local reference

  @Test
  @Order(2)
  void oneNodeInOneJvm(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    Vertx peerVertx = Vertx.vertx();
    NetClient client = peerVertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000).setTcpNoDelay(true));
    TestNodes nodes = new TestNodes(vertx, dir);
    try {
      line("");
      line("== reference: one node in one JVM (not clustered), %d peers ==", TOTAL);
      NodeOptions options = TestNodes.withMesh(memberOptions(nodes.options()), meshOptions -> meshOptions
          .setMaxInbound(TOTAL + 100));
      PeerMeshNode node = nodes.start(options);
      long heapBefore = NodeProcess.settledHeapBytes();
      List<WirePeer> peers = new ArrayList<>();
      for (int k = 0; k < TOTAL; k++) {
        peers.add(new WirePeer(0));
      }
      register(peerVertx, client, peers, i -> node.listenAddress(), List.of(node)).print("one node");
      printHeap(heapBefore, NodeProcess.settledHeapBytes());
      List<WirePeer> targets = peers.subList(0, Math.min(TARGETS, peers.size()));
      JsonObject data = new JsonObject().put("n", 1);
      line("");
      line("latency in µs, %d sequential calls after %d warm-up calls, peers cycled over %d:", CALLS, WARMUP,
          targets.size());
      header();
      AtomicInteger noRouter = new AtomicInteger(-1);
      Latency.run("sendToPeer", "local", 0, 0, noRouter,
          i -> node.sendToPeer(targets.get(i % targets.size()).peerId(), "direct", data)).print();
      Latency.run("requestFromPeer", "local", 0, 0, noRouter,
          i -> node.requestFromPeer(targets.get(i % targets.size()).peerId(), "echo", data)).print();
      Latency.run("send (to 16)", TOTAL + " in directory", 0, -1, noRouter,
          i -> node.send("sixteen", data)).print();
      assertEquals(TOTAL, TestNodes.await(node.getConnectedPeers()).size(), "no peer was lost during the runs");
    } finally {
      nodes.close();
      // Closing the client here also keeps it reachable to the end: Vert.x 5 closes an unreachable client's sockets.
      TestNodes.await(client.close());
      TestNodes.await(peerVertx.close());
      TestNodes.await(vertx.close());
      writeReport();
    }
  }

  // ------------------------------------------------------------------------------------------------ registration

  /** A member's options for thousands of inbound peers, all from 127.0.0.1. */
  private static NodeOptions memberOptions(NodeOptions base) {
    return TestNodes.withMesh(base, meshOptions -> meshOptions
        .setMaxOutbound(0)
        .setMaxInbound(PER_MEMBER + 100)
        .setMaxPendingHandshakesPerIP(Math.max(4 * IN_FLIGHT, 16))
        .setMaxPendingHandshakes(Math.max(4 * IN_FLIGHT, 64)));
  }

  /** When each peer's handshake completed, and when each node's directory first listed every peer. */
  private record Registration(long startNanos, long[] doneNanos, long[] directoryNanos) {

    void print(String what) {
      long last = Arrays.stream(doneNanos).max().orElseThrow();
      line("registration (%s): %d handshakes in %.1f s = %.0f peers/s", what, doneNanos.length,
          seconds(last - startNanos), doneNanos.length / seconds(last - startNanos));
      long[] sorted = doneNanos.clone();
      Arrays.sort(sorted);
      StringBuilder thirds = new StringBuilder("  by thirds of the peers:");
      long from = startNanos;
      for (int t = 1; t <= 3; t++) {
        int end = sorted.length * t / 3;
        int begin = sorted.length * (t - 1) / 3;
        long until = sorted[end - 1];
        thirds.append(String.format(" %d-%d: %.0f peers/s;", begin + 1, end, (end - begin) / seconds(until - from)));
        from = until;
      }
      line("%s", thirds);
      StringBuilder listed = new StringBuilder("  every peer listed in the directory of:");
      for (int i = 0; i < directoryNanos.length; i++) {
        listed.append(String.format(" %s at %.1f s;", directoryNanos.length == 1 ? "the node" : "member " + NAMES[i],
            seconds(directoryNanos[i] - startNanos)));
      }
      line("%s", listed);
    }
  }

  /** Connects every peer to its node, {@link #IN_FLIGHT} at a time, and waits until every directory lists all. */
  private static Registration register(Vertx peerVertx, NetClient client, List<WirePeer> peers,
                                       IntFunction<PeerAddress> nodeOf, List<PeerMeshNode> nodes) throws Exception {
    long[] listed = new long[nodes.size()];
    LightPeerCrowd crowd = new LightPeerCrowd(peers.stream().map(p -> p.peer).toList());
    long start = System.nanoTime();
    Future<Void> connected = crowd.connect(peerVertx, client, k -> nodeOf.apply(peers.get(k).member), IN_FLIGHT);
    Throwable failure = connected.toCompletionStage().toCompletableFuture().handle((v, e) -> e)
        .get(PHASE_DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertTrue(failure == null, () -> failure.getMessage());
    await().atMost(PHASE_DEADLINE).pollInterval(Duration.ofMillis(20)).until(() -> {
      boolean complete = true;
      for (int i = 0; i < nodes.size(); i++) {
        if (listed[i] == 0) {
          if (TestNodes.await(nodes.get(i).getConnectedPeers()).size() == peers.size()) {
            listed[i] = System.nanoTime();
          } else {
            complete = false;
          }
        }
      }
      return complete;
    });
    return new Registration(start, crowd.connectEnds(), listed);
  }

  // ------------------------------------------------------------------------------------------------------ latency

  private static void header() {
    line("%-16s %-20s %-7s %6s %8s %8s %8s %8s %8s", "command", "target", "hops", "calls", "p50", "p90", "p99",
        "max", "mean");
  }

  /** The latencies of one run, overall and by the cluster hops each call took. */
  private record Latency(String command, String target, long[] nanos, int[] hops) {

    /**
     * Warm-up then {@link #CALLS} calls, each issued when the previous one completed, on the completing thread.
     *
     * @param issuer the index of the member issuing the calls; {@code holder} the index of the member holding the
     *               targets, -1 when a call reaches many; {@code router} set by the members' interceptors
     */
    static Latency run(String command, String target, int issuer, int holder,
                       AtomicInteger router, IntFunction<Future<?>> call) throws Exception {
      sequential(WARMUP, router, call);
      long[][] measured = sequential(CALLS, router, call);
      int[] hops = new int[CALLS];
      for (int i = 0; i < CALLS; i++) {
        int served = (int) measured[1][i];
        hops[i] = served < 0 ? 0 : (served != issuer ? 1 : 0) + (holder >= 0 && served != holder ? 1 : 0);
      }
      return new Latency(command, target, measured[0], hops);
    }

    private static long[][] sequential(int count, AtomicInteger router, IntFunction<Future<?>> call)
        throws Exception {
      long[] nanos = new long[count];
      long[] routers = new long[count];
      CompletableFuture<Void> done = new CompletableFuture<>();
      IntFunction<?>[] step = new IntFunction<?>[1];
      step[0] = i -> {
        if (i == count) {
          done.complete(null);
          return null;
        }
        router.set(-1);
        long start = System.nanoTime();
        Future<?> issued;
        try {
          issued = call.apply(i);
        } catch (RuntimeException e) {
          done.completeExceptionally(e);
          return null;
        }
        issued.onComplete(ar -> {
          nanos[i] = System.nanoTime() - start;
          routers[i] = router.get();
          if (ar.failed()) {
            done.completeExceptionally(ar.cause());
          } else {
            try {
              step[0].apply(i + 1);
            } catch (RuntimeException e) {
              done.completeExceptionally(e);
            }
          }
        });
        return null;
      };
      step[0].apply(0);
      done.get(PHASE_DEADLINE.toSeconds(), TimeUnit.SECONDS);
      return new long[][] {nanos, routers};
    }

    void print() {
      row(command, target, "all", nanos);
      Map<Integer, List<Long>> byHops = new TreeMap<>();
      for (int i = 0; i < nanos.length; i++) {
        byHops.computeIfAbsent(hops[i], h -> new ArrayList<>()).add(nanos[i]);
      }
      if (byHops.size() > 1) {
        byHops.forEach((h, values) -> row("", "", h + " hop" + (h == 1 ? "" : "s"),
            values.stream().mapToLong(Long::longValue).toArray()));
      }
    }

    private static void row(String command, String target, String hops, long[] values) {
      long[] sorted = values.clone();
      Arrays.sort(sorted);
      line("%-16s %-20s %-7s %6d %8.0f %8.0f %8.0f %8.0f %8.0f", command, target, hops, sorted.length,
          micros(Latencies.nearestRank(sorted, 50)), micros(Latencies.nearestRank(sorted, 90)),
          micros(Latencies.nearestRank(sorted, 99)), micros(sorted[sorted.length - 1]),
          micros((long) Arrays.stream(sorted).average().orElse(0)));
    }
  }

  /**
   * What a router and a member's directory do per call or per sync with this many peers, timed alone on this
   * thread: the directory's snapshot rebuilt after a change (every Pong changes a peer's latency), the default send
   * selection, and one member's directory snapshot as it travels (JSON encode on the sender, decode on the others).
   */
  private static void breakdown(List<PeerInfo> connected) {
    line("");
    line("cost breakdown, timed alone on the test thread with the %d connected peers of member B, µs:",
        connected.size());
    line("%-60s %6s %8s %8s %8s", "step", "runs", "p50", "p99", "max");
    LocalPeerDirectory directory = new LocalPeerDirectory();
    connected.forEach(directory::put);
    micro("directory snapshot rebuilt after one put (LocalPeerDirectory)", CALLS, i -> {
      directory.put(connected.get(i % connected.size()));
      return directory.connectedPeers().size();
    });
    micro("directory snapshot unchanged (no put since the last read)", CALLS, i -> directory.connectedPeers().size());
    SendSelection send = PeerSelection.defaults().send();
    micro("default send selection of 16 among all", CALLS, i -> send.select(connected, 16, "e").size());
    List<PeerInfo> ofOneMember = connected.subList(0, Math.min(PER_MEMBER, connected.size()));
    micro("one member's sync snapshot (" + ofOneMember.size() + " peers): build + encode JSON", 50, i -> {
      JsonArray peers = new JsonArray();
      ofOneMember.forEach(p -> peers.add(p.toJson()));
      return new JsonObject().put("peers", peers).toBuffer().length();
    });
    Buffer snapshot = new JsonObject().put("peers", new JsonArray(ofOneMember.stream().map(PeerInfo::toJson)
        .toList())).toBuffer();
    line("  (that snapshot is %d KB on the event bus)", snapshot.length() >> 10);
    micro("one member's sync snapshot (" + ofOneMember.size() + " peers): decode + PeerInfo", 50, i -> {
      int n = 0;
      for (Object entry : new JsonObject(snapshot).getJsonArray("peers")) {
        n += PeerInfo.fromJson((JsonObject) entry).port();
      }
      return n;
    });
  }

  private static void micro(String step, int runs, IntFunction<Integer> work) {
    long sink = 0;
    for (int i = 0; i < runs; i++) {
      sink += work.apply(i);
    }
    long[] nanos = new long[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      sink += work.apply(i);
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    line("%-60s %6d %8.0f %8.0f %8.0f%s", step, runs, micros(Latencies.nearestRank(nanos, 50)),
        micros(Latencies.nearestRank(nanos, 99)), micros(nanos[runs - 1]), sink == Long.MIN_VALUE ? " " : "");
  }

  // ------------------------------------------------------------------------------------------------------ helpers

  private static long sum(List<WirePeer> peers, String event) {
    return peers.stream().mapToLong(p -> p.messages.getOrDefault(event, new AtomicLong()).get()).sum();
  }

  private static void printHeap(long before, long after) {
    long delta = after - before;
    line("heap after GC: %d MB before the peers, %d MB with them: +%d MB, %.1f KB per peer (both ends of each"
        + " connection are in this JVM)", before >> 20, after >> 20, delta >> 20, delta / 1024.0 / TOTAL);
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static double micros(long nanos) {
    return nanos / 1e3;
  }

  private static synchronized void line(String format, Object... args) {
    String text = String.format(format, args);
    System.out.println(text);
    REPORT.append(text).append('\n');
  }

  private static synchronized void writeReport() {
    try {
      Files.writeString(Path.of("target", "cluster-scale.txt"), REPORT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What one member receives on the cluster directory address from the others, checked against itself: a snapshot
   * that lacks peers whose "put" arrived before it (with no "remove" since) was built before those puts and undoes
   * them, so that member does not list those peers until the sender's next snapshot.
   */
  static final class DirectoryWatch {

    private final String self;
    private final Map<String, Set<String>> known = new java.util.HashMap<>();
    private int puts;
    private int snapshots;
    private int staleSnapshots;
    private int undonePuts;

    DirectoryWatch(String self) {
      this.self = self;
    }

    synchronized void observe(JsonObject body) {
      String from = body.getString("member");
      if (from == null || from.equals(self)) {
        return;
      }
      Set<String> held = known.computeIfAbsent(from, f -> new java.util.HashSet<>());
      if (body.getJsonObject("put") != null) {
        puts++;
        held.add(body.getJsonObject("put").getString("peerId"));
      } else if (body.getString("remove") != null) {
        held.remove(body.getString("remove"));
      } else if (body.getJsonArray("peers") != null) {
        snapshots++;
        Set<String> listed = body.getJsonArray("peers").stream()
            .map(entry -> ((JsonObject) entry).getString("peerId")).collect(Collectors.toSet());
        long undone = held.stream().filter(id -> !listed.contains(id)).count();
        if (undone > 0) {
          staleSnapshots++;
          undonePuts += (int) undone;
        }
        known.put(from, new java.util.HashSet<>(listed));
      }
    }

    @Override
    public synchronized String toString() {
      return String.format("%d puts, %d snapshots, of which %d older than puts already received (undoing %d of them)",
          puts, snapshots, staleSnapshots, undonePuts);
    }
  }

  // ---------------------------------------------------------------------------------------------------- the peer

  /** A light peer of the measurement, with the member it connects to and what it received per event. */
  static final class WirePeer {

    final int member;
    final LightPeer peer = new LightPeer(TestNodes.NETWORK);
    final Map<String, AtomicLong> messages = new java.util.concurrent.ConcurrentHashMap<>();

    WirePeer(int member) {
      this.member = member;
      peer.onMessage(app -> messages.computeIfAbsent(app.event(), e -> new AtomicLong()).incrementAndGet());
    }

    String peerId() {
      return peer.peerId();
    }
  }
}
