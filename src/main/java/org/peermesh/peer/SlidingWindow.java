package org.peermesh.peer;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The times of a peer's last events within a sliding window, for limits of "at most N per window" that must hold
 * at every moment (nodeInfo pushes, both ways). Not thread-safe: it lives on its peer verticle's context.
 */
public final class SlidingWindow {

  private final long windowNanos;
  private final ArrayDeque<Long> times = new ArrayDeque<>();

  public SlidingWindow(long windowMs) {
    this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMs);
  }

  /** Records an event at {@code nowNanos} and returns how many the window holds with it. */
  public int record(long nowNanos) {
    forgetBefore(nowNanos);
    times.addLast(nowNanos);
    return times.size();
  }

  /** How many events the window holds at {@code nowNanos}. */
  public int count(long nowNanos) {
    forgetBefore(nowNanos);
    return times.size();
  }

  /** How long from {@code nowNanos} until the oldest event leaves the window; 0 when it is empty. */
  public long nanosUntilRoom(long nowNanos) {
    forgetBefore(nowNanos);
    return times.isEmpty() ? 0 : Math.max(0, times.peekFirst() + windowNanos - nowNanos);
  }

  private void forgetBefore(long nowNanos) {
    while (!times.isEmpty() && nowNanos - times.peekFirst() >= windowNanos) {
      times.removeFirst();
    }
  }
}
