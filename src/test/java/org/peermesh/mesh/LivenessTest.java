package org.peermesh.mesh;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.Failure;
import org.peermesh.bus.PeerEvent;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.Disconnect;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.PeerInfo;
import org.peermesh.testing.RawPeer;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.aboutPeer;
import static org.peermesh.testing.PeerTestSupport.assertExchange;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;
import static org.peermesh.testing.PeerTestSupport.awaitListed;
import static org.peermesh.testing.PeerTestSupport.awaitNotListed;
import static org.peermesh.testing.PeerTestSupport.connectedPeer;
import static org.peermesh.testing.PeerTestSupport.takenOfBurst;

/** Peers that stop reading, stop talking, or keep answering pings; and latency measured by the pings. */
@ExtendWith(VertxExtension.class)
class LivenessTest {

  private static final int MAX_FLOOD_MESSAGES = 50_000;
  private static final int BATCH = 64;
  private static final int MAX_QUEUE = 256 * 1024;

  /** A node whose queue per peer is small, so that a peer that does not read fills it after a few messages. */
  private static PeerMeshNode smallQueueNode(TestNodes nodes, int ackTimeoutMs) {
    return nodes.start(nodes.options(meshOptions -> meshOptions
        .setMaxPeerInfoSize(4096)
        .setMaxMessageSize(64 * 1024)
        .setMaxWriteQueueSize(MAX_QUEUE)
        .setAckTimeout(ackTimeoutMs)));
  }

  @Test
  void peerThatDoesNotReadIsDisconnectedWhenItsWriteQueueIsFull(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer().receiveBufferSize(4096)) {
      PeerMeshNode a = smallQueueNode(nodes, 200);
      PeerMeshNode b = nodes.startConnectedTo(a);
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);

      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      raw.stopReading();

      String payload = "x".repeat(4096);
      int sent = 0;
      // Each batch is awaited before the next, so the flood is bounded by the node's queue, not by this loop. Once
      // the socket's queue is full the node holds the acknowledgements until the ack timeout; a sender that ignores
      // them, as this one does, keeps filling the queue until the peer is cut off.
      while (closes.stream().noneMatch(aboutPeer(raw.peerId())) && sent < MAX_FLOOD_MESSAGES) {
        List<Future<Void>> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
          batch.add(a.sendToPeer(raw.peerId(), "flood", payload));
        }
        sent += BATCH;
        TestNodes.await(Future.join(batch).otherwiseEmpty());
      }

      JsonObject closed = awaitEvent(closes, aboutPeer(raw.peerId()));
      assertEquals(DisconnectReason.WRITE_QUEUE_FULL.code(), closed.getInteger("code"), closed.encode());
      assertEquals("local", closed.getString("initiator"));
      assertTrue((long) sent * payload.length() > MAX_QUEUE, "disconnected after only " + sent + " messages");
      // The node drops what it had queued and resets the connection, rather than wait for it to be read.
      raw.awaitReset();
      awaitNotListed(a, raw.peerId());

      // The other peer has its own queue and never noticed.
      assertTrue(connectedPeer(a, b.peerId()).isPresent());
      assertExchange(vertx, nodes, a, b);
      assertExchange(vertx, nodes, b, a);
    }
  }

  @Test
  void senderThatWaitsForAcknowledgementsNeverOverrunsAPeerThatDoesNotRead(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer().receiveBufferSize(4096)) {
      PeerMeshNode a = smallQueueNode(nodes, 500);
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);
      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      raw.stopReading();

      String payload = "x".repeat(4096);
      Throwable stalled = null;
      for (int sent = 0; stalled == null && sent < MAX_FLOOD_MESSAGES; sent++) {
        Future<Void> queued = a.sendToPeer(raw.peerId(), "paced", payload);
        stalled = TestNodes.await(queued.transform(ar -> Future.succeededFuture(ar.cause())));
      }

      // The acknowledgement waited for a drain that never came: the sender stopped, the peer is still connected.
      assertEquals(Failure.TIMEOUT.code(), ((ReplyException) stalled).failureCode(), String.valueOf(stalled));
      assertEquals(List.of(), closes);
      assertTrue(connectedPeer(a, raw.peerId()).isPresent());
    }
  }

  /**
   * A broadcaster that waits for each broadcast's acknowledgement goes at its slowest peer's pace. While the peer
   * reads nothing, the acknowledgement that finds it backed up waits (ackTimeout here, as it never drains) and names
   * it; the sender stops there, with the peer still connected, and once the peer reads it gets every message, in
   * order. Without the wait the node would have queued on until it cut the peer at its write-queue limit.
   */
  @Test
  void broadcasterThatWaitsForAcknowledgementsStopsBeforeItsPeerIsCutOff(Vertx vertx, @TempDir Path dir)
      throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer().receiveBufferSize(4096)) {
      PeerMeshNode a = smallQueueNode(nodes, 500);
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);
      List<JsonObject> penalties = nodes.events(a, PeerEvent.PEER_PENALIZED);
      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());

      String payload = "x".repeat(4096);
      JsonObject reply = new JsonObject();
      int sent = 0;
      while (!reply.containsKey("backedUp")) {
        assertTrue(sent < MAX_FLOOD_MESSAGES, "no acknowledgement waited for the peer in " + sent + " broadcasts");
        assertEquals(List.of(), closes);
        sent++;
        reply = TestNodes.await(vertx.eventBus().<JsonObject>request(a.addresses().broadcast(),
            new JsonObject().put("event", "paced").put("data", payload + sent))).body();
        assertEquals(new JsonArray().add(raw.peerId()), reply.getJsonArray("peerIds"), reply.encode());
      }

      assertEquals(new JsonArray().add(raw.peerId()), reply.getJsonArray("backedUp"), reply.encode());
      assertTrue(connectedPeer(a, raw.peerId()).isPresent());
      for (int number = 1; number <= sent; number++) {
        AppMessage message = assertInstanceOf(AppMessage.class, raw.readSkippingPings());
        assertEquals(payload + number, message.data().value(), "message " + number + " of " + sent);
      }
      // Read, the peer is no longer backed up: the next acknowledgement does not wait.
      JsonObject next = TestNodes.await(vertx.eventBus().<JsonObject>request(a.addresses().broadcast(),
          new JsonObject().put("event", "paced").put("data", "after"))).body();
      assertFalse(next.containsKey("backedUp"), next.encode());
      assertEquals("after", assertInstanceOf(AppMessage.class, raw.readSkippingPings()).data().value());
      assertEquals(List.of(), closes);
      assertEquals(List.of(), penalties);
    }
  }

  /**
   * A peer that pauses reading while a burst 48 times its write-queue limit is sent, none awaited before the next:
   * it has not stalled for ackTimeout, so what does not fit waits for its socket to drain instead of cutting it off,
   * up to the limit again; the rest of the burst is refused at once (429). Once the peer reads again every message
   * taken arrives, in order, and every one is acknowledged.
   */
  @Test
  void burstLargerThanTheWriteQueueDoesNotCutOffAPeerThatPausesReading(Vertx vertx, @TempDir Path dir)
      throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer().receiveBufferSize(4096)) {
      PeerMeshNode a = smallQueueNode(nodes, 30_000);
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);
      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      String padding = "x".repeat(16 * 1024);
      int count = 48 * MAX_QUEUE / padding.length();

      List<Future<?>> sends = new ArrayList<>();
      int taken = takenOfBurst(vertx, count, n -> a.sendToPeer(raw.peerId(), "burst",
          new JsonObject().put("n", n).put("padding", padding)), sends);
      assertTrue(taken * padding.length() > MAX_QUEUE, "only " + taken + " of " + count + " taken");
      for (int i = 0; i < taken; i++) {
        AppMessage message = assertInstanceOf(AppMessage.class, raw.readSkippingPings());
        assertEquals(i, ((JsonObject) message.data().value()).getInteger("n"), "message " + i);
      }
      TestNodes.await(Future.all(sends.subList(0, taken)));

      assertEquals(List.of(), closes);
      assertTrue(connectedPeer(a, raw.peerId()).isPresent());
    }
  }

  /**
   * The same burst broadcast, each broadcast asking for no reply, as the router delivers to the peers this JVM holds:
   * what the peer's session refuses has no sender to tell, so it is published as failedToSendMessage, never dropped
   * without a word, and the peer is not cut off.
   */
  @Test
  void aBroadcastBurstThePeerCannotTakeIsReportedNotLost(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer().receiveBufferSize(4096)) {
      PeerMeshNode a = smallQueueNode(nodes, 30_000);
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);
      List<JsonObject> failures = nodes.events(a, PeerEvent.FAILED_TO_SEND_MESSAGE);
      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      String padding = "x".repeat(16 * 1024);
      int count = 48 * MAX_QUEUE / padding.length();

      for (int n = 0; n < count; n++) {
        vertx.eventBus().send(a.addresses().broadcast(), new JsonObject().put("event", "burst")
            .put("data", new JsonObject().put("n", n).put("padding", padding)));
      }

      JsonObject failure = awaitEvent(failures, aboutPeer(raw.peerId()));
      assertEquals("burst", failure.getString("event"), failure.encode());
      assertTrue(failure.getString("error").contains("reads slower than it is sent to"), failure.encode());
      assertEquals(List.of(), closes);
      assertTrue(connectedPeer(a, raw.peerId()).isPresent());
    }
  }

  @Test
  void silentPeerIsDisconnectedAfterPeerTimeout(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start(nodes.options(meshOptions -> meshOptions
          .setPingInterval(200)
          .setPeerTimeout(1000)));
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);

      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      // Reads the node's Pings but never answers them, and sends nothing else.
      Disconnect disconnect = raw.expectDisconnect();
      assertEquals(DisconnectReason.PEER_TIMEOUT.code(), disconnect.code(), "Disconnect " + disconnect);
      raw.expectClosed();

      JsonObject closed = awaitEvent(closes, aboutPeer(raw.peerId()));
      assertEquals(DisconnectReason.PEER_TIMEOUT.code(), closed.getInteger("code"), closed.encode());
      assertEquals("local", closed.getString("initiator"));
      awaitNotListed(a, raw.peerId());
    }
  }

  @Test
  void peerThatAnswersPingsStaysConnected(Vertx vertx, @TempDir Path dir) throws Exception {
    int pingInterval = 200;
    int peerTimeout = 1000;
    int pings = 20; // 20 x 200 ms: about four peer timeouts
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start(nodes.options(meshOptions -> meshOptions
          .setPingInterval(pingInterval)
          .setPeerTimeout(peerTimeout)));
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);

      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      // Only Pongs go out: the node hears from us only because we answer its Pings.
      assertEquals(pings, raw.answerPings(pings));

      assertTrue(closes.isEmpty(), "closed: " + closes);
      PeerInfo info = connectedPeer(a, raw.peerId()).orElseThrow();
      assertTrue(info.latencyMicros() >= 0, "latency from our Pongs: " + info);
    }
  }

  @Test
  void pingsMeasureLatency(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start(nodes.options(meshOptions -> meshOptions.setPingInterval(200)));
      PeerMeshNode b = nodes.start(nodes.options(meshOptions -> meshOptions
          .setPingInterval(200)
          .setSeedPeers(List.of(a.listenAddress()))));
      TestNodes.awaitConnected(a, b);
      TestNodes.awaitConnected(b, a);
      await().atMost(TestNodes.DEADLINE).until(() -> latency(a, b) >= 0);
      await().atMost(TestNodes.DEADLINE).until(() -> latency(b, a) >= 0);
    }
  }

  /** The latency {@code node} shows for {@code peer}; -1 before the first Pong or when not connected. */
  private static long latency(PeerMeshNode node, PeerMeshNode peer) {
    return connectedPeer(node, peer.peerId()).map(PeerInfo::latencyMicros).orElse(-1L);
  }
}
