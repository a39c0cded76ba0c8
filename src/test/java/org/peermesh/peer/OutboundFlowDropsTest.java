package org.peermesh.peer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.peermesh.bus.Failure;
import org.peermesh.net.PeerAddress;
import org.peermesh.testing.TestNodes;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * What {@link OutboundFlow} drops is reported to the pool's metrics, by why: messages refused as they would wait
 * beyond maxWriteQueueSize or the memory budget, and messages that waited ackTimeout. The link is a stand-in for a
 * peer whose queue is full while it reads, on a Vert.x context with real timers.
 */
class OutboundFlowDropsTest {

  private static final long MAX_WAITING = 10;

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final RecordingPeerMetrics metrics = new RecordingPeerMetrics();
  private final FullQueueLink link = new FullQueueLink();

  @AfterEach
  void tearDown() {
    TestNodes.await(vertx.close());
  }

  @Test
  void messagesThatWouldWaitBeyondMaxWriteQueueSizeAreRefusedAndCounted() {
    OutboundFlow<String> flow = onContext(() -> new OutboundFlow<>(link, "peer", String::length, 60_000, MAX_WAITING));
    onContext(() -> flow.send(List.of("12345678")));
    Future<Void> refused = onContext(() -> flow.send(List.of("123", "456")));
    assertEquals(Failure.TOO_MANY_REQUESTS.code(),
        assertInstanceOf(ReplyException.class, TestNodes.awaitFailure(refused)).failureCode());
    assertEquals(List.of("dropped write_queue_full 2"), metrics.events());
  }

  @Test
  void messagesTheMemoryBudgetHasNoRoomForAreRefusedAndCounted() {
    link.budgetHasRoom = false;
    OutboundFlow<String> flow = onContext(() -> new OutboundFlow<>(link, "peer", String::length, 60_000, MAX_WAITING));
    TestNodes.awaitFailure(onContext(() -> flow.send(List.of("1"))));
    assertEquals(List.of("dropped memory_budget 1"), metrics.events());
  }

  @Test
  void messagesThatWaitedAckTimeoutAreDroppedAndCounted() {
    OutboundFlow<String> flow = onContext(() -> new OutboundFlow<>(link, "peer", String::length, 20, MAX_WAITING));
    Future<Void> waited = onContext(() -> flow.send(List.of("1", "2", "3")));
    assertEquals(Failure.TIMEOUT.code(),
        assertInstanceOf(ReplyException.class, TestNodes.awaitFailure(waited)).failureCode());
    await().atMost(TestNodes.DEADLINE).until(() -> metrics.events().equals(List.of("dropped ack_timeout 3")));
    assertEquals(List.of(), link.sent);
  }

  private <T> T onContext(Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(work.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    try {
      return result.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A peer that reads, whose queue has no room: what is sent waits. */
  private final class FullQueueLink implements PeerLink<String> {

    private final List<String> sent = new CopyOnWriteArrayList<>();
    private volatile boolean budgetHasRoom = true;

    @Override
    public String name() {
      return "127.0.0.1:1";
    }

    @Override
    public Direction direction() {
      return Direction.OUTBOUND;
    }

    @Override
    public PeerAddress remote() {
      return new PeerAddress("127.0.0.1", 1);
    }

    @Override
    public void send(String message) {
      sent.add(message);
    }

    @Override
    public void refuse(Refusal refusal) {
      throw new AssertionError("refused: " + refusal);
    }

    @Override
    public boolean penalize(int penalty, String reason) {
      throw new AssertionError("penalized: " + reason);
    }

    @Override
    public boolean writable() {
      return true;
    }

    @Override
    public boolean hasRoomFor(long bytes) {
      return false;
    }

    @Override
    public boolean holdWaiting(long waitingBytes) {
      return budgetHasRoom;
    }

    @Override
    public long backedUpNanos() {
      return 0;
    }

    @Override
    public void publish(String type, JsonObject body) {
    }

    @Override
    public void publishRaw(JsonObject body) {
    }

    @Override
    public void publishError(String kind, String detail) {
    }

    @Override
    public void pong(long nonce) {
    }

    @Override
    public long latencyMicros() {
      return -1;
    }

    @Override
    public JsonObject traffic() {
      return new JsonObject();
    }

    @Override
    public PoolView pool() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Vertx vertx() {
      return vertx;
    }

    @Override
    public PeerMetrics metrics() {
      return metrics;
    }

    @Override
    public JsonObject header() {
      return new JsonObject();
    }
  }
}
