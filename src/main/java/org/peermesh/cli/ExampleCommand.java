package org.peermesh.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.metrics.MetricsOptions;
import org.peermesh.bench.BenchNodes;
import org.peermesh.examples.AntelopeWatchExample;
import org.peermesh.examples.ConsumerExample;
import org.peermesh.examples.Devp2pExample;
import org.peermesh.examples.EchoExample;
import org.peermesh.examples.FindCityExample;
import org.peermesh.node.NodeOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/** {@code example NAME}: each example a subcommand, so that each has its {@code --help} and a misspelling is caught. */
@Command(name = "example", synopsisSubcommandLabel = "EXAMPLE",
    description = {"Run an example mesh on 127.0.0.1, or a service in a node's cluster.",
        "A mesh example exits when it is done; the consumer runs until interrupted."})
final class ExampleCommand {

  private static final long EXAMPLE_TIMEOUT_SECONDS = 120;

  @Mixin
  private HelpOption help;

  static CommandLine commandLine(PrintStream out) {
    return new CommandLine(new ExampleCommand())
        .addSubcommand(mesh("echo", "Three nodes connect, say \"hi\" to each other and answer \"hi back\".",
            out, (vertx, dir) -> EchoExample.run(vertx, dir, out::println)))
        .addSubcommand(mesh("find-city", "Three nodes move between cities until they all are in the same one.",
            out, (vertx, dir) -> FindCityExample.run(vertx, dir, 200, out::println)))
        .addSubcommand(mesh("antelope-watch",
            "An Antelope relay, a peer feeding it blocks, and a watcher that syncs and follows them.",
            out, (vertx, dir) -> AntelopeWatchExample.run(vertx, dir, out::println)))
        .addSubcommand(mesh("devp2p", "The go-ethereum seed's MyProtocol: a server answers \"foo\" with \"bar\".",
            out, (vertx, dir) -> Devp2pExample.run(vertx, dir, out::println)))
        .addSubcommand(new ConsumerCommand(out));
  }

  private static CommandLine mesh(String name, String description, PrintStream out, Example example) {
    CommandLine command = new CommandLine(new MeshExample(name, example, out));
    command.getCommandSpec().name(name).usageMessage().description(description);
    return command;
  }

  /** An example's run on a fresh Vert.x, with a data directory for its nodes' keys. */
  @FunctionalInterface
  private interface Example {
    Future<?> run(Vertx vertx, Path dataDir);
  }

  /** One of the examples that run a mesh on 127.0.0.1 and end; its name and description are set where it is added. */
  @Command
  private static final class MeshExample implements Callable<Integer> {

    private final String name;
    private final Example example;
    private final PrintStream out;

    @Mixin
    private HelpOption help;

    MeshExample(String name, Example example, PrintStream out) {
      this.name = name;
      this.example = example;
      this.out = out;
    }

    @Override
    public Integer call() {
      Vertx vertx = Vertx.vertx();
      Path dataDir = null;
      try {
        dataDir = Files.createTempDirectory("peermesh-example-");
        Main.await(example.run(vertx, dataDir), EXAMPLE_TIMEOUT_SECONDS);
        out.println("example " + name + " done");
        return 0;
      } catch (IOException e) {
        throw new IllegalStateException("cannot create a temporary data directory: " + e.getMessage(), e);
      } finally {
        Main.await(vertx.close(), 10);
        // The example nodes' keys are throwaway identities: nothing of them is left behind.
        if (dataDir != null) {
          BenchNodes.deleteTree(dataDir);
        }
      }
    }
  }

  /** {@code example consumer}: a service in the cluster of a node, without peers of its own, until stopped. */
  @Command(name = "consumer", sortOptions = false,
      description = {"Join a clustered node as a service without peers, until interrupted.",
          "Prints every event, asks 'peers' (then broadcasts EVENT) every 10 s, and says once while no node answers."})
  private static final class ConsumerCommand implements Callable<Integer> {

    private final PrintStream out;

    @Option(names = "--conf", paramLabel = "FILE",
        description = "A node config whose busPrefix and cluster section the consumer uses (default: those of an "
            + "empty config).")
    private Path conf;

    @Option(names = "--cluster-config", paramLabel = "FILE", defaultValue = NodeCommand.DEFAULT_CLUSTER_CONFIG,
        description = "The Hazelcast settings (default: ${DEFAULT-VALUE}).")
    private Path clusterConfig;

    @Option(names = "--broadcast", paramLabel = "EVENT", description = "An event to broadcast every 10 s.")
    private String broadcastEvent;

    @Mixin
    private HelpOption help;

    ConsumerCommand(PrintStream out) {
      this.out = out;
    }

    @Override
    public Integer call() {
      NodeOptions options = conf == null ? new NodeOptions() : NodeOptions.fromFile(conf);
      Vertx vertx = NodeCommand.joinCluster(clusterConfig, options.getCluster(), new MetricsOptions(), out);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        Main.await(vertx.close(), 30);
        stopped.countDown();
      }, "peermesh-shutdown"));
      Consumer<String> print = line -> {
        synchronized (out) {
          out.println(line);
        }
      };
      Main.await(ConsumerExample.run(vertx, options.getBusPrefix(), broadcastEvent, print), 30);
      Main.awaitUninterruptibly(stopped);
      return 0;
    }
  }
}
