package org.peermesh.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar peermesh.jar bench}: runs the named scenarios (all by default) one after another, prints one
 * table and optionally writes the same figures as JSON. A scenario that fails is reported and the others still run;
 * the command then exits with 1, so that a broken scenario cannot pass unnoticed in CI.
 */
public final class Bench {

  private final Map<String, Scenario> scenarios = new LinkedHashMap<>();

  public Bench(List<Scenario> scenarios) {
    for (Scenario scenario : scenarios) {
      this.scenarios.put(scenario.name(), scenario);
    }
  }

  /** Every scenario, in the order they run by default. */
  public static Bench standard() {
    return new Bench(List.of(
        new StreamScenario(),
        new Devp2pScenario(),
        new RequestScenario(),
        new FanOutScenario(),
        new ConnectionsScenario(),
        new ClusterScenario(),
        new LiskScenario()));
  }

  /** Names and describes every scenario, and what {@code --payload} counts. */
  public void list(PrintStream out) {
    scenarios.values().forEach(s -> out.printf("%-12s %s%n", s.name(), s.description()));
    out.printf("%n--payload BYTES: %s%n", Payload.MEANING);
  }

  /**
   * The scenarios {@code options} name, in the order named, or every one.
   *
   * @throws IllegalArgumentException naming a scenario there is not, and those there are
   */
  public List<Scenario> chosen(BenchOptions options) {
    List<Scenario> chosen = new ArrayList<>();
    for (String name : options.scenarios().isEmpty() ? List.copyOf(scenarios.keySet()) : options.scenarios()) {
      Scenario scenario = scenarios.get(name);
      if (scenario == null) {
        throw new IllegalArgumentException("unknown scenario '" + name + "' (" + String.join(", ", scenarios.keySet()) + ")");
      }
      chosen.add(scenario);
    }
    return chosen;
  }

  /** Runs {@code chosen} (see {@link #chosen}) one after another and prints the table; 1 if any of them failed. */
  public int run(List<Scenario> chosen, BenchOptions options, PrintStream out, PrintStream err) {
    BenchReport report = new BenchReport();
    List<String> failed = new ArrayList<>();
    BenchLog log = line -> err.println("[bench] " + line);
    for (Scenario scenario : chosen) {
      log.line(scenario.name() + ": " + scenario.description());
      try {
        scenario.run(options, log).forEach(report::add);
      } catch (Exception | AssertionError e) {
        failed.add(scenario.name());
        err.println("[bench] " + scenario.name() + " failed: " + e);
        e.printStackTrace(err);
      }
    }
    out.printf("PeerMesh bench, %s, %d cores, %s; median of %d rounds of %.1f s%s%n", LocalDate.now(),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " "
            + System.getProperty("java.version"), options.rounds(), options.seconds(), options.quick() ? " (quick)" : "");
    report.print(out);
    if (options.json() != null) {
      write(options.json(), report);
    }
    if (!failed.isEmpty()) {
      err.println("[bench] failed: " + String.join(", ", failed));
      return 1;
    }
    return 0;
  }

  private static void write(Path file, BenchReport report) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, report.toJson().encodePrettily());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
