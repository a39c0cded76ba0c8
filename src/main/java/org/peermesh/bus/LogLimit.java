package org.peermesh.bus;

import java.util.function.LongSupplier;

/**
 * At most {@code lines} log lines per {@code window}, shared by every caller: a bridge client that sends bad frames as
 * fast as it can must not fill the node's log, however many connections it opens. The lines left out are counted and
 * the next line let through says how many.
 */
final class LogLimit {

  private final int lines;
  private final long windowNanos;
  private final LongSupplier nanoTime;
  private long windowStart;
  private int linesInWindow;
  private long leftOut;

  LogLimit(int lines, long windowNanos, LongSupplier nanoTime) {
    this.lines = lines;
    this.windowNanos = windowNanos;
    this.nanoTime = nanoTime;
    this.windowStart = nanoTime.getAsLong() - windowNanos;
  }

  /**
   * Whether a line may be logged now.
   *
   * @return -1 if not (it is counted); else how many lines were left out since the last one let through
   */
  synchronized long admit() {
    long now = nanoTime.getAsLong();
    if (now - windowStart >= windowNanos) {
      windowStart = now;
      linesInWindow = 0;
    }
    if (linesInWindow == lines) {
      leftOut++;
      return -1;
    }
    linesInWindow++;
    long count = leftOut;
    leftOut = 0;
    return count;
  }
}
