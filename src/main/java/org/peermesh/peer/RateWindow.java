package org.peermesh.peer;

import java.util.concurrent.TimeUnit;

/**
 * A peer's events counted in aligned windows of one length, the way its rate is judged: the first event of a new
 * window closes the one before, whole, however long the silence after a burst. Not thread-safe: it lives on its peer
 * verticle's context.
 */
public final class RateWindow {

  private final long windowNanos;
  private long window = Long.MIN_VALUE;
  private int count;

  public RateWindow(long windowMs) {
    if (windowMs <= 0) {
      throw new IllegalArgumentException("a rate window of " + windowMs + " ms");
    }
    this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMs);
  }

  /**
   * Counts one event at {@code nowNanos} ({@link System#nanoTime}).
   *
   * @return how many events the window it closed held, or -1 when it falls in the current window
   */
  public int count(long nowNanos) {
    long current = Math.floorDiv(nowNanos, windowNanos);
    if (current == window) {
      count++;
      return -1;
    }
    int closed = count;
    window = current;
    count = 1;
    return closed;
  }
}
