package org.peermesh.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code bench} runs: which scenarios, for how long, with what sizes. Every option is on the command line
 * ({@link #parse}); {@code --quick} is a few seconds per scenario with small sizes, so that CI keeps the command
 * working without spending minutes on it.
 */
public final class BenchOptions {

  public static final int DEFAULT_ROUNDS = 5;
  public static final int QUICK_ROUNDS = 3;
  public static final double DEFAULT_SECONDS = 2;
  public static final double QUICK_SECONDS = 0.5;
  public static final int DEFAULT_PAYLOAD = 100;

  private final List<String> scenarios = new ArrayList<>();
  private boolean quick;
  private Double seconds;
  private Integer rounds;
  private int payload = DEFAULT_PAYLOAD;
  private Integer peers;
  private Path json;
  private boolean list;

  /**
   * Parses {@code [scenario...] [--quick] [--seconds N] [--rounds N] [--payload BYTES] [--peers N] [--json FILE]
   * [--list]}.
   *
   * @throws IllegalArgumentException naming the option that is wrong
   */
  public static BenchOptions parse(List<String> args) {
    BenchOptions options = new BenchOptions();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--quick" -> options.quick = true;
        case "--list" -> options.list = true;
        case "--seconds" -> options.seconds = positive(arg, value(args, ++i, arg));
        case "--rounds" -> options.rounds = (int) atLeast(arg, value(args, ++i, arg), 1);
        case "--payload" -> options.payload = (int) atLeast(arg, value(args, ++i, arg), Payload.MIN_BYTES);
        case "--peers" -> options.peers = (int) atLeast(arg, value(args, ++i, arg), 1);
        case "--json" -> options.json = Path.of(value(args, ++i, arg));
        default -> {
          if (arg.startsWith("--")) {
            throw new IllegalArgumentException("unknown bench option " + arg);
          }
          options.scenarios.add(arg);
        }
      }
    }
    return options;
  }

  private static String value(List<String> args, int at, String name) {
    if (at >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args.get(at);
  }

  private static double positive(String name, String text) {
    double value = number(name, text);
    if (!(value > 0)) {
      throw new IllegalArgumentException(name + " must be above 0, not " + text);
    }
    return value;
  }

  private static double atLeast(String name, String text, int min) {
    double value = number(name, text);
    if (value != Math.rint(value) || value < min) {
      throw new IllegalArgumentException(name + " must be an integer >= " + min + ", not " + text);
    }
    return value;
  }

  private static double number(String name, String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not " + text);
    }
  }

  /** The scenarios named on the command line; empty means all of them. */
  public List<String> scenarios() {
    return List.copyOf(scenarios);
  }

  public boolean quick() {
    return quick;
  }

  public boolean list() {
    return list;
  }

  /** How long one measured round lasts. */
  public double seconds() {
    return seconds != null ? seconds : quick ? QUICK_SECONDS : DEFAULT_SECONDS;
  }

  public long roundMillis() {
    return Math.round(seconds() * 1000);
  }

  /** How many measured rounds each figure has, after one warm-up round. */
  public int rounds() {
    return rounds != null ? rounds : quick ? QUICK_ROUNDS : DEFAULT_ROUNDS;
  }

  /** The size of each message's application data, as {@link Payload} counts it. */
  public int payload() {
    return payload;
  }

  /** The peer counts a scenario runs at: {@code --peers N} if given, else its quick or full sizes. */
  public List<Integer> peerCounts(List<Integer> full, List<Integer> quickSizes) {
    if (peers != null) {
      return List.of(peers);
    }
    return quick ? quickSizes : full;
  }

  /** Where to write the figures as JSON, or null. */
  public Path json() {
    return json;
  }
}
