package org.peermesh.peer;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.peermesh.testing.TestNodes;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A peer's pending requests, on a Vert.x context as on a peer verticle's, with real timers. */
class PendingRequestsTest {

  private static final long LONG = 60_000;

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final List<String> timedOut = new CopyOnWriteArrayList<>();
  private final List<Long> unanswered = new CopyOnWriteArrayList<>();
  private final RecordingPeerMetrics metrics = new RecordingPeerMetrics();

  @AfterEach
  void tearDown() {
    TestNodes.await(vertx.close());
  }

  @Test
  void anAnswerReachesItsCallerOnceAndCountsForThePeer() {
    PendingRequests<String> requests = onContext(() -> new PendingRequests<>(vertx, 8, LONG, LONG, metrics));
    long id = onContext(() -> open(requests, "caller-1")).getAsLong();
    long other = onContext(() -> open(requests, "caller-2")).getAsLong();
    assertTrue(id != other);
    PendingRequests.Answer<String> answer = onContext(() -> requests.answer(id, true));
    assertEquals("caller-1", assertInstanceOf(PendingRequests.Answer.Awaited.class, answer).caller());
    assertInstanceOf(PendingRequests.Answer.Unknown.class, onContext(() -> requests.answer(id, true)));
    assertInstanceOf(PendingRequests.Answer.Unknown.class, onContext(() -> requests.answer(12345, true)));
    assertEquals(1.0, onContext(requests::responseRate));
    assertEquals(List.of("request outbound ok"), metrics.events());
  }

  @Test
  void aFailureAnswerIsTimedAsFailed() {
    PendingRequests<String> requests = onContext(() -> new PendingRequests<>(vertx, 8, LONG, LONG, metrics));
    long id = onContext(() -> open(requests, "caller")).getAsLong();
    assertInstanceOf(PendingRequests.Answer.Awaited.class, onContext(() -> requests.answer(id, false)));
    assertEquals(List.of("request outbound failed"), metrics.events());
  }

  @Test
  void aTimedOutRequestFailsItsCallerAndALateAnswerStillCounts() {
    PendingRequests<String> requests = onContext(() -> new PendingRequests<>(vertx, 8, 20, LONG, metrics));
    long id = onContext(() -> open(requests, "caller")).getAsLong();
    await().atMost(TestNodes.DEADLINE).until(() -> timedOut.equals(List.of("caller")));
    assertInstanceOf(PendingRequests.Answer.Late.class, onContext(() -> requests.answer(id, true)));
    assertEquals(1.0, onContext(requests::responseRate));
    assertEquals(List.of(), unanswered);
    // Timed once, as it timed out: the late answer is not a second outcome.
    assertEquals(List.of("request outbound timeout"), metrics.events());
  }

  @Test
  void noAnswerWithinTheGraceCountsAgainstThePeer() {
    PendingRequests<String> requests = onContext(() -> new PendingRequests<>(vertx, 8, 20, 20, metrics));
    long answeredId = onContext(() -> open(requests, "answered")).getAsLong();
    onContext(() -> requests.answer(answeredId, true));
    long id = onContext(() -> open(requests, "silent")).getAsLong();
    await().atMost(TestNodes.DEADLINE).until(() -> unanswered.equals(List.of(id)));
    assertEquals(List.of("silent"), timedOut);
    assertInstanceOf(PendingRequests.Answer.Unknown.class, onContext(() -> requests.answer(id, true)));
    assertEquals(0.5, onContext(requests::responseRate));
  }

  @Test
  void requestsBeyondTheLimitAreRefusedAndClosingFailsTheWaitingOnes() {
    PendingRequests<String> requests = onContext(() -> new PendingRequests<>(vertx, 2, LONG, LONG, metrics));
    onContext(() -> open(requests, "a"));
    onContext(() -> open(requests, "b"));
    assertTrue(onContext(() -> open(requests, "c")).isEmpty());
    List<String> failed = new CopyOnWriteArrayList<>();
    onContext(() -> {
      requests.close((id, caller) -> failed.add(caller));
      return null;
    });
    assertEquals(List.of("a", "b"), failed.stream().sorted().toList());
    assertEquals(List.of("request outbound disconnected", "request outbound disconnected"), metrics.events());
    assertTrue(onContext(() -> open(requests, "d")).isPresent());
  }

  private OptionalLong open(PendingRequests<String> requests, String caller) {
    return requests.open(caller, timedOut::add, unanswered::add);
  }

  /** Runs {@code work} on the context, where the requests and their timers live, and returns its result. */
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
}
