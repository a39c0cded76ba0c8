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
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.about;
import static org.peermesh.testing.PeerTestSupport.assertExchange;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;
import static org.peermesh.testing.PeerTestSupport.connectedCount;

/** Admission limits applied when a socket is accepted: pending handshakes per IP, inbound slots, the blacklist. */
@ExtendWith(VertxExtension.class)
class ConnectionLimitsTest {

  private static final int PENDING = DisconnectReason.TOO_MANY_PENDING_FROM_IP.code();
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
      // d dials during its start: listen for its events before that.
      List<JsonObject> aborted = nodes.collect(eventAddress(dOptions, PeerEvent.CONNECT_ABORT_OUTBOUND));
      PeerMeshNode d = nodes.start(dOptions);
      JsonObject abort = awaitEvent(aborted, e -> e.getInteger("port") == a.listenAddress().port());
      assertEquals(full, abort.getInteger("code"), abort.encode());
      assertEquals("remote", abort.getString("initiator"));
      assertTrue(failed.stream().anyMatch(e -> e.getInteger("code") == full), failed.toString());
      assertEquals(0, connectedCount(d));

      // What the refused side receives: a Disconnect as the very first frame, no Hello.
      try (RawPeer raw = new RawPeer()) {
        raw.connect(a.listenAddress());
        Disconnect disconnect = assertInstanceOf(Disconnect.class, raw.readMessage());
        assertEquals(full, disconnect.code());
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
