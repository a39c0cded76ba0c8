package org.peermesh.routing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.RawPeer;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.awaitListed;
import static org.peermesh.testing.PeerTestSupport.connectedPeer;

/** {@link PeerStream}: batches without per-message acknowledgements, ordered, flow-controlled by credit. */
@ExtendWith(VertxExtension.class)
class PeerStreamTest {

  private static final int MESSAGES = 20_000;

  /** What a writer that respects the credit saw: how often it had to wait, and how the stream ended. */
  private record Written(int sent, int waits, Throwable failure) {
  }

  /**
   * Writes {@code count} numbered messages on the stream's context, waiting for the drain handler whenever the
   * credit is spent, until all are written and the stream ended, or the stream fails.
   */
  private static Future<Written> writeNumbered(Context context, PeerStream stream, int count) {
    Promise<Written> done = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger waits = new AtomicInteger();
    context.runOnContext(v -> {
      stream.exceptionHandler(failure -> done.tryComplete(new Written(next.get(), waits.get(), failure)));
      Runnable pump = new Runnable() {
        @Override
        public void run() {
          while (next.get() < count && !stream.writeQueueFull()) {
            stream.write("numbered", next.getAndIncrement());
          }
          if (next.get() == count) {
            stream.end().onComplete(ended -> done.tryComplete(new Written(count, waits.get(), ended.cause())));
          } else {
            waits.incrementAndGet();
            stream.drainHandler(drained -> run());
          }
        }
      };
      pump.run();
    });
    return done.future();
  }

  @Test
  void everyMessageArrivesOnceAndInOrderWithinTheCredit(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start();
      // A stream is a flood in lisk-p2p's terms: the receiver allows it.
      PeerMeshNode b = nodes.start(nodes.options(mesh -> mesh.setSeedPeers(List.of(a.listenAddress()))
          .setWsMaxMessageRate(Integer.MAX_VALUE).setMaxMessageRate(Integer.MAX_VALUE)));
      TestNodes.awaitConnected(a, b);
      List<JsonObject> received = nodes.collect(b.addresses().message("numbered"));
      List<JsonObject> failures = nodes.events(a, PeerEvent.FAILED_TO_SEND_MESSAGE);

      Context context = vertx.getOrCreateContext();
      PeerStream stream = TestNodes.await(Future.future(created -> context.runOnContext(v ->
          created.complete(a.streamToPeer(b.peerId()).setWriteQueueMaxSize(16 * 1024)))));
      Written written = TestNodes.await(writeNumbered(context, stream, MESSAGES));

      assertEquals(null, written.failure());
      // 20,000 frames of about 20 bytes are 25 times the credit: the writer had to wait for it to come back.
      assertTrue(written.waits() > 0, "the writer never waited for credit");
      await().atMost(TestNodes.DEADLINE).until(() -> received.size() >= MESSAGES);
      for (int i = 0; i < MESSAGES; i++) {
        assertEquals(i, received.get(i).getInteger("data"), "message " + i);
        assertEquals(a.peerId(), received.get(i).getString("peerId"));
      }
      assertEquals(MESSAGES, received.size());
      assertEquals(List.of(), failures);
    }
  }

  /**
   * A peer that stops reading backs its socket up: the credit stops coming back, the writer stops, and once the
   * acknowledgement has waited ackTimeout the stream fails with 504 and says so. The peer is not cut off, and when it
   * reads again it gets everything written before, in order.
   */
  @Test
  void peerThatStopsReadingStopsTheStreamWithoutBeingCutOff(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer().receiveBufferSize(4096)) {
      PeerMeshNode a = nodes.start(nodes.options(mesh -> mesh.setMaxMessageSize(64 * 1024)
          .setMaxWriteQueueSize(256 * 1024).setAckTimeout(500)));
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);
      List<JsonObject> failures = nodes.events(a, PeerEvent.FAILED_TO_SEND_MESSAGE);
      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());

      // The raw peer reads nothing until the test reads it, at the end.
      Context context = vertx.getOrCreateContext();
      PeerStream stream = TestNodes.await(Future.future(created -> context.runOnContext(v ->
          created.complete(a.streamToPeer(raw.peerId()).setWriteQueueMaxSize(64 * 1024)))));
      Written written = TestNodes.await(writeNumbered(context, stream, Integer.MAX_VALUE));

      ReplyException timeout = assertInstanceOf(ReplyException.class, written.failure());
      assertEquals(Failure.TIMEOUT.code(), timeout.failureCode(), timeout.getMessage());
      await().atMost(TestNodes.DEADLINE).until(() -> !failures.isEmpty());
      assertEquals(raw.peerId(), failures.get(0).getString("peerId"));
      assertEquals(List.of(), closes);
      assertTrue(connectedPeer(a, raw.peerId()).isPresent());
      // Nothing written after the failure went out; everything before it did.
      assertTrue(TestNodes.awaitFailure(stream.write("numbered", -1)) instanceof ReplyException);
      for (int i = 0; i < written.sent(); i++) {
        AppMessage message = assertInstanceOf(AppMessage.class, raw.readSkippingPings());
        assertEquals(i, ((Number) message.data().value()).intValue(), "message " + i + " of " + written.sent());
      }
    }
  }

  /**
   * A writer that ignores the credit and writes twelve times the peer's write-queue limit in one turn: the excess
   * waits in the stream, not in the peer's queue, so the peer, which reads, is not cut off and gets it all in order.
   */
  @Test
  void writerThatIgnoresTheCreditDoesNotGetAReadingPeerCutOff(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      int queueLimit = 256 * 1024;
      PeerMeshNode a = nodes.start(nodes.options(mesh -> mesh.setMaxMessageSize(64 * 1024)
          .setMaxWriteQueueSize(queueLimit)));
      PeerMeshNode b = nodes.start(nodes.options(mesh -> mesh.setSeedPeers(List.of(a.listenAddress()))
          .setMaxMessageSize(64 * 1024).setWsMaxMessageRate(Integer.MAX_VALUE).setMaxMessageRate(Integer.MAX_VALUE)));
      TestNodes.awaitConnected(a, b);
      List<JsonObject> received = nodes.collect(b.addresses().message("big"));
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);
      List<JsonObject> failures = nodes.events(a, PeerEvent.FAILED_TO_SEND_MESSAGE);
      String padding = "x".repeat(16 * 1024);
      int count = 12 * queueLimit / padding.length();

      Context context = vertx.getOrCreateContext();
      PeerStream stream = TestNodes.await(Future.future(created -> context.runOnContext(v -> {
        PeerStream written = a.streamToPeer(b.peerId()).setWriteQueueMaxSize(Integer.MAX_VALUE);
        for (int i = 0; i < count; i++) {
          written.write("big", new JsonObject().put("n", i).put("padding", padding));
        }
        created.complete(written);
      })));
      TestNodes.await(Future.future(ended -> context.runOnContext(v -> stream.end().onComplete(ended))));

      // The credit is at most half the peer's queue limit, whatever the writer asks for.
      assertEquals(queueLimit / 2, stream.getWriteQueueMaxSize());
      await().atMost(TestNodes.DEADLINE).until(() -> received.size() >= count);
      for (int i = 0; i < count; i++) {
        assertEquals(i, received.get(i).getJsonObject("data").getInteger("n"), "message " + i);
      }
      assertEquals(count, received.size());
      assertEquals(List.of(), closes);
      assertEquals(List.of(), failures);
      assertTrue(connectedPeer(a, b.peerId()).isPresent());
    }
  }

  @Test
  void sendToPeerTakesABatchAcknowledgedAsOne(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start();
      PeerMeshNode b = nodes.startConnectedTo(a);
      List<JsonObject> received = nodes.collect(b.addresses().message("batched"));

      JsonArray messages = new JsonArray();
      for (int i = 0; i < 100; i++) {
        messages.add(new JsonObject().put("event", "batched").put("data", new JsonObject().put("n", i)));
      }
      JsonObject reply = TestNodes.await(vertx.eventBus().<JsonObject>request(a.addresses().sendToPeer(),
          new JsonObject().put("peerId", b.peerId()).put("messages", messages))).body();

      assertEquals(new JsonArray().add(b.peerId()), reply.getJsonArray("peerIds"));
      await().atMost(TestNodes.DEADLINE).until(() -> received.size() >= 100);
      for (int i = 0; i < 100; i++) {
        assertEquals(i, received.get(i).getJsonObject("data").getInteger("n"));
      }
      for (Object bad : new Object[] {"not an array", new JsonArray(), new JsonArray().add(1),
          new JsonArray().add(new JsonObject().put("data", 1))}) {
        ReplyException refused = assertInstanceOf(ReplyException.class, TestNodes.awaitFailure(vertx.eventBus()
            .request(a.addresses().sendToPeer(), new JsonObject().put("peerId", b.peerId()).put("messages", bad))));
        assertEquals(Failure.BAD_REQUEST.code(), refused.failureCode(), refused.getMessage());
      }
    }
  }
}
