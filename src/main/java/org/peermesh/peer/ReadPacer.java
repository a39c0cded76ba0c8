package org.peermesh.peer;

import java.util.concurrent.TimeUnit;

/**
 * Fair reading for one peer: every frame it sends counts against {@code maxMessageRate}, in aligned windows of
 * {@link #WINDOW_MS}, known or unknown, valid or not. A peer that reaches its window's share is not read from until
 * the window ends, so that TCP slows it down and a flood costs the node's event loop no more than the limit, whatever
 * it costs the flooder; a peer held at its limit for {@link #FREE_PACED_WINDOWS} windows running floods, and the
 * connection charges it for each further one. Not thread-safe: it lives on its connection's context.
 */
final class ReadPacer {

  /** Short windows: an honest burst waits a fraction of a second at most, never a whole second. */
  static final long WINDOW_MS = 100;
  /** Windows in a row at the limit before the peer is charged for flooding: one second of bursting is free. */
  static final int FREE_PACED_WINDOWS = (int) (1000 / WINDOW_MS);

  private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(WINDOW_MS);

  private final int framesPerWindow;
  private long window = Long.MIN_VALUE;
  private int frames;
  private boolean pacedThisWindow;
  private int pacedWindowsInARow;

  /** @param maxMessageRate frames per second */
  ReadPacer(int maxMessageRate) {
    this.framesPerWindow = (int) Math.max(1, (long) maxMessageRate * WINDOW_MS / 1000);
  }

  /**
   * Counts {@code newFrames} received at {@code nowNanos} ({@link System#nanoTime}).
   *
   * @return how long, in nanoseconds, not to read from the peer: until its window ends once it has reached its share,
   *     0 while it has not
   */
  long count(int newFrames, long nowNanos) {
    long current = Math.floorDiv(nowNanos, WINDOW_NANOS);
    if (current != window) {
      if (!pacedThisWindow || current != window + 1) {
        pacedWindowsInARow = 0;
      }
      window = current;
      frames = 0;
      pacedThisWindow = false;
    }
    frames += newFrames;
    if (frames < framesPerWindow) {
      return 0;
    }
    if (!pacedThisWindow) {
      pacedThisWindow = true;
      pacedWindowsInARow++;
    }
    return (current + 1) * WINDOW_NANOS - nowNanos;
  }

  /** Whether the peer has been held at its limit longer than an honest burst lasts: each such window is charged. */
  boolean flooding() {
    return pacedThisWindow && pacedWindowsInARow > FREE_PACED_WINDOWS;
  }

  /** Windows in a row the peer has reached its limit in, this one included. */
  int pacedWindowsInARow() {
    return pacedWindowsInARow;
  }
}
