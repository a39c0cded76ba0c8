package org.peermesh.mesh;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.PeerEvent;
import org.peermesh.mesh.wire.Disconnect;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.testing.PeerTestSupport;
import org.peermesh.testing.RawPeer;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.about;
import static org.peermesh.testing.PeerTestSupport.assertExchange;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;
import static org.peermesh.testing.PeerTestSupport.connectedCount;

/**
 * Admission limits: pending handshakes per IP and in all and the blacklist when a socket is accepted, inbound slots
 * when its handshake completes.
 */
@ExtendWith(VertxExtension.class)
class ConnectionLimitsTest {

  private static final int PENDING = DisconnectReason.TOO_MANY_PENDING_FROM_IP.code();
  private static final int PENDING_IN_ALL = DisconnectReason.TOO_MANY_PENDING_HANDSHAKES.code();
  private static final int TIMEOUT = DisconnectReason.HANDSHAKE_TIMEOUT.code();

  @Test
  void floodOfSilentConnectionsFromOneAddress(Vertx vertx, @TempDir Path dir) throws Exception {
    int sockets = 20;
    int maxPending = 4;
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      // Long enough for all 20 sockets to be open while the first 4 are still pending.
      PeerMeshNode a = nodes.start(nodes.options(meshOptions -> meshOptions
          .setMaxPendingHandshakesPerIP(maxPending)
          .setHandshakeTimeout(2_000)));
      List<JsonObject> failed = nodes.events(a, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);

      List<RawPeer> raws = new ArrayList<>();
      try {
        for (int i = 0; i < sockets; i++) {
          raws.add(new RawPeer().connect(a.listenAddress()));
        }
        Map<Integer, Integer> codeByPort = new HashMap<>();
        for (RawPeer raw : raws) {
          Disconnect disconnect = raw.expectDisconnect();
          raw.expectClosed();
          codeByPort.put(raw.localPort(), disconnect.code());
        }
        long tooMany = codeByPort.values().stream().filter(c -> c == PENDING).count();
        long timedOut = codeByPort.values().stream().filter(c -> c == TIMEOUT).count();
        assertTrue(tooMany >= sockets - maxPending, "codes: " + codeByPort);
        assertEquals(sockets, tooMany + timedOut, "codes: " + codeByPort);

        // One failedToAddInboundPeer per socket, with the code that socket received.
        await().atMost(TestNodes.DEADLINE).until(() -> failed.stream()
            .filter(e -> codeByPort.containsKey(e.getInteger("port"))).count() == sockets);
        Map<Integer, Integer> eventCodeByPort = failed.stream()
            .filter(e -> codeByPort.containsKey(e.getInteger("port")))
            .collect(Collectors.toMap(e -> e.getInteger("port"), e -> e.getInteger("code")));
        assertEquals(codeByPort, eventCodeByPort);
      } finally {
        raws.forEach(RawPeer::close);
      }

      // The pending handshakes have timed out, so 127.0.0.1 may handshake again: a real node connects and talks.
      PeerMeshNode b = nodes.startConnectedTo(a);
      assertExchange(vertx, nodes, a, b);
      assertExchange(vertx, nodes, b, a);
    }
  }

  /**
   * Silent sockets, more than the inbound slots and from many addresses, while honest peers hold every slot: they
   * wait in the pending pool, which refuses them beyond maxPendingHandshakes naming the key, and time out. None of
   * them takes a slot, so no honest peer is evicted.
   */
  @Test
  void silentSocketsNeverEvictEstablishedPeers(Vertx vertx, @TempDir Path dir) throws Exception {
    int slots = 6;
    int maxPending = 8;
    int silentCount = 30;
    List<RawPeer> honest = new ArrayList<>();
    List<RawPeer> silent = new ArrayList<>();
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start(nodes.options(meshOptions -> meshOptions
          .setMaxInbound(slots)
          .setMaxPendingHandshakes(maxPending)
          .setHandshakeTimeout(2_000)));
      List<JsonObject> evicted = nodes.events(a, PeerEvent.EVICTED_PEER);
      List<JsonObject> closed = nodes.events(a, PeerEvent.CLOSE_INBOUND);
      for (int i = 0; i < slots; i++) {
        RawPeer raw = new RawPeer();
        honest.add(raw);
        raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
        PeerTestSupport.awaitListed(a, raw.peerId());
      }
      // Each from an address of its own: the per-IP limit holds none of them back, the pool in all does.
      for (int i = 0; i < silentCount; i++) {
        silent.add(new RawPeer().connect(a.listenAddress(), "127.0.1." + (i + 1)));
      }
      Map<Integer, Disconnect> byPort = new HashMap<>();
      for (RawPeer raw : silent) {
        byPort.put(raw.localPort(), raw.expectDisconnect());
        raw.expectClosed();
      }
      List<Disconnect> tooMany = byPort.values().stream().filter(d -> d.code() == PENDING_IN_ALL).toList();
      long timedOut = byPort.values().stream().filter(d -> d.code() == TIMEOUT).count();
      assertTrue(tooMany.size() >= silentCount - maxPending, "codes: " + byPort);
      assertEquals(silentCount, tooMany.size() + timedOut, "codes: " + byPort);
      assertTrue(tooMany.stream().allMatch(d -> d.reason().contains("maxPendingHandshakes")), tooMany.toString());

      assertTrue(evicted.isEmpty(), "evicted: " + evicted);
      assertTrue(closed.isEmpty(), "closed: " + closed);
      assertEquals(slots, connectedCount(a));
      for (RawPeer raw : honest) {
        PeerTestSupport.awaitListed(a, raw.peerId());
      }
    } finally {
      honest.forEach(RawPeer::close);
      silent.forEach(RawPeer::close);
    }
  }

  /** A pending handshake stops counting against its IP once the peer is admitted. */
  @Test
  void admittedPeersFreeTheirPendingSlot(Vertx vertx, @TempDir Path dir) throws Exception {
    List<RawPeer> raws = new ArrayList<>();
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start(nodes.options(meshOptions -> meshOptions.setMaxPendingHandshakesPerIP(2)));
      for (int i = 0; i < 6; i++) {
        RawPeer raw = new RawPeer();
        raws.add(raw);
        raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
        PeerTestSupport.awaitListed(a, raw.peerId());
      }
      assertEquals(6, connectedCount(a));
    } finally {
      raws.forEach(RawPeer::close);
    }
  }

  /** A pending handshake stops counting against its IP once the node has refused it. */
  @Test
  void refusedHandshakesFreeTheirPendingSlot(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start(nodes.options(meshOptions -> meshOptions.setMaxPendingHandshakesPerIP(2)));
      List<JsonObject> failed = nodes.events(a, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      for (int i = 0; i < 6; i++) {
        try (RawPeer raw = new RawPeer()) {
          raw.connect(a.listenAddress());
          Disconnect refusal = raw.tryHandshake("another-network");
          assertEquals(DisconnectReason.INCOMPATIBLE_NETWORK.code(), refusal.code(), "attempt " + i + ": " + refusal);
          // The event follows the bookkeeping, so the next attempt meets the updated count.
          awaitEvent(failed, about(raw));
        }
      }
      PeerMeshNode b = nodes.startConnectedTo(a);
      assertExchange(vertx, nodes, a, b);
    }
  }

  @Test
  void thirdInboundPeerFindsTheSlotsFull(Vertx vertx, @TempDir Path dir) throws Exception {
    int full = DisconnectReason.INBOUND_SLOTS_FULL.code();
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start(nodes.options(meshOptions -> meshOptions.setMaxInbound(2)));
      List<JsonObject> failed = nodes.events(a, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      PeerMeshNode b = nodes.startConnectedTo(a);
      PeerMeshNode c = nodes.startConnectedTo(a);

      NodeOptions dOptions = nodes.options(meshOptions -> meshOptions.setSeedPeers(List.of(a.listenAddress())));
      // d dials during its start: listen for its events before that. A refuses d once d has proven its key, which
      // d may have seen as a connection (closeOutbound) or not yet (connectAbortOutbound).
      List<JsonObject> aborted = nodes.collect(eventAddress(dOptions, PeerEvent.CONNECT_ABORT_OUTBOUND));
      List<JsonObject> closed = nodes.collect(eventAddress(dOptions, PeerEvent.CLOSE_OUTBOUND));
      PeerMeshNode d = nodes.start(dOptions);
      JsonObject end = await().atMost(TestNodes.DEADLINE).until(() -> Stream.concat(aborted.stream(), closed.stream())
          .filter(e -> e.getInteger("port") == a.listenAddress().port()).findFirst(), Optional::isPresent).get();
      assertEquals(full, end.getInteger("code"), end.encode());
      assertEquals("remote", end.getString("initiator"));
      assertTrue(failed.stream().anyMatch(e -> e.getInteger("code") == full), failed.toString());
      await().atMost(TestNodes.DEADLINE).until(() -> connectedCount(d) == 0);

      // What the refused side receives: the handshake, as a slot is only for a peer that proved its key, then a
      // Disconnect naming the full slots.
      try (RawPeer raw = new RawPeer()) {
        raw.connect(a.listenAddress());
        assertNull(raw.tryHandshake(TestNodes.NETWORK), "refused before the handshake completed");
        Disconnect disconnect = raw.expectDisconnect();
        assertEquals(full, disconnect.code());
        assertTrue(disconnect.reason().contains("maxInbound"), disconnect.reason());
        raw.expectClosed();
        assertEquals(full, awaitEvent(failed, about(raw)).getInteger("code"));
      }

      assertEquals(Set.of(b.peerId(), c.peerId()), TestNodes.await(a.getConnectedPeers()).stream()
          .map(p -> p.peerId()).collect(Collectors.toSet()));
      assertExchange(vertx, nodes, a, b);
      assertExchange(vertx, nodes, c, a);
    }
  }

  private static String eventAddress(NodeOptions options, PeerEvent event) {
    return new BusAddresses(options.getBusPrefix()).event(event);
  }

  @Test
  void blacklistedAddressIsRefused(Vertx vertx, @TempDir Path dir) throws Exception {
    int blacklisted = DisconnectReason.BLACKLISTED.code();
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start(nodes.options(meshOptions -> meshOptions
          .setBlacklistedIPs(List.of("127.0.0.1"))));
      List<JsonObject> failed = nodes.events(a, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);

      raw.connect(a.listenAddress());
      WireMessage first = raw.readMessage();
      Disconnect disconnect = assertInstanceOf(Disconnect.class, first, "refused before the node's Hello");
      assertEquals(blacklisted, disconnect.code());
      raw.expectClosed();
      JsonObject event = awaitEvent(failed, about(raw));
      assertEquals(blacklisted, event.getInteger("code"));

      NodeOptions bOptions = nodes.options(meshOptions -> meshOptions.setSeedPeers(List.of(a.listenAddress())));
      List<JsonObject> aborted = nodes.collect(eventAddress(bOptions, PeerEvent.CONNECT_ABORT_OUTBOUND));
      PeerMeshNode b = nodes.start(bOptions);
      JsonObject abort = awaitEvent(aborted, e -> e.getInteger("port") == a.listenAddress().port());
      assertEquals(blacklisted, abort.getInteger("code"), abort.encode());
      assertEquals("remote", abort.getString("initiator"));
      assertEquals(0, connectedCount(a));
      assertEquals(0, connectedCount(b));
    }
  }
}
