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
import org.peermesh.node.Direction;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerAddress;
import org.peermesh.node.PeerInfo;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.PeerPool;
import org.peermesh.selection.ConnectionSelection;
import org.peermesh.selection.PeerSelection;
import org.peermesh.testing.TestNodes;
import org.peermesh.wire.DisconnectReason;

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
 * node here has its own address and 127.a.b.c falls in netgroup 127.a. The node under test, A, runs its populator
 * every 200 ms and asks its seeds again every 500 ms; every other node keeps still (no populator, no seed rounds, no
 * shuffle), so that only A's choices are observed. How long A is watched is counted in populator rounds, observed
 * through a recording connection selection, never in wall-clock time.
 */
@ExtendWith(VertxExtension.class)
class OutboundLimitsTest {

  private static final String A_HOST = "127.9.0.1";
  private static final int POPULATOR_MS = 200;
  private static final int FALLBACK_SEED_MS = 500;
  /** Long enough to never fire during a test. */
  private static final int NEVER_MS = 3_600_000;
  /** Populator rounds watched after A has settled: at 200/500 ms, at least 4 rounds of asking the seeds again. */
  private static final int ROUNDS_WATCHED = 12;

  // ------------------------------------------------------------------------------------------ per netgroup

  @Test
  void atMostThreeOutboundIntoOneNetgroupWhenLocalAddressesAreNotExempt(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      Mesh mesh = startMesh(nodes);
      List<PeerAddress> seeds = new ArrayList<>(mesh.groupAddresses());
      seeds.add(mesh.other.listenAddress());

      RecordingSelection selection = new RecordingSelection();
      NodeOptions aOptions = nodeUnderTest(nodes).setExemptLocalAddresses(false).setSeedPeers(seeds);
      OutboundTracker byNetgroup = OutboundTracker.start(vertx, aOptions, NetGroups::of);
      PeerMeshNode a = nodes.start(aOptions, PeerSelection.defaults().withConnection(selection));

      String group = NetGroups.of("127.1.0.1");
      String other = NetGroups.of("127.2.0.1");
      await().atMost(TestNodes.DEADLINE).until(() -> outboundByNetgroup(a).equals(Map.of(group, 3L, other, 1L)));

      // A knows the two 127.1 nodes it is not connected to (they are seeds, and the 127.2 node advertises them):
      // watch its populator offer them round after round while the pool keeps refusing a fourth into 127.1.
      Set<PeerAddress> connected = outboundAddresses(a);
      List<PeerAddress> left = mesh.groupAddresses().stream().filter(p -> !connected.contains(p)).toList();
      assertEquals(2, left.size(), "connected: " + connected);
      selection.awaitRounds(ROUNDS_WATCHED, offered -> offered.containsAll(left));

      assertEquals(Map.of(group, 3L, other, 1L), outboundByNetgroup(a));
      assertEquals(3, byNetgroup.max(group), "most outbound into " + group + " at any moment: " + byNetgroup);
      assertEquals(1, byNetgroup.max(other), byNetgroup.toString());
      assertEquals(3, byNetgroup.connects(group), "a connection into " + group + " was made and replaced: " + byNetgroup);
      // The refused addresses were never dialed at all: those nodes never saw A.
      for (int i = 0; i < mesh.group.size(); i++) {
        long fromA = mesh.groupInbound.get(i).stream().filter(e -> A_HOST.equals(e.getString("host"))).count();
        boolean dialed = connected.contains(mesh.group.get(i).listenAddress());
        assertEquals(dialed ? 1 : 0, fromA, "inbound connections from A at " + mesh.group.get(i).listenAddress());
      }
    }
  }

  @Test
  void localAddressesAreExemptByDefault(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      Mesh mesh = startMesh(nodes);
      List<PeerAddress> seeds = new ArrayList<>(mesh.groupAddresses());
      seeds.add(mesh.other.listenAddress());

      NodeOptions aOptions = nodeUnderTest(nodes).setSeedPeers(seeds);
      assertTrue(aOptions.isExemptLocalAddresses());
      OutboundTracker byNetgroup = OutboundTracker.start(vertx, aOptions, NetGroups::of);
      PeerMeshNode a = nodes.start(aOptions);

      String group = NetGroups.of("127.1.0.1");
      String other = NetGroups.of("127.2.0.1");
      await().atMost(TestNodes.DEADLINE).until(() -> outboundByNetgroup(a).equals(Map.of(group, 5L, other, 1L)));
      assertEquals(Set.copyOf(seeds), outboundAddresses(a));
      assertEquals(5, byNetgroup.max(group), byNetgroup.toString());
    }
  }

  // ------------------------------------------------------------------------------------------------ per IP

  @Test
  void oneConnectionPerIpWhenLocalAddressesAreNotExempt(Vertx vertx, @TempDir Path dir) {
    String shared = "127.3.0.1";
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode x1 = nodes.start(acceptor(nodes, shared));
      // x2 connects to x1, so that each knows the other and tells A of it: A's populator then offers both.
      PeerMeshNode x2 = nodes.start(still(nodes.options().setHost(shared).setSeedPeers(List.of(x1.listenAddress()))));
      TestNodes.awaitConnected(x2, x1);
      assertEquals(x1.listenAddress().host(), x2.listenAddress().host());

      RecordingSelection selection = new RecordingSelection();
      NodeOptions aOptions = nodeUnderTest(nodes).setExemptLocalAddresses(false)
          .setSeedPeers(List.of(x1.listenAddress(), x2.listenAddress()));
      OutboundTracker byIp = OutboundTracker.start(vertx, aOptions, Function.identity());
      PeerMeshNode a = nodes.start(aOptions, PeerSelection.defaults().withConnection(selection));

      await().atMost(TestNodes.DEADLINE).until(() -> outboundAddresses(a).size() == 1);
      PeerAddress chosen = outboundAddresses(a).iterator().next();
      PeerAddress refused = chosen.equals(x1.listenAddress()) ? x2.listenAddress() : x1.listenAddress();
      selection.awaitRounds(ROUNDS_WATCHED, offered -> offered.contains(refused));

      assertEquals(Set.of(chosen), outboundAddresses(a));
      assertEquals(1, byIp.max(shared), byIp.toString());
      assertEquals(1, byIp.connects(shared), byIp.toString());
      PeerMeshNode refusedNode = refused.equals(x1.listenAddress()) ? x1 : x2;
      assertFalse(isConnectedTo(refusedNode, a), "the second node on " + shared + " was connected to A");
    }
  }

  // ----------------------------------------------------------------------------------- blacklisted, banned

  @Test
  void blacklistedSeedIsNeverDialed(Vertx vertx, @TempDir Path dir) {
    String blacklistedHost = "127.7.0.1";
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      NodeOptions xOptions = acceptor(nodes, blacklistedHost);
      List<JsonObject> xInbound = nodes.events(xOptions, PeerEvent.NEW_INBOUND_PEER);
      List<JsonObject> xRefused = nodes.events(xOptions, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      PeerMeshNode x = nodes.start(xOptions);
      // y has x in its peer book and gives it to A in every getPeers answer.
      PeerMeshNode y = nodes.start(still(nodes.options().setHost("127.7.0.2").setSeedPeers(List.of(x.listenAddress()))));
      TestNodes.awaitConnected(y, x);
      PeerMeshNode z = nodes.start(acceptor(nodes, "127.8.0.1"));

      RecordingSelection selection = new RecordingSelection();
      NodeOptions aOptions = nodeUnderTest(nodes).setBlacklistedIPs(List.of(blacklistedHost))
          .setSeedPeers(List.of(x.listenAddress(), y.listenAddress(), z.listenAddress()));
      List<JsonObject> connects = nodes.events(aOptions, PeerEvent.CONNECT_OUTBOUND);
      List<JsonObject> aborts = nodes.events(aOptions, PeerEvent.CONNECT_ABORT_OUTBOUND);
      PeerMeshNode a = nodes.start(aOptions, PeerSelection.defaults().withConnection(selection));

      await().atMost(TestNodes.DEADLINE).until(() -> isConnectedTo(a, y) && isConnectedTo(a, z));
      selection.awaitRounds(ROUNDS_WATCHED, offered -> offered.contains(x.listenAddress()));

      Predicate<JsonObject> aboutX = e -> blacklistedHost.equals(e.getString("host"));
      assertTrue(connects.stream().noneMatch(aboutX), "connected to a blacklisted address: " + connects);
      assertTrue(aborts.stream().noneMatch(aboutX), "dialed a blacklisted address: " + aborts);
      assertFalse(isConnectedTo(a, x));
      assertEquals(Set.of(y.listenAddress(), z.listenAddress()), outboundAddresses(a));
      Predicate<JsonObject> fromA = e -> A_HOST.equals(e.getString("host"));
      assertTrue(xInbound.stream().noneMatch(fromA), "A reached the blacklisted node: " + xInbound);
      assertTrue(xRefused.stream().noneMatch(fromA), "A reached the blacklisted node: " + xRefused);
    }
  }

  /**
   * Two seeds on one IP and one elsewhere; A bans the seed on that IP it connected to. Not exempt, the ban is by IP:
   * neither that seed nor the other one on the same IP (never dialed before, held back by the one-per-IP rule) is
   * dialed afterwards, and their addresses stay out of the peer book. Exempt, the ban is by peer id: the banned seed
   * is not dialed again though its address comes back in every getPeers answer, and the other seed on its IP stays
   * connected.
   */
  @ParameterizedTest(name = "exemptLocalAddresses={0}")
  @ValueSource(booleans = {false, true})
  void bannedSeedIsNotDialedAgain(boolean exempt, Vertx vertx, @TempDir Path dir) {
    String bannedHost = "127.7.0.1";
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      List<PeerMeshNode> onBannedHost = new ArrayList<>();
      List<List<JsonObject>> inboundOnBannedHost = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        NodeOptions options = acceptor(nodes, bannedHost);
        inboundOnBannedHost.add(nodes.events(options, PeerEvent.NEW_INBOUND_PEER));
        onBannedHost.add(nodes.start(options));
      }
      // y is connected to both, and gives A their addresses in every getPeers answer.
      PeerMeshNode y = nodes.start(still(nodes.options().setHost("127.7.0.2")
          .setSeedPeers(onBannedHost.stream().map(PeerMeshNode::listenAddress).toList())));
      onBannedHost.forEach(x -> TestNodes.awaitConnected(y, x));

      RecordingSelection selection = new RecordingSelection();
      NodeOptions aOptions = nodeUnderTest(nodes).setExemptLocalAddresses(exempt)
          .setSeedPeers(List.of(onBannedHost.get(0).listenAddress(), onBannedHost.get(1).listenAddress(),
              y.listenAddress()));
      List<JsonObject> connects = nodes.events(aOptions, PeerEvent.CONNECT_OUTBOUND);
      List<JsonObject> aborts = nodes.events(aOptions, PeerEvent.CONNECT_ABORT_OUTBOUND);
      List<JsonObject> closes = nodes.events(aOptions, PeerEvent.CLOSE_OUTBOUND);
      PeerMeshNode a = nodes.start(aOptions, PeerSelection.defaults().withConnection(selection));
      int expectedOutbound = exempt ? 3 : 2;
      await().atMost(TestNodes.DEADLINE).until(() -> isConnectedTo(a, y) && outboundAddresses(a).size() == expectedOutbound);

      int bannedIndex = isConnectedTo(a, onBannedHost.get(0)) ? 0 : 1;
      PeerMeshNode banned = onBannedHost.get(bannedIndex);
      PeerMeshNode sameIp = onBannedHost.get(1 - bannedIndex);
      JsonObject answer = (JsonObject) TestNodes.await(vertx.eventBus().request(a.addresses().applyPenalty(),
          new JsonObject().put("peerId", banned.peerId()).put("penalty", PeerInfo.INITIAL_REPUTATION))).body();
      assertTrue(answer.getBoolean("banned"), answer.encode());
      await().atMost(TestNodes.DEADLINE).until(() -> closes.stream()
          .anyMatch(e -> banned.peerId().equals(e.getString("peerId"))
              && e.getInteger("code") == DisconnectReason.BANNED.code()));
      int connectsAtBan = connects.size();
      int roundsAtBan = selection.rounds().size();

      if (exempt) {
        // Banned by id only: y's answers put the address back into the book, and the populator offers it.
        selection.awaitRounds(ROUNDS_WATCHED, offered -> offered.contains(banned.listenAddress()));
        assertEquals(Set.of(sameIp.listenAddress(), y.listenAddress()), outboundAddresses(a));
      } else {
        // Banned by IP: discovery keeps both addresses out of the book, though y advertises them whenever A asks.
        selection.awaitRounds(ROUNDS_WATCHED, offered -> true);
        assertTrue(selection.rounds().stream().skip(roundsAtBan).flatMap(List::stream)
                .noneMatch(p -> p.host().equals(bannedHost)),
            "an address banned by IP came back into the peer book: " + selection.rounds());
        assertEquals(Set.of(y.listenAddress()), outboundAddresses(a));
        assertTrue(connects.stream().skip(connectsAtBan).noneMatch(e -> bannedHost.equals(e.getString("host"))),
            "connected to the banned IP again: " + connects);
        assertTrue(aborts.stream().noneMatch(e -> bannedHost.equals(e.getString("host"))),
            "dialed the banned IP again: " + aborts);
        assertTrue(inboundOnBannedHost.get(1 - bannedIndex).stream().noneMatch(e -> A_HOST.equals(e.getString("host"))),
            "A dialed the other node on the banned IP: " + inboundOnBannedHost.get(1 - bannedIndex));
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

  /** Five nodes at 127.1.0.1-5 that only accept, and one at 127.2.0.1 connected to all five. */
  private record Mesh(List<PeerMeshNode> group, List<List<JsonObject>> groupInbound, PeerMeshNode other) {

    List<PeerAddress> groupAddresses() {
      return group.stream().map(PeerMeshNode::listenAddress).toList();
    }
  }

  private static Mesh startMesh(TestNodes nodes) {
    List<PeerMeshNode> group = new ArrayList<>();
    List<List<JsonObject>> inbound = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      NodeOptions options = acceptor(nodes, "127.1.0." + i);
      inbound.add(nodes.events(options, PeerEvent.NEW_INBOUND_PEER));
      group.add(nodes.start(options));
    }
    // Exempt (the default): it connects to all five, and so has them all in its peer book to advertise.
    PeerMeshNode other = nodes.start(still(nodes.options().setHost("127.2.0.1")
        .setSeedPeers(group.stream().map(PeerMeshNode::listenAddress).toList())));
    await().atMost(TestNodes.DEADLINE).until(() -> outboundAddresses(other).size() == group.size());
    return new Mesh(group, inbound, other);
  }

  /** A's options: at 127.9.0.1, discovery quick. */
  private static NodeOptions nodeUnderTest(TestNodes nodes) {
    return nodes.options()
        .setHost(A_HOST)
        .setPopulatorInterval(POPULATOR_MS)
        .setFallbackSeedPeerDiscoveryInterval(FALLBACK_SEED_MS)
        .setOutboundShuffleInterval(NEVER_MS);
  }

  /** A node that only accepts connections. */
  private static NodeOptions acceptor(TestNodes nodes, String host) {
    return still(nodes.options().setHost(host).setMaxOutboundConnections(0));
  }

  /**
   * No discovery rounds after start: the node dials its seeds once and keeps what it has. It answers getPeers as
   * often as every 100 ms: with the default window of 1 s, A asking its seeds every 500 ms would be penalised for
   * each ask and banned after ten.
   */
  private static NodeOptions still(NodeOptions options) {
    return options
        .setPopulatorInterval(NEVER_MS)
        .setFallbackSeedPeerDiscoveryInterval(NEVER_MS)
        .setOutboundShuffleInterval(NEVER_MS)
        .setRateCalculationInterval(100);
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
