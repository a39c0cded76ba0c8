package org.peermesh.bench;

import java.util.Arrays;
import java.util.Objects;

/**
 * One measured figure: its value in each round, what a better value is, and what it is compared with.
 *
 * <p>A figure names at most one comparison. {@link #against} names a baseline that this figure is PeerMesh's
 * measure over (the bare Vert.x pair, a single JVM); {@link #beneath} marks a foreign implementation's figure and
 * names the PeerMesh figure measured on the same workload. Either way the report's ratio says how PeerMesh does:
 * above 1 it is faster (a higher rate, a lower latency) than what it is compared with.
 */
public record Figure(String name, String unit, Better better, double[] rounds, String comparedWith, boolean foreign) {

  /** Whether a higher or a lower value is better. */
  public enum Better {
    HIGHER, LOWER
  }

  public Figure {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(better, "better");
    if (rounds.length == 0) {
      throw new IllegalArgumentException(name + ": no rounds measured");
    }
    rounds = rounds.clone();
  }

  public static Figure rate(String name, String unit, double[] rounds) {
    return new Figure(name, unit, Better.HIGHER, rounds, null, false);
  }

  public static Figure latency(String name, String unit, double[] rounds) {
    return new Figure(name, unit, Better.LOWER, rounds, null, false);
  }

  /** This PeerMesh figure, compared with the named baseline measured in the same run. */
  public Figure against(String baseline) {
    return new Figure(name, unit, better, rounds, baseline, false);
  }

  /** A foreign implementation's figure, which the named PeerMesh figure is compared with. */
  public Figure beneath(String peerMeshFigure) {
    return new Figure(name, unit, better, rounds, peerMeshFigure, true);
  }

  @Override
  public double[] rounds() {
    return rounds.clone();
  }

  public double median() {
    double[] sorted = rounds.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  public double min() {
    return Arrays.stream(rounds).min().orElseThrow();
  }

  public double max() {
    return Arrays.stream(rounds).max().orElseThrow();
  }

  /** How many times better PeerMesh's median is than the other median: above 1, PeerMesh is faster. */
  public double ratio(double otherMedian) {
    double mesh = foreign ? otherMedian : median();
    double other = foreign ? median() : otherMedian;
    return better == Better.HIGHER ? mesh / other : other / mesh;
  }
}
