package org.peermesh.discovery;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.PeerEvent;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.PeerInfo;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LIP 0004's inbound eviction in a running node: when the inbound slots are full, a newcomer makes one unprotected
 * inbound peer leave (never a whitelisted one), or is refused with INBOUND_SLOTS_FULL when every inbound peer is
 * protected.
 *
 * <p>Each node has its own loopback address, so that A (at 127.9.0.1, local addresses not exempt) sees its inbound
 * peers on distinct IPs. The inbound peers dial A once at start and then keep still (no populator, no seed rounds, no
 * shuffle): an evicted one does not come back, so every change on A is one the test caused.
 */
@ExtendWith(VertxExtension.class)
class InboundEvictionNodeTest {

  private static final String A_HOST = "127.9.0.1";
  private static final int EVICTED = DisconnectReason.EVICTED.code();
  private static final int SLOTS_FULL = DisconnectReason.INBOUND_SLOTS_FULL.code();
  /** Long enough to never fire during a test. */
  private static final int NEVER_MS = 3_600_000;

  @Test
  void newcomerEvictsOneUnprotectedPeerAndNeverTheWhitelistedOne(Vertx vertx, @TempDir Path dir) {
    int maxInbound = 5;
    String whitelistedHost = "127.4.0.3";
    PeerAddress whitelistedAddress = new PeerAddress(whitelistedHost, TestNodes.freePort());
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      NodeOptions aOptions = still(nodes.options(mesh -> mesh
          .setListen(new PeerAddress(A_HOST, 0))
          .setMaxInbound(maxInbound)
          .setMaxOutbound(0)
          .setExemptLocalAddresses(false)
          .setWhitelistedPeers(List.of(whitelistedAddress))));
      List<JsonObject> evictions = nodes.events(aOptions, PeerEvent.EVICTED_PEER);
      List<JsonObject> refusals = nodes.events(aOptions, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      PeerMeshNode a = nodes.start(aOptions);

      Inbound inbound = new Inbound(nodes, a);
      PeerMeshNode whitelisted = null;
      for (int i = 1; i <= maxInbound; i++) {
        String host = "127.4.0." + i;
        PeerMeshNode peer = host.equals(whitelistedHost)
            ? inbound.connect(host, whitelistedAddress.port())
            : inbound.connect(host, 0);
        if (host.equals(whitelistedHost)) {
          whitelisted = peer;
        }
      }
      String whitelistedId = whitelisted.peerId();
      assertEquals(whitelistedAddress, whitelisted.listenAddress());
      await().atMost(TestNodes.DEADLINE).until(() -> inboundIds(a).size() == maxInbound);
      assertTrue(connectedInfo(a, whitelistedId).whitelisted());
      assertEquals(0, evictions.size(), evictions.toString());

      List<String> newcomers = List.of("127.5.0.1", "127.6.0.1", "127.6.0.2", "127.6.0.3", "127.6.0.4", "127.6.0.5");
      Set<String> evictedIds = new HashSet<>();
      for (int round = 0; round < newcomers.size(); round++) {
        Set<String> before = inboundIds(a);
        PeerMeshNode newcomer = inbound.connect(newcomers.get(round), 0);
        int expected = round + 1;
        await().atMost(TestNodes.DEADLINE).until(() -> evictions.size() >= expected);
        JsonObject eviction = evictions.get(round);
        String victimId = eviction.getString("peerId");
        assertNotEquals(whitelistedId, victimId, "the whitelisted peer was evicted: " + eviction.encode());
        assertTrue(before.contains(victimId), "evicted a peer that was not connected inbound: " + eviction.encode());
        assertEquals(newcomers.get(round), eviction.getString("admitting"), eviction.encode());
        evictedIds.add(victimId);

        // The newcomer takes the victim's slot: still five inbound, the whitelisted one among them.
        Set<String> expectedAfter = new HashSet<>(before);
        expectedAfter.remove(victimId);
        expectedAfter.add(newcomer.peerId());
        await().atMost(TestNodes.DEADLINE).until(() -> inboundIds(a).equals(expectedAfter));
        assertTrue(TestNodes.await(newcomer.getConnectedPeers()).stream().anyMatch(p -> p.peerId().equals(a.peerId())));

        // The victim hears why.
        JsonObject closed = inbound.awaitClose(victimId);
        assertEquals(EVICTED, closed.getInteger("code"), closed.encode());
        assertEquals("remote", closed.getString("initiator"), closed.encode());
        assertEquals(a.peerId(), closed.getString("peerId"), closed.encode());
      }

      assertEquals(newcomers.size(), evictions.size(), "one eviction per newcomer: " + evictions);
      assertEquals(newcomers.size(), evictedIds.size(), evictions.toString());
      assertEquals(maxInbound, inboundIds(a).size());
      assertTrue(inboundIds(a).contains(whitelistedId));
      assertTrue(refusals.isEmpty(), "refused: " + refusals);
    }
  }

  /**
   * Newcomers arriving together while the slots are full: each one let in must make a peer of its own leave, so that
   * once the handshakes and evictions are over A has no more inbound peers than slots, and no peer was evicted twice.
   * (Whether two arrivals overlap is up to the scheduler: this test can pass by luck against a pool that double-books
   * a victim, never fail against one that does not.)
   */
  @Test
  void newcomersArrivingTogetherNeverOverfillTheInboundSlots(Vertx vertx, @TempDir Path dir) {
    int maxInbound = 5;
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      NodeOptions aOptions = still(nodes.options(mesh -> mesh
          .setListen(new PeerAddress(A_HOST, 0))
          .setMaxInbound(maxInbound)
          .setMaxOutbound(0)
          .setExemptLocalAddresses(false)));
      List<JsonObject> evictions = nodes.events(aOptions, PeerEvent.EVICTED_PEER);
      List<JsonObject> closedOnA = nodes.events(aOptions, PeerEvent.CLOSE_INBOUND);
      PeerMeshNode a = nodes.start(aOptions);

      Inbound inbound = new Inbound(nodes, a);
      for (int i = 1; i <= maxInbound; i++) {
        inbound.connect("127.4.0." + i, 0);
      }

      int arriving = 8;
      List<NodeOptions> newcomerOptions = new ArrayList<>();
      List<List<JsonObject>> newcomerAborts = new ArrayList<>();
      List<List<JsonObject>> newcomerCloses = new ArrayList<>();
      for (int i = 1; i <= arriving; i++) {
        PeerAddress listen = new PeerAddress("127.6.0." + i, 0);
        NodeOptions options = still(nodes.options(mesh -> mesh
            .setListen(listen)
            .setSeedPeers(List.of(a.listenAddress()))
            .setMaxOutbound(1)));
        newcomerOptions.add(options);
        newcomerAborts.add(nodes.events(options, PeerEvent.CONNECT_ABORT_OUTBOUND));
        newcomerCloses.add(nodes.events(options, PeerEvent.CLOSE_OUTBOUND));
      }
      List<PeerMeshNode> newcomers = nodes.startAll(newcomerOptions.toArray(NodeOptions[]::new));

      // Settled: every newcomer is connected to A or was turned away or evicted, and every victim has gone.
      await().atMost(TestNodes.DEADLINE).until(() -> {
        Set<String> onA = connectedIds(a);
        for (int i = 0; i < arriving; i++) {
          boolean ended = !newcomerAborts.get(i).isEmpty() || !newcomerCloses.get(i).isEmpty();
          if (!onA.contains(newcomers.get(i).peerId()) && !ended) {
            return false;
          }
        }
        Set<String> closed = closedOnA.stream().map(e -> e.getString("peerId")).collect(Collectors.toSet());
        return evictions.stream().allMatch(e -> closed.contains(e.getString("peerId")));
      });
      int inboundNow = inboundIds(a).size();
      assertTrue(inboundNow <= maxInbound, "A has " + inboundNow + " inbound peers for " + maxInbound
          + " slots; evictions: " + evictions);
      Set<String> victims = evictions.stream().map(e -> e.getString("peerId")).collect(Collectors.toSet());
      assertEquals(victims.size(), evictions.size(), "a peer evicted twice: " + evictions);
    }
  }

  @Test
  void newcomerIsRefusedWhenFewerThanFourPeersCanBeEvicted(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      NodeOptions aOptions = still(nodes.options(mesh -> mesh
          .setListen(new PeerAddress(A_HOST, 0))
          .setMaxInbound(3)
          .setMaxOutbound(0)
          .setExemptLocalAddresses(false)));
      List<JsonObject> evictions = nodes.events(aOptions, PeerEvent.EVICTED_PEER);
      List<JsonObject> refusals = nodes.events(aOptions, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      PeerMeshNode a = nodes.start(aOptions);

      Inbound inbound = new Inbound(nodes, a);
      for (int i = 1; i <= 3; i++) {
        inbound.connect("127.4.0." + i, 0);
      }
      Set<String> full = inboundIds(a);
      assertEquals(3, full.size());

      inbound.assertRefused("127.5.0.1", refusals);
      assertEquals(full, inboundIds(a));
      assertTrue(evictions.isEmpty(), "evicted with only three candidates: " + evictions);
      assertTrue(inbound.closes().isEmpty(), "an inbound peer was disconnected: " + inbound.closes());
    }
  }

  /** Four slots, one whitelisted peer: three candidates remain, too few to evict any. */
  @Test
  void whitelistedPeersDoNotCountAsCandidates(Vertx vertx, @TempDir Path dir) {
    String whitelistedHost = "127.4.0.1";
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      NodeOptions aOptions = still(nodes.options(mesh -> mesh
          .setListen(new PeerAddress(A_HOST, 0))
          .setMaxInbound(4)
          .setMaxOutbound(0)
          .setExemptLocalAddresses(false)
          .setWhitelistedPeers(List.of(new PeerAddress(whitelistedHost, TestNodes.freePort())))));
      List<JsonObject> evictions = nodes.events(aOptions, PeerEvent.EVICTED_PEER);
      List<JsonObject> refusals = nodes.events(aOptions, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      PeerMeshNode a = nodes.start(aOptions);

      Inbound inbound = new Inbound(nodes, a);
      for (int i = 1; i <= 4; i++) {
        inbound.connect("127.4.0." + i, 0);
      }
      Set<String> full = inboundIds(a);
      assertEquals(4, full.size());

      inbound.assertRefused("127.5.0.1", refusals);
      assertEquals(full, inboundIds(a));
      assertTrue(evictions.isEmpty(), "evicted with only three candidates: " + evictions);
    }
  }

  // ---------------------------------------------------------------------------------------------- helpers

  /** Nodes that each dial A once from their own address, and what they hear when A closes on them. */
  private static final class Inbound {

    private final TestNodes nodes;
    private final PeerMeshNode a;
    private final Map<String, List<JsonObject>> closesById = new HashMap<>();
    private final List<List<JsonObject>> allCloses = new ArrayList<>();

    Inbound(TestNodes nodes, PeerMeshNode a) {
      this.nodes = nodes;
      this.a = a;
    }

    /** Starts a node at {@code host} seeded with A and waits until A counts it as connected. */
    PeerMeshNode connect(String host, int port) {
      NodeOptions options = still(nodes.options(mesh -> mesh
          .setListen(new PeerAddress(host, port))
          .setSeedPeers(List.of(a.listenAddress()))
          .setMaxOutbound(1)));
      List<JsonObject> closes = nodes.events(options, PeerEvent.CLOSE_OUTBOUND);
      PeerMeshNode peer = nodes.start(options);
      closesById.put(peer.peerId(), closes);
      allCloses.add(closes);
      TestNodes.awaitConnected(a, peer);
      assertEquals(host, connectedInfo(a, peer.peerId()).host());
      return peer;
    }

    /**
     * Starts a node at {@code host} seeded with A and checks that A refuses it for lack of a free inbound slot. A
     * refuses it once it has proven its key, so the newcomer may have counted A as connected (closeOutbound) or not
     * yet (connectAbortOutbound).
     */
    void assertRefused(String host, List<JsonObject> refusalsOnA) {
      NodeOptions options = TestNodes.withMesh(still(nodes.options(mesh -> mesh
          .setListen(new PeerAddress(host, 0)))), mesh -> mesh
          .setSeedPeers(List.of(a.listenAddress()))
          .setMaxOutbound(1));
      List<JsonObject> aborts = nodes.events(options, PeerEvent.CONNECT_ABORT_OUTBOUND);
      List<JsonObject> closes = nodes.events(options, PeerEvent.CLOSE_OUTBOUND);
      PeerMeshNode peer = nodes.start(options);
      JsonObject end = await().atMost(TestNodes.DEADLINE).until(() -> Stream.concat(aborts.stream(), closes.stream())
          .findFirst(), Optional::isPresent).get();
      assertEquals(SLOTS_FULL, end.getInteger("code"), end.encode());
      assertEquals("remote", end.getString("initiator"), end.encode());
      await().atMost(TestNodes.DEADLINE).until(() -> refusalsOnA.stream().anyMatch(e -> host.equals(e.getString("host"))));
      JsonObject refusal = refusalsOnA.stream().filter(e -> host.equals(e.getString("host"))).findFirst().orElseThrow();
      assertEquals(SLOTS_FULL, refusal.getInteger("code"), refusal.encode());
      await().atMost(TestNodes.DEADLINE).until(() -> TestNodes.await(peer.getConnectedPeers()).isEmpty());
    }

    JsonObject awaitClose(String peerId) {
      List<JsonObject> closes = closesById.get(peerId);
      await().atMost(TestNodes.DEADLINE).until(() -> !closes.isEmpty());
      assertEquals(1, closes.size(), closes.toString());
      return closes.get(0);
    }

    List<JsonObject> closes() {
      return allCloses.stream().flatMap(List::stream).toList();
    }
  }

  /** No discovery rounds after start: a node dials its seeds once and keeps what it has. */
  private static NodeOptions still(NodeOptions options) {
    return TestNodes.withMesh(options, mesh -> mesh
        .setPopulatorInterval(NEVER_MS)
        .setFallbackSeedPeerDiscoveryInterval(NEVER_MS)
        .setOutboundShuffleInterval(NEVER_MS));
  }

  private static Set<String> inboundIds(PeerMeshNode node) {
    return TestNodes.await(node.getConnectedPeers()).stream().filter(p -> p.direction() == Direction.INBOUND)
        .map(PeerInfo::peerId).collect(Collectors.toSet());
  }

  private static Set<String> connectedIds(PeerMeshNode node) {
    return TestNodes.await(node.getConnectedPeers()).stream().map(PeerInfo::peerId).collect(Collectors.toSet());
  }

  private static PeerInfo connectedInfo(PeerMeshNode node, String peerId) {
    return TestNodes.await(node.getConnectedPeers()).stream().filter(p -> p.peerId().equals(peerId)).findFirst()
        .orElseThrow(() -> new AssertionError(peerId + " is not connected"));
  }
}
