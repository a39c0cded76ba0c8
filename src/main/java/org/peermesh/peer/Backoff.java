package org.peermesh.peer;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The redial back-off of one address, the same policy for every protocol: the wait doubles with each connection in
 * a row that failed before its handshake, from {@code minMs} up to {@code maxMs}, and starts over once a connection
 * got through. Each wait is jittered by ±20%, so that the members or nodes that lost one peer at once do not redial
 * it in step, and a failing address is never dialed in a hot loop. Not thread-safe: its pool guards it.
 */
public final class Backoff {

  /** How far the wait may grow: 64 times the first, past a minute for the default second. */
  private static final int MAX_FACTOR = 64;

  private final long minMs;
  private final long maxMs;
  private int failures;
  private long notBeforeNanos;

  public Backoff(long minMs, long maxMs) {
    if (minMs <= 0 || maxMs < minMs) {
      throw new IllegalArgumentException("back-off from " + minMs + " to " + maxMs + " ms");
    }
    this.minMs = minMs;
    this.maxMs = maxMs;
    this.notBeforeNanos = System.nanoTime();
  }

  /** The back-off of a pool's {@code reconnectInterval}: from it up to {@value #MAX_FACTOR} times it. */
  public static Backoff startingAt(long reconnectIntervalMs) {
    return new Backoff(reconnectIntervalMs, reconnectIntervalMs * MAX_FACTOR);
  }

  /**
   * Records how a connection ended and returns how long until the address may be dialed again.
   *
   * @param established whether the connection got through its handshake
   */
  public long closed(boolean established) {
    failures = established ? 0 : failures + 1;
    // Past 2^20 doublings every wait is maxMs; the cap keeps the shift from overflowing.
    long delay = Math.min(maxMs, minMs << Math.min(failures, 20));
    long jittered = (long) (delay * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
    notBeforeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(jittered);
    return jittered;
  }

  /** Whether the wait since the last close is over. */
  public boolean elapsed(long nowNanos) {
    return nowNanos - notBeforeNanos >= 0;
  }
}
