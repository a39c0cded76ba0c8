package org.peermesh.bench;

import java.util.Arrays;

/** Latencies of one round in nanoseconds; not thread-safe: one recorder per event loop or thread. */
public final class Latencies {

  private long[] nanos = new long[1024];
  private int count;
  /** {@link #nanos} sorted, kept from one percentile to the next until another latency is recorded. */
  private long[] sorted;

  public void record(long latencyNanos) {
    sorted = null;
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
    sorted = null;
  }

  /** The {@code p}-th percentile ({@code 0 < p <= 100}), nearest rank, in microseconds. */
  public double percentileMicros(double p) {
    if (count == 0) {
      throw new IllegalStateException("no latency recorded");
    }
    if (sorted == null) {
      sorted = Arrays.copyOf(nanos, count);
      Arrays.sort(sorted);
    }
    return nearestRank(sorted, p) / 1_000.0;
  }

  /** The {@code p}-th percentile ({@code 0 < p <= 100}) of the non-empty ascending {@code sorted}, nearest rank. */
  public static long nearestRank(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }
}
