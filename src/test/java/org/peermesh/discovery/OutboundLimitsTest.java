package org.peermesh.discovery;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.PeerEvent;
import org.peermesh.mesh.PeerPool;
import org.peermesh.net.NetGroups;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.PeerInfo;
import org.peermesh.selection.ConnectionSelection;
import org.peermesh.selection.PeerSelection;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LIP 0004's outbound limits, between real nodes on distinct loopback addresses: at most
 * {@link PeerPool#MAX_OUTBOUND_PER_NETGROUP} outbound connections per netgroup (IPv4 /16) and one connection per IP
 * when local addresses are not exempt, neither when they are; blacklisted and banned addresses are never dialed.
 *
 * <p>Linux routes all of 127.0.0.0/8 to loopback, and a node with a non-wildcard host dials from that host, so each
 * node here has its own address and 127.a.b.c falls in netgroup 127.a. The node under test, A, dials from two
 * sources, and each test feeds both a candidate the pool must refuse: its seeds, which discovery dials again every
 * {@value #FALLBACK_SEED_MS} ms while slots are free, and its peer book, from which the populator offers the
 * addresses that other nodes advertised (never the seeds) every {@value #POPULATOR_MS} ms. Every other node keeps
 * still after its start (no populator, no seed rounds, no shuffle), so that only A's choices are observed. How long A
 * is watched is counted in populator rounds, observed through a recording connection selection; nothing waits for
 * or asserts on wall-clock time.
 */
@ExtendWith(VertxExtension.class)
class OutboundLimitsTest {

  private static final String A_HOST = "127.9.0.1";
  private static final int POPULATOR_MS = 200;
  private static final int FALLBACK_SEED_MS = 500;
  /** Long enough to never fire during a test. */
  private static final int NEVER_MS = 3_600_000;
  /**
   * Populator rounds watched once A has settled; the timers run side by side, so these span at least four rounds of
   * dialing the seeds again.
   */
  private static final int ROUNDS_WATCHED = 12;

  // ------------------------------------------------------------------------------------------ per netgroup

  @Test
  void atMostThreeOutboundIntoOneNetgroupWhenLocalAddressesAreNotExempt(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      Mesh mesh = startMesh(nodes);
      RecordingSelection selection = new RecordingSelection();
      NodeOptions aOptions = TestNodes.withMesh(nodeUnderTest(nodes), meshOptions -> meshOptions
          .setExemptLocalAddresses(false)
          .setSeedPeers(mesh.seedsOfA()));
      OutboundTracker byNetgroup = OutboundTracker.start(vertx, aOptions, NetGroups::of);
      PeerMeshNode a = nodes.start(aOptions, PeerSelection.defaults().withConnection(selection));

      String group = NetGroups.of("127.1.0.1");
      String other = NetGroups.of("127.2.0.1");
      await().atMost(TestNodes.DEADLINE).until(() -> outboundByNetgroup(a).equals(Map.of(group, 3L, other, 1L)));

      // The two seeds in 127.1 that A is not connected to are dialed again every seed round; the two 127.1 nodes A
      // heard of from the 127.2 node are offered by every populator round. The pool must refuse all four each time.
      Set<PeerAddress> connected = outboundAddresses(a);
      assertEquals(2, mesh.seeds().stream().filter(p -> !connected.contains(p)).count(), "connected: " + connected);
      selection.awaitRounds(ROUNDS_WATCHED, offered -> offered.containsAll(mesh.advertisedAddresses()));

      assertEquals(Map.of(group, 3L, other, 1L), outboundByNetgroup(a));
      assertEquals(3, byNetgroup.max(group), "most outbound into " + group + " at any moment: " + byNetgroup);
      assertEquals(1, byNetgroup.max(other), byNetgroup.toString());
      assertEquals(3, byNetgroup.connects(group), "a connection into " + group + " was made and replaced: " + byNetgroup);
      // The refused addresses were never dialed at all: those nodes never saw A.
      List<PeerMeshNode> group127x1 = mesh.group127x1();
      for (int i = 0; i < group127x1.size(); i++) {
        long fromA = mesh.inbound.get(i).stream().filter(e -> A_HOST.equals(e.getString("host"))).count();
        boolean dialed = connected.contains(group127x1.get(i).listenAddress());
        assertEquals(dialed ? 1 : 0, fromA, "inbound connections from A at " + group127x1.get(i).listenAddress());
      }
    }
  }

  @Test
  void localAddressesAreExemptByDefault(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      Mesh mesh = startMesh(nodes);
      NodeOptions aOptions = TestNodes.withMesh(nodeUnderTest(nodes), meshOptions -> meshOptions
          .setSeedPeers(mesh.seedsOfA()));
      assertTrue(aOptions.getMesh().isExemptLocalAddresses());
      OutboundTracker byNetgroup = OutboundTracker.start(vertx, aOptions, NetGroups::of);
      PeerMeshNode a = nodes.start(aOptions);

      // All five seeds in 127.1, the 127.2 seed, and the two 127.1 nodes it advertises.
      String group = NetGroups.of("127.1.0.1");
      String other = NetGroups.of("127.2.0.1");
      await().atMost(TestNodes.DEADLINE).until(() -> outboundByNetgroup(a).equals(Map.of(group, 7L, other, 1L)));
      assertTrue(outboundAddresses(a).containsAll(mesh.seedsOfA()));
      // The connect events trail the directory a little: wait for the tracker to have seen every connection.
      await().atMost(TestNodes.DEADLINE).until(() -> byNetgroup.connects(group) >= 7);
      assertEquals(7, byNetgroup.max(group), byNetgroup.toString());
    }
  }

  // ------------------------------------------------------------------------------------------------ per IP

  @Test
  void oneConnectionPerIpWhenLocalAddressesAreNotExempt(Vertx vertx, @TempDir Path dir) {
    String shared = "127.3.0.1";
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode x1 = nodes.start(acceptor(nodes, shared));
      PeerMeshNode x2 = nodes.start(still(nodes.options(meshOptions -> meshOptions
          .setListen(new PeerAddress(shared, 0))
          .setSeedPeers(List.of(x1.listenAddress())))));
      // A third node on the IP, not a seed of A: x1 and x2 know it from its connections, and advertise it to A.
      PeerMeshNode x3 = nodes.start(still(nodes.options(meshOptions -> meshOptions
          .setListen(new PeerAddress(shared, 0))
          .setSeedPeers(List.of(x1.listenAddress(), x2.listenAddress())))));
      TestNodes.awaitConnected(x2, x1);
      TestNodes.awaitConnected(x3, x1);
      TestNodes.awaitConnected(x3, x2);

      RecordingSelection selection = new RecordingSelection();
      NodeOptions aOptions = TestNodes.withMesh(nodeUnderTest(nodes), meshOptions -> meshOptions
          .setExemptLocalAddresses(false)
          .setSeedPeers(List.of(x1.listenAddress(), x2.listenAddress())));
      OutboundTracker byIp = OutboundTracker.start(vertx, aOptions, Function.identity());
      PeerMeshNode a = nodes.start(aOptions, PeerSelection.defaults().withConnection(selection));

      await().atMost(TestNodes.DEADLINE).until(() -> outboundAddresses(a).size() == 1);
      PeerAddress chosen = outboundAddresses(a).iterator().next();
      PeerMeshNode refusedSeed = chosen.equals(x1.listenAddress()) ? x2 : x1;
      selection.awaitRounds(ROUNDS_WATCHED, offered -> offered.contains(x3.listenAddress()));

      assertEquals(Set.of(chosen), outboundAddresses(a));
      assertEquals(1, byIp.max(shared), byIp.toString());
      assertEquals(1, byIp.connects(shared), byIp.toString());
      assertFalse(isConnectedTo(refusedSeed, a), "the other seed on " + shared + " was connected to A");
      assertFalse(isConnectedTo(x3, a), "the advertised node on " + shared + " was connected to A");
    }
  }

  // ----------------------------------------------------------------------------------- blacklisted, banned

  @Test
  void blacklistedAddressIsNeverDialed(Vertx vertx, @TempDir Path dir) {
    String blacklistedHost = "127.7.0.1";
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      // On the blacklisted IP: a seed of A, and a node that y advertises to A.
      List<PeerMeshNode> blacklisted = new ArrayList<>();
      List<List<JsonObject>> reachedBlacklisted = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        NodeOptions options = acceptor(nodes, blacklistedHost);
        reachedBlacklisted.add(nodes.events(options, PeerEvent.NEW_INBOUND_PEER));
        reachedBlacklisted.add(nodes.events(options, PeerEvent.FAILED_TO_ADD_INBOUND_PEER));
        blacklisted.add(nodes.start(options));
      }
      PeerMeshNode seed = blacklisted.get(0);
      PeerMeshNode advertised = blacklisted.get(1);
      PeerMeshNode y = nodes.start(still(nodes.options(meshOptions -> meshOptions
          .setListen(new PeerAddress("127.7.0.2", 0))
          .setSeedPeers(List.of(seed.listenAddress(), advertised.listenAddress())))));
      TestNodes.awaitConnected(y, seed);
      TestNodes.awaitConnected(y, advertised);
      PeerMeshNode z = nodes.start(acceptor(nodes, "127.8.0.1"));

      RecordingSelection selection = new RecordingSelection();
      NodeOptions aOptions = TestNodes.withMesh(nodeUnderTest(nodes), meshOptions -> meshOptions
          .setBlacklistedIPs(List.of(blacklistedHost))
          .setSeedPeers(List.of(seed.listenAddress(), y.listenAddress(), z.listenAddress())));
      List<JsonObject> connects = nodes.events(aOptions, PeerEvent.CONNECT_OUTBOUND);
      List<JsonObject> aborts = nodes.events(aOptions, PeerEvent.CONNECT_ABORT_OUTBOUND);
      PeerMeshNode a = nodes.start(aOptions, PeerSelection.defaults().withConnection(selection));

      await().atMost(TestNodes.DEADLINE).until(() -> isConnectedTo(a, y) && isConnectedTo(a, z));
      selection.awaitRounds(ROUNDS_WATCHED, offered -> offered.contains(advertised.listenAddress()));

      Predicate<JsonObject> aboutBlacklisted = e -> blacklistedHost.equals(e.getString("host"));
      assertTrue(connects.stream().noneMatch(aboutBlacklisted), "connected to a blacklisted address: " + connects);
      assertTrue(aborts.stream().noneMatch(aboutBlacklisted), "dialed a blacklisted address: " + aborts);
      assertEquals(Set.of(y.listenAddress(), z.listenAddress()), outboundAddresses(a));
      Predicate<JsonObject> fromA = e -> A_HOST.equals(e.getString("host"));
      for (List<JsonObject> events : reachedBlacklisted) {
        assertTrue(events.stream().noneMatch(fromA), "A reached a blacklisted node: " + events);
      }
    }
  }

  /**
   * Three nodes on one IP, two of them seeds of A, the third advertised to A by a fourth seed elsewhere; A bans the
   * seed on that IP it connected to first. Not exempt, the ban is by IP: nothing on that IP is dialed afterwards,
   * not even the other seed (never dialed before: the one-per-IP rule held it back). Exempt, the ban is by peer id:
   * the banned seed is not dialed again, and the other two nodes on its IP stay connected.
   */
  @ParameterizedTest(name = "exemptLocalAddresses={0}")
  @ValueSource(booleans = {false, true})
  void bannedSeedIsNotDialedAgain(boolean exempt, Vertx vertx, @TempDir Path dir) {
    String bannedHost = "127.7.0.1";
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      List<PeerMeshNode> onBannedHost = new ArrayList<>();
      List<List<JsonObject>> inboundOnBannedHost = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        NodeOptions options = acceptor(nodes, bannedHost);
        inboundOnBannedHost.add(nodes.events(options, PeerEvent.NEW_INBOUND_PEER));
        onBannedHost.add(nodes.start(options));
      }
      // y is connected to all three, and gives A their addresses in every getPeers answer.
      PeerMeshNode y = nodes.start(still(nodes.options(meshOptions -> meshOptions
          .setListen(new PeerAddress("127.7.0.2", 0))
          .setSeedPeers(onBannedHost.stream().map(PeerMeshNode::listenAddress).toList()))));
      onBannedHost.forEach(x -> TestNodes.awaitConnected(y, x));
      PeerMeshNode advertised = onBannedHost.get(2);

      RecordingSelection selection = new RecordingSelection();
      NodeOptions aOptions = TestNodes.withMesh(nodeUnderTest(nodes), meshOptions -> meshOptions
          .setExemptLocalAddresses(exempt)
          .setSeedPeers(List.of(onBannedHost.get(0).listenAddress(), onBannedHost.get(1).listenAddress(),
              y.listenAddress())));
      List<JsonObject> connects = nodes.events(aOptions, PeerEvent.CONNECT_OUTBOUND);
      List<JsonObject> aborts = nodes.events(aOptions, PeerEvent.CONNECT_ABORT_OUTBOUND);
      List<JsonObject> closes = nodes.events(aOptions, PeerEvent.CLOSE_OUTBOUND);
      PeerMeshNode a = nodes.start(aOptions, PeerSelection.defaults().withConnection(selection));
      int expectedOutbound = exempt ? 4 : 2;
      await().atMost(TestNodes.DEADLINE).until(() -> isConnectedTo(a, y)
          && outboundAddresses(a).size() == expectedOutbound);

      int bannedIndex = isConnectedTo(a, onBannedHost.get(0)) ? 0 : 1;
      PeerMeshNode banned = onBannedHost.get(bannedIndex);
      PeerMeshNode otherSeed = onBannedHost.get(1 - bannedIndex);
      JsonObject answer = (JsonObject) TestNodes.await(vertx.eventBus().request(a.addresses().applyPenalty(),
          new JsonObject().put("peerId", banned.peerId()).put("penalty", PeerInfo.INITIAL_REPUTATION))).body();
      assertTrue(answer.getBoolean("banned"), answer.encode());
      await().atMost(TestNodes.DEADLINE).until(() -> closes.stream()
          .anyMatch(e -> banned.peerId().equals(e.getString("peerId"))
              && e.getInteger("code") == DisconnectReason.BANNED.code()));
      int connectsAtBan = connects.size();
      int roundsAtBan = selection.rounds().size();
      selection.awaitRounds(ROUNDS_WATCHED, offered -> true);

      if (exempt) {
        assertEquals(Set.of(otherSeed.listenAddress(), advertised.listenAddress(), y.listenAddress()),
            outboundAddresses(a));
      } else {
        assertEquals(Set.of(y.listenAddress()), outboundAddresses(a));
        assertTrue(connects.stream().skip(connectsAtBan).noneMatch(e -> bannedHost.equals(e.getString("host"))),
            "connected to the banned IP again: " + connects);
        assertTrue(aborts.stream().noneMatch(e -> bannedHost.equals(e.getString("host"))),
            "dialed the banned IP again: " + aborts);
        // y keeps advertising the third node, but an address on a banned IP stays out of the peer book.
        assertTrue(selection.rounds().stream().skip(roundsAtBan).flatMap(List::stream)
                .noneMatch(p -> p.host().equals(bannedHost)),
            "an address on the banned IP came back into the peer book: " + selection.rounds());
        for (int i = 0; i < 3; i++) {
          long fromA = inboundOnBannedHost.get(i).stream().filter(e -> A_HOST.equals(e.getString("host"))).count();
          assertEquals(i == bannedIndex ? 1 : 0, fromA, "connections from A to " + onBannedHost.get(i).listenAddress());
        }
      }

      Predicate<JsonObject> aboutBanned = e -> bannedHost.equals(e.getString("host"))
          && e.getInteger("port") == banned.listenAddress().port();
      assertEquals(1, connects.stream().filter(aboutBanned).count(), "connections to the banned seed: " + connects);
      assertTrue(aborts.stream().noneMatch(aboutBanned), "dialed the banned seed again: " + aborts);
      assertFalse(isConnectedTo(a, banned));
      assertEquals(1, inboundOnBannedHost.get(bannedIndex).stream().filter(e -> A_HOST.equals(e.getString("host")))
          .count(), "connections from A seen by the banned seed: " + inboundOnBannedHost.get(bannedIndex));
    }
  }

  // ---------------------------------------------------------------------------------------------- helpers

  /**
   * Five nodes at 127.1.0.1-5 (A's seeds in 127.1) and two at 127.1.0.6-7 (not A's seeds), all of them only
   * accepting; and one at 127.2.0.1, connected to all seven, which advertises them to A.
   */
  private record Mesh(List<PeerMeshNode> group127x1, List<List<JsonObject>> inbound, PeerMeshNode other) {

    List<PeerAddress> seeds() {
      return group127x1.subList(0, 5).stream().map(PeerMeshNode::listenAddress).toList();
    }

    List<PeerAddress> advertisedAddresses() {
      return group127x1.subList(5, 7).stream().map(PeerMeshNode::listenAddress).toList();
    }

    List<PeerAddress> seedsOfA() {
      return Stream.concat(seeds().stream(), Stream.of(other.listenAddress())).toList();
    }
  }

  private static Mesh startMesh(TestNodes nodes) {
    List<PeerMeshNode> group = new ArrayList<>();
    List<List<JsonObject>> inbound = new ArrayList<>();
    for (int i = 1; i <= 7; i++) {
      NodeOptions options = acceptor(nodes, "127.1.0." + i);
      inbound.add(nodes.events(options, PeerEvent.NEW_INBOUND_PEER));
      group.add(nodes.start(options));
    }
    // Exempt (the default): it connects to all seven, and so has them all in its peer book to advertise.
    PeerMeshNode other = nodes.start(still(nodes.options(meshOptions -> meshOptions
        .setListen(new PeerAddress("127.2.0.1", 0))
        .setSeedPeers(group.stream().map(PeerMeshNode::listenAddress).toList()))));
    await().atMost(TestNodes.DEADLINE).until(() -> outboundAddresses(other).size() == group.size());
    return new Mesh(group, inbound, other);
  }

  /** A's options: at 127.9.0.1, discovery quick, no shuffle. */
  private static NodeOptions nodeUnderTest(TestNodes nodes) {
    return nodes.options(meshOptions -> meshOptions
        .setListen(new PeerAddress(A_HOST, 0))
        .setPopulatorInterval(POPULATOR_MS)
        .setFallbackSeedPeerDiscoveryInterval(FALLBACK_SEED_MS)
        .setOutboundShuffleInterval(NEVER_MS));
  }

  /** A node that only accepts connections. */
  private static NodeOptions acceptor(TestNodes nodes, String host) {
    return still(nodes.options(meshOptions -> meshOptions
        .setListen(new PeerAddress(host, 0))
        .setMaxOutbound(0)));
  }

  /** No discovery rounds after start: the node dials its seeds once and keeps what it has. */
  private static NodeOptions still(NodeOptions options) {
    return TestNodes.withMesh(options, meshOptions -> meshOptions
        .setPopulatorInterval(NEVER_MS)
        .setFallbackSeedPeerDiscoveryInterval(NEVER_MS)
        .setOutboundShuffleInterval(NEVER_MS));
  }

  private static List<PeerInfo> connected(PeerMeshNode node) {
    return TestNodes.await(node.getConnectedPeers());
  }

  private static Set<PeerAddress> outboundAddresses(PeerMeshNode node) {
    return connected(node).stream().filter(p -> p.direction() == Direction.OUTBOUND).map(PeerInfo::address)
        .collect(Collectors.toSet());
  }

  private static Map<String, Long> outboundByNetgroup(PeerMeshNode node) {
    return connected(node).stream().filter(p -> p.direction() == Direction.OUTBOUND)
        .collect(Collectors.groupingBy(p -> NetGroups.of(p.host()), Collectors.counting()));
  }

  private static boolean isConnectedTo(PeerMeshNode node, PeerMeshNode peer) {
    return connected(node).stream().anyMatch(p -> p.peerId().equals(peer.peerId()));
  }

  /** The default connection selection, recording what it offered the pool in each populator round. */
  private static final class RecordingSelection implements ConnectionSelection {

    private final ConnectionSelection delegate = PeerSelection.defaults().connection();
    private final List<List<PeerAddress>> rounds = new CopyOnWriteArrayList<>();

    @Override
    public List<PeerAddress> select(List<PeerAddress> newPeers, List<PeerAddress> triedPeers, int peerLimit) {
      List<PeerAddress> chosen = delegate.select(newPeers, triedPeers, peerLimit);
      rounds.add(chosen);
      return chosen;
    }

    List<List<PeerAddress>> rounds() {
      return List.copyOf(rounds);
    }

    /** Waits until {@code count} rounds from now on have offered the pool candidates that match. */
    void awaitRounds(int count, Predicate<List<PeerAddress>> matching) {
      int from = rounds.size();
      await().atMost(TestNodes.DEADLINE).until(() -> rounds().stream().skip(from).filter(matching).count() >= count);
    }
  }

  /**
   * A's outbound connections counted per key (netgroup, IP) from its connectOutbound and closeOutbound events, with
   * the most ever open at once. Both consumers run on one context, and a connection's two events are published from
   * its own context in order, so the running count never misses a close.
   */
  private static final class OutboundTracker {

    private final Function<String, String> keyOf;
    private final Map<String, Integer> open = new HashMap<>();
    private final Map<String, Integer> max = new HashMap<>();
    private final Map<String, Integer> connects = new HashMap<>();

    private OutboundTracker(Function<String, String> keyOf) {
      this.keyOf = keyOf;
    }

    static OutboundTracker start(Vertx vertx, NodeOptions options, Function<String, String> keyOf) {
      OutboundTracker tracker = new OutboundTracker(keyOf);
      BusAddresses addresses = new BusAddresses(options.getBusPrefix());
      Context context = vertx.getOrCreateContext();
      Promise<Void> registered = Promise.promise();
      context.runOnContext(v -> Future.all(
              vertx.eventBus().<JsonObject>consumer(addresses.event(PeerEvent.CONNECT_OUTBOUND), tracker::connected)
                  .completion(),
              vertx.eventBus().<JsonObject>consumer(addresses.event(PeerEvent.CLOSE_OUTBOUND), tracker::closed)
                  .completion())
          .<Void>mapEmpty().onComplete(registered));
      TestNodes.await(registered.future());
      return tracker;
    }

    private synchronized void connected(Message<JsonObject> event) {
      String key = keyOf.apply(event.body().getString("host"));
      int now = open.merge(key, 1, Integer::sum);
      max.merge(key, now, Math::max);
      connects.merge(key, 1, Integer::sum);
    }

    private synchronized void closed(Message<JsonObject> event) {
      open.merge(keyOf.apply(event.body().getString("host")), -1, Integer::sum);
    }

    synchronized int max(String key) {
      return max.getOrDefault(key, 0);
    }

    synchronized int connects(String key) {
      return connects.getOrDefault(key, 0);
    }

    @Override
    public synchronized String toString() {
      return "open " + open + ", max " + max + ", connects " + connects;
    }
  }
}
