package org.peermesh.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code bench} runs: which scenarios, for how long, with what sizes. The command line sets them (its parser is
 * the {@code cli} package's); each setter refuses a value no run could use, naming the option. {@code --quick} is a
 * few seconds per scenario with small sizes, so that CI keeps the command working without spending minutes on it.
 */
public final class BenchOptions {

  public static final int DEFAULT_ROUNDS = 5;
  public static final int QUICK_ROUNDS = 3;
  public static final double DEFAULT_SECONDS = 2;
  public static final double QUICK_SECONDS = 0.5;
  public static final int DEFAULT_PAYLOAD = 100;

  private List<String> scenarios = List.of();
  private boolean quick;
  private Double seconds;
  private Integer rounds;
  private int payload = DEFAULT_PAYLOAD;
  private Integer peers;
  private Path json;
  private boolean metrics;

  /**
   * Whether the nodes of the stream and request scenarios keep metrics, as the node command runs a node with an
   * {@code http} section: Vert.x's own and the node's. Off, they measure the node as it runs without one.
   */
  public boolean metrics() {
    return metrics;
  }

  public BenchOptions setMetrics(boolean metrics) {
    this.metrics = metrics;
    return this;
  }

  /** The scenarios named on the command line; empty means all of them. */
  public List<String> scenarios() {
    return scenarios;
  }

  public BenchOptions setScenarios(List<String> scenarios) {
    this.scenarios = List.copyOf(scenarios);
    return this;
  }

  public boolean quick() {
    return quick;
  }

  public BenchOptions setQuick(boolean quick) {
    this.quick = quick;
    return this;
  }

  /** How long one measured round lasts. */
  public double seconds() {
    return seconds != null ? seconds : quick ? QUICK_SECONDS : DEFAULT_SECONDS;
  }

  /** @throws IllegalArgumentException unless above 0 */
  public BenchOptions setSeconds(double seconds) {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException("--seconds must be above 0, not " + seconds);
    }
    this.seconds = seconds;
    return this;
  }

  public long roundMillis() {
    return Math.round(seconds() * 1000);
  }

  /** How many measured rounds each figure has, after one warm-up round. */
  public int rounds() {
    return rounds != null ? rounds : quick ? QUICK_ROUNDS : DEFAULT_ROUNDS;
  }

  /** @throws IllegalArgumentException unless at least 1 */
  public BenchOptions setRounds(int rounds) {
    this.rounds = atLeast("--rounds", rounds, 1);
    return this;
  }

  /** The size of each message's application data, as {@link Payload} counts it. */
  public int payload() {
    return payload;
  }

  /** @throws IllegalArgumentException if no JSON string is that short */
  public BenchOptions setPayload(int payload) {
    this.payload = atLeast("--payload", payload, Payload.MIN_BYTES);
    return this;
  }

  /** The peer counts a scenario runs at: {@code --peers N} if given, else its quick or full sizes. */
  public List<Integer> peerCounts(List<Integer> full, List<Integer> quickSizes) {
    if (peers != null) {
      return List.of(peers);
    }
    return quick ? quickSizes : full;
  }

  /** @throws IllegalArgumentException unless at least 1 */
  public BenchOptions setPeers(int peers) {
    this.peers = atLeast("--peers", peers, 1);
    return this;
  }

  /** Where to write the figures as JSON, or null. */
  public Path json() {
    return json;
  }

  public BenchOptions setJson(Path json) {
    this.json = json;
    return this;
  }

  private static int atLeast(String option, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(option + " must be at least " + min + ", not " + value);
    }
    return value;
  }
}
