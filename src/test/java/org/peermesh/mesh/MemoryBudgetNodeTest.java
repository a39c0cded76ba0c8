package org.peermesh.mesh;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.PeerEvent;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.WireCodec;
import org.peermesh.net.MemoryBudget;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.testing.RawPeer;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.aboutPeer;
import static org.peermesh.testing.PeerTestSupport.assertExchange;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;
import static org.peermesh.testing.PeerTestSupport.awaitListed;
import static org.peermesh.testing.PeerTestSupport.connectedPeer;

/**
 * The node's memory budget over real sockets, at 1 % of this JVM's heap: the frames peers send and the messages that
 * wait for peers that do not read stay within it, however many peers there are, and no peer that reads is cut.
 */
@ExtendWith(VertxExtension.class)
class MemoryBudgetNodeTest {

  private static final int BUDGET_PERCENT = 1;
  private static final long BUDGET = Runtime.getRuntime().maxMemory() / 100 * BUDGET_PERCENT;
  private static final int STEP = MemoryBudget.FREE_BYTES;

  /**
   * Six authenticated peers each send all but the last byte of a frame so large that three fit in the budget and
   * four do not: the node reads three and stops reading the others (TCP holds their bytes, not the heap) until bytes
   * come back; once the first frames are finished the others are read too, and every message arrives.
   */
  @Test
  void largeFramesBeyondTheBudgetWaitForRoomInsteadOfFillingTheHeap(Vertx vertx, @TempDir Path dir) throws Exception {
    long frameStep = (BUDGET * 2 / 7 / STEP + 1) * STEP;
    assertTrue(3 * frameStep <= BUDGET && 4 * frameStep > BUDGET, frameStep + " of " + BUDGET);
    int maxMessageSize = (int) (frameStep + STEP);
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start(nodes.options(mesh -> mesh.setMaxMessageSize(maxMessageSize)
          .setMaxWriteQueueSize(Math.max(8L << 20, 2L * maxMessageSize))).setMemoryBudgetPercent(BUDGET_PERCENT));
      List<JsonObject> received = nodes.collect(a.addresses().message("large"));
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);

      List<RawPeer> peers = new ArrayList<>();
      List<Thread> senders = new ArrayList<>();
      CountDownLatch finish = new CountDownLatch(1);
      for (int i = 0; i < 6; i++) {
        RawPeer raw = new RawPeer();
        peers.add(raw);
        raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
        awaitListed(a, raw.peerId());
        byte[] frame = frameOfStep(frameStep, i);
        Thread sender = new Thread(() -> {
          raw.sendRaw(Arrays.copyOf(frame, frame.length - 1));
          try {
            finish.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          raw.sendRaw(new byte[] {frame[frame.length - 1]});
        });
        sender.start();
        senders.add(sender);
      }

      // Three frames hold the budget; the other peers' reading is paused with at most a chunk or two of theirs read.
      await().atMost(TestNodes.DEADLINE).until(() -> taken(vertx, a) == 3 * frameStep);
      JsonObject stats = stats(vertx, a);
      long paused = stats.getJsonArray("connected").stream().map(JsonObject.class::cast)
          .filter(peer -> peer.getJsonObject("stats").getLong("bytesIn") < frameStep / 2).count();
      assertEquals(3, paused, stats.encodePrettily());
      assertTrue(stats.getJsonObject("memoryBudget").getLong("taken") <= BUDGET, stats.encode());

      finish.countDown();
      for (Thread sender : senders) {
        sender.join();
      }
      await().atMost(TestNodes.DEADLINE).until(() -> received.size() == 6);
      assertTrue(closes.isEmpty(), "no peer is cut for the budget: " + closes);
      await().atMost(TestNodes.DEADLINE).until(() -> taken(vertx, a) == 0);
      peers.forEach(RawPeer::close);
    }
  }

  /**
   * Eight authenticated peers stop reading while the node broadcasts 64 KiB messages to them and to a node that
   * reads: the messages for the peers that do not read stop at the budget (refused 429 and reported), the peers that
   * have read nothing for ackTimeout are cut off, and the peer that reads stays and gets what it is sent.
   */
  @Test
  void peersThatStopReadingDuringABroadcastAreCutAtTheBudgetAndTheOneThatReadsStays(Vertx vertx, @TempDir Path dir)
      throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      // Pings far apart: the silent peers must be cut for what they hold, not for their silence.
      PeerMeshNode a = nodes.start(nodes.options(mesh -> mesh.setAckTimeout(500).setPingInterval(60_000)
          .setPeerTimeout(120_000)).setMemoryBudgetPercent(BUDGET_PERCENT));
      // The broadcasts come faster than lisk-p2p's rate limit allows: the reader allows them, as the bench's do.
      PeerMeshNode b = nodes.start(nodes.options(mesh -> mesh.setSeedPeers(List.of(a.listenAddress()))
          .setWsMaxMessageRate(Integer.MAX_VALUE).setMaxMessageRate(Integer.MAX_VALUE)));
      TestNodes.awaitConnected(a, b);
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);
      List<JsonObject> atB = nodes.collect(b.addresses().message("broadcast"));

      List<RawPeer> silent = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        RawPeer raw = new RawPeer().receiveBufferSize(4096);
        silent.add(raw);
        raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
        awaitListed(a, raw.peerId());
        raw.stopReading();
      }
      String payload = "x".repeat(64 * 1024);
      // Rounds of broadcasts until every silent peer is cut; the deadline only guards against a node that never cuts.
      await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> {
        List<Future<List<String>>> round = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          round.add(a.broadcast("broadcast", payload));
        }
        TestNodes.await(Future.join(round).otherwiseEmpty());
        return silent.stream().allMatch(raw -> closes.stream().anyMatch(aboutPeer(raw.peerId())));
      });
      for (RawPeer raw : silent) {
        JsonObject closed = awaitEvent(closes, aboutPeer(raw.peerId()));
        assertEquals(DisconnectReason.WRITE_QUEUE_FULL.code(), closed.getInteger("code"), closed.encode());
        raw.close();
      }
      assertTrue(connectedPeer(a, b.peerId()).isPresent(), "the peer that reads is kept");
      assertTrue(closes.stream().noneMatch(aboutPeer(b.peerId())), closes.toString());
      await().atMost(TestNodes.DEADLINE).until(() -> !atB.isEmpty());
      assertExchange(vertx, nodes, a, b);
      await().atMost(TestNodes.DEADLINE).until(() -> taken(vertx, a) == 0);
    }
  }

  /** An app message frame, length prefix included, that takes exactly {@code step} bytes of the budget. */
  private static byte[] frameOfStep(long step, int n) {
    int overhead = WireCodec.encode(new AppMessage("large", JsonPayload.of(n + ":"))).length();
    String data = n + ":" + "x".repeat((int) (step - STEP / 2 - overhead));
    byte[] frame = WireCodec.encode(new AppMessage("large", JsonPayload.of(data))).getBytes();
    assertTrue(frame.length - 4 > step - STEP && frame.length - 4 <= step, frame.length + " for " + step);
    return frame;
  }

  private static JsonObject stats(Vertx vertx, PeerMeshNode node) {
    return TestNodes.await(vertx.eventBus().<JsonObject>request(node.addresses().peers(),
        new JsonObject().put("stats", true))).body();
  }

  private static long taken(Vertx vertx, PeerMeshNode node) {
    return stats(vertx, node).getJsonObject("memoryBudget").getLong("taken");
  }
}
