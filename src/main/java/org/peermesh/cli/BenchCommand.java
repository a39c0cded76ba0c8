package org.peermesh.cli;

import org.peermesh.bench.Bench;
import org.peermesh.bench.BenchOptions;
import org.peermesh.bench.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bench}: the command line of {@link Bench}, whose {@link BenchOptions} it fills. */
@Command(name = "bench", sortOptions = false,
    description = {"Measure PeerMesh against its baselines on 127.0.0.1 and print a table.",
        "Each figure's median, min and max, and its ratio to its baseline. A scenario that fails is reported, the "
            + "others still run, and the exit code is 1."})
final class BenchCommand implements Callable<Integer> {

  private final PrintStream out;
  private final PrintStream err;

  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "SCENARIO", arity = "0..*", description = "The scenarios to run (default: all; --list "
      + "names them).")
  private List<String> scenarios = List.of();

  @Option(names = "--quick", description = "A few seconds per scenario with small sizes: what CI runs.")
  private boolean quick;

  @Option(names = "--seconds", paramLabel = "N", description = "Each measured round's length (default "
      + BenchOptions.DEFAULT_SECONDS + ", quick " + BenchOptions.QUICK_SECONDS + ").")
  private Double seconds;

  @Option(names = "--rounds", paramLabel = "N", description = "Measured rounds per figure, after one warm-up "
      + "(default " + BenchOptions.DEFAULT_ROUNDS + ", quick " + BenchOptions.QUICK_ROUNDS + ").")
  private Integer rounds;

  @Option(names = "--payload", paramLabel = "BYTES", description = "Each message's data as encoded on the wire, a JSON "
      + "string with its quotes (default " + BenchOptions.DEFAULT_PAYLOAD + "; --list says more).")
  private Integer payload;

  @Option(names = "--peers", paramLabel = "N", description = "The one peer count of the fan-out and connection "
      + "scenarios, instead of their sizes.")
  private Integer peers;

  @Option(names = "--metrics", description = "The stream and request scenarios' nodes keep metrics, as a node with an "
      + "http section does: what they cost.")
  private boolean metrics;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures to FILE as JSON.")
  private Path json;

  @Option(names = "--list", description = "Name and describe the scenarios, and run none.")
  private boolean list;

  @Mixin
  private HelpOption help;

  BenchCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    Bench bench = Bench.standard();
    if (list) {
      bench.list(out);
      return 0;
    }
    BenchOptions options = new BenchOptions().setScenarios(scenarios).setQuick(quick).setJson(json)
        .setMetrics(metrics);
    List<Scenario> chosen;
    try {
      if (seconds != null) {
        options.setSeconds(seconds);
      }
      if (rounds != null) {
        options.setRounds(rounds);
      }
      if (payload != null) {
        options.setPayload(payload);
      }
      if (peers != null) {
        options.setPeers(peers);
      }
      chosen = bench.chosen(options);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return bench.run(chosen, options, out, err);
  }
}
