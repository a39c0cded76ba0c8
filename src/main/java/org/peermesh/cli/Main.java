package org.peermesh.cli;

import io.vertx.core.Future;
import org.peermesh.bench.BenchNodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar peermesh.jar <command>}: the command line is public API, documented in the README's "The command
 * line". One picocli parser for every command: each has its {@code --help}, an unknown option or command is refused
 * with a suggestion, and the exit code says what happened: 0 done, 1 failed while running, 2 not understood.
 */
@Command(name = "java -jar peermesh.jar", versionProvider = Main.Version.class, mixinStandardHelpOptions = true,
    description = "A peer-to-peer mesh node for the JVM, built on Vert.x.",
    synopsisSubcommandLabel = "COMMAND",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done",
        "1:failed while running (a bad config, a port in use, a failed bench scenario, a node not ready)",
        "2:usage error (an unknown command or option, a missing or invalid value)"},
    footer = {"", "'java -jar peermesh.jar COMMAND --help' shows a command's options."})
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    // Hazelcast logs some 180 INFO lines per start; its warnings (a member lost, a merge) are what matter here.
    if (System.getProperty("org.slf4j.simpleLogger.log.com.hazelcast") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.com.hazelcast", "warn");
    }
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
    // The bench starts and stops hundreds of connections; their INFO lines would bury its table. Set here, before
    // the first logger reads the level.
    if (args.length > 0 && args[0].equals("bench") && System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.exit(run(List.of(args), System.out, System.err));
  }

  /** Runs the command {@code args} name, printing to {@code out} and {@code err}; the process's exit code. */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    return commandLine(out, err).execute(args.toArray(String[]::new));
  }

  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new Main())
        .addSubcommand(new NodeCommand(out))
        .addSubcommand(new KeygenCommand(out))
        .addSubcommand(ExampleCommand.commandLine(out))
        .addSubcommand(new BenchCommand(out, err))
        .addSubcommand(new HealthCommand(out, err))
        .addSubcommand(new HelpCommand());
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setExecutionExceptionHandler(reportingFailures());
    return cli;
  }

  /**
   * A failure the node expects (a bad config, a port in use, a key file that exists) is one line naming what is
   * wrong; anything else is a bug, and its stack trace says where.
   */
  private static IExecutionExceptionHandler reportingFailures() {
    return (e, commandLine, parseResult) -> {
      if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
          || e instanceof UncheckedIOException) {
        commandLine.getErr().println("error: " + e.getMessage());
      } else {
        e.printStackTrace(commandLine.getErr());
      }
      return CommandLine.ExitCode.SOFTWARE;
    };
  }

  /** The project's version, which Maven writes into {@code version.properties} when it copies the resources. */
  static final class Version implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in == null) {
          throw new IOException("version.properties is not on the class path");
        }
        properties.load(in);
      }
      return new String[] {
          "PeerMesh " + properties.getProperty("version"),
          "Java " + System.getProperty("java.version") + ", " + System.getProperty("java.vm.name")};
    }
  }

  static <T> T await(Future<T> future, long seconds) {
    return BenchNodes.await(future, Duration.ofSeconds(seconds));
  }

  static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
