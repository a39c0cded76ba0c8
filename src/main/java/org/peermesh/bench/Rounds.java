package org.peermesh.bench;

import java.util.Arrays;

/**
 * Runs one warm-up round and then the measured rounds of a workload. A round returns one value per metric it
 * measures; the result holds, per metric, its value in each measured round.
 */
public final class Rounds {

  /** One round of a workload, returning its metrics in a fixed order. */
  @FunctionalInterface
  public interface Round {
    double[] run() throws Exception;
  }

  private Rounds() {
  }

  /** {@code result[metric][round]}. */
  public static double[][] measure(BenchOptions options, BenchLog log, String label, Round round) throws Exception {
    log.line(label + ": warm-up");
    int metrics = round.run().length;
    double[][] values = new double[metrics][options.rounds()];
    for (int r = 0; r < options.rounds(); r++) {
      double[] measured = round.run();
      if (measured.length != metrics) {
        throw new IllegalStateException(label + ": round " + r + " returned " + measured.length + " metrics, not " + metrics);
      }
      for (int m = 0; m < metrics; m++) {
        values[m][r] = measured[m];
      }
      log.line(label + ": round " + (r + 1) + "/" + options.rounds() + " " + Arrays.toString(measured));
    }
    return values;
  }
}
