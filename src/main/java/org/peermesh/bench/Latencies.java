package org.peermesh.bench;

import java.util.Arrays;

/** Latencies of one round in nanoseconds; not thread-safe: one recorder per event loop or thread. */
public final class Latencies {

  private long[] nanos = new long[1024];
  private int count;

  public void record(long latencyNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = latencyNanos;
  }

  public int count() {
    return count;
  }

  public void clear() {
    count = 0;
  }

  /** The {@code p}-th percentile (0 < p <= 100), nearest rank, in microseconds. */
  public double percentileMicros(double p) {
    if (count == 0) {
      throw new IllegalStateException("no latency recorded");
    }
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100 * count);
    return sorted[Math.max(0, rank - 1)] / 1_000.0;
  }
}
