package org.peermesh.peer;

import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The requests one peer owes us answers to, for any protocol whose messages carry request ids: an id for each, a
 * timeout, and the peer's record of answering. A request that times out fails its caller at once, and the answer
 * may still come within a grace period (the peer's own consumer may have timed out at the same moment) without
 * counting against the peer; past the grace it counts as unanswered, which the owner may penalise. The share of
 * requests answered is the peer's response rate, which selection weighs. How long each request took, and how it
 * ended, goes to the pool's metrics.
 *
 * <p>Not thread-safe: it lives on its peer verticle's context, as do the timers it sets.
 *
 * @param <C> what waits for an answer (the event-bus message of the command that asked)
 */
public final class PendingRequests<C> {

  /** What a peer's answer turned out to be. */
  public sealed interface Answer<C> {

    /** The answer to a request still waiting: its caller gets it. */
    record Awaited<C>(C caller) implements Answer<C> {
    }

    /** An answer after its request timed out, within the grace period: counted as answered, given to no one. */
    record Late<C>() implements Answer<C> {
    }

    /** An answer to no request of ours. */
    record Unknown<C>() implements Answer<C> {
    }
  }

  private final Vertx vertx;
  private final PeerMetrics metrics;
  private final int maxInFlight;
  private final long timeoutMs;
  private final long graceMs;
  private final Map<Long, Waiting<C>> waiting = new HashMap<>();
  /** The grace timers of timed-out requests, by id. */
  private final Map<Long, Long> late = new HashMap<>();
  private long nextId = 1;
  private long answered;
  private long unanswered;

  /**
   * @param maxInFlight at most this many requests wait at once; more are refused, never queued
   * @param timeoutMs   how long a caller waits
   * @param graceMs     how long after the timeout an answer still counts as one
   * @param metrics     where each request's latency and outcome go
   */
  public PendingRequests(Vertx vertx, int maxInFlight, long timeoutMs, long graceMs, PeerMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.maxInFlight = maxInFlight;
    this.timeoutMs = timeoutMs;
    this.graceMs = graceMs;
  }

  /**
   * Opens a request: returns its id, or nothing when {@code maxInFlight} requests wait already.
   *
   * @param timedOut   called with the caller when the request times out
   * @param unanswered called with the id when the grace period ends without an answer
   */
  public OptionalLong open(C caller, Consumer<C> timedOut, Consumer<Long> unanswered) {
    if (waiting.size() >= maxInFlight) {
      return OptionalLong.empty();
    }
    long id = nextId++;
    long opened = System.nanoTime();
    long timer = vertx.setTimer(timeoutMs, t -> {
      Waiting<C> expired = waiting.remove(id);
      if (expired != null) {
        settled(expired, PeerMetrics.RequestOutcome.TIMEOUT);
        timedOut.accept(expired.caller());
        late.put(id, vertx.setTimer(graceMs, g -> {
          late.remove(id);
          this.unanswered++;
          unanswered.accept(id);
        }));
      }
    });
    waiting.put(id, new Waiting<>(caller, timer, opened));
    return OptionalLong.of(id);
  }

  /**
   * What the peer's answer to {@code id} is, counted in its record.
   *
   * @param succeeded whether the peer answered with success rather than a failure
   */
  public Answer<C> answer(long id, boolean succeeded) {
    Waiting<C> awaited = waiting.remove(id);
    if (awaited != null) {
      vertx.cancelTimer(awaited.timer());
      settled(awaited, succeeded ? PeerMetrics.RequestOutcome.OK : PeerMetrics.RequestOutcome.FAILED);
      answered++;
      return new Answer.Awaited<>(awaited.caller());
    }
    Long graceTimer = late.remove(id);
    if (graceTimer != null) {
      vertx.cancelTimer(graceTimer);
      answered++;
      return new Answer.Late<>();
    }
    return new Answer.Unknown<>();
  }

  /** The share of requests the peer answered, 1 before any was settled. */
  public double responseRate() {
    long settled = answered + unanswered;
    return settled == 0 ? 1 : (double) answered / settled;
  }

  /** Ends every request: each waiting caller is told with {@code fail}; no grace period runs on. */
  public void close(BiConsumer<Long, C> fail) {
    waiting.forEach((id, w) -> {
      vertx.cancelTimer(w.timer());
      settled(w, PeerMetrics.RequestOutcome.DISCONNECTED);
      fail.accept(id, w.caller());
    });
    waiting.clear();
    late.values().forEach(vertx::cancelTimer);
    late.clear();
  }

  private void settled(Waiting<C> request, PeerMetrics.RequestOutcome outcome) {
    metrics.requestCompleted(Direction.OUTBOUND, outcome, System.nanoTime() - request.openedNanos());
  }

  private record Waiting<C>(C caller, long timer, long openedNanos) {
  }
}
