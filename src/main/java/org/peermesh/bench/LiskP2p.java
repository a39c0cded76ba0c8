package org.peermesh.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The lisk-p2p side of the bench: {@code src/interop/lisk-p2p}, where npm installs the pinned @liskhq/lisk-p2p and
 * {@code bench.js} runs its workloads in Node.js. The folder is found relative to the working directory, so the
 * bench runs from the repository root.
 */
public final class LiskP2p {

  public static final Path DEFAULT_DIR = Path.of("src", "interop", "lisk-p2p");

  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
  /** Starting the nodes and connecting them, on top of the rounds themselves. */
  private static final Duration STARTUP_ALLOWANCE = Duration.ofSeconds(60);

  private final Path dir;

  public LiskP2p(Path dir) {
    this.dir = dir;
  }

  /** Installs the locked packages unless they are there: the same {@code npm ci} as {@code src/interop/install.sh}. */
  public void ensureInstalled(BenchLog log) throws IOException, InterruptedException {
    if (!Files.isRegularFile(dir.resolve("bench.js"))) {
      throw new IllegalStateException("no " + dir.resolve("bench.js") + ": run the bench from the repository root");
    }
    if (Files.isDirectory(dir.resolve("node_modules/@liskhq/lisk-p2p"))) {
      return;
    }
    log.line("lisk: installing @liskhq/lisk-p2p with npm ci in " + dir);
    List<String> output = run(List.of("npm", "ci", "--no-audit", "--no-fund"), INSTALL_TIMEOUT,
        line -> log.line("npm: " + line), true);
    if (!Files.isDirectory(dir.resolve("node_modules/@liskhq/lisk-p2p"))) {
      throw new IllegalStateException("npm ci did not install @liskhq/lisk-p2p: " + String.join(" / ", output));
    }
  }

  /**
   * Runs one workload of bench.js: a warm-up round and then {@code rounds} measured ones, each {@code roundMillis}
   * long; {@code inFlight} counts for requests only.
   */
  public List<LiskRound> measure(String workload, long roundMillis, int rounds, int payload, int inFlight,
      BenchLog log) throws IOException, InterruptedException {
    List<String> command = List.of("node", "bench.js", workload, String.valueOf(roundMillis / 1000.0),
        String.valueOf(rounds + 1), String.valueOf(payload), String.valueOf(inFlight));
    Duration timeout = STARTUP_ALLOWANCE.plusMillis(roundMillis * (rounds + 1));
    List<LiskRound> measured = new ArrayList<>();
    log.line("lisk-p2p " + workload + (workload.equals("request") ? " " + inFlight + " in flight" : "")
        + ": warm-up and " + rounds + " rounds");
    for (String line : run(command, timeout, line -> log.line("lisk-p2p: " + line), false)) {
      measured.add(LiskRound.parse(line));
    }
    if (measured.size() != rounds) {
      throw new IllegalStateException("bench.js " + workload + " printed " + measured.size() + " rounds, not " + rounds);
    }
    return measured;
  }

  /**
   * Runs a command in the folder and returns its standard output lines; standard error goes to ours, or into the
   * output when {@code mergeErrors}. A command that fails or outlives {@code timeout} is killed and reported.
   */
  private List<String> run(List<String> command, Duration timeout, Consumer<String> onLine, boolean mergeErrors)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    if (mergeErrors) {
      builder.redirectErrorStream(true);
    } else {
      builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0) + " (is Node.js 20 with npm on the PATH?): "
          + e.getMessage(), e);
    }
    try {
      List<String> lines = new ArrayList<>();
      Thread reader = new Thread(() -> readLines(process, lines, onLine), "lisk-" + command.get(0) + "-stdout");
      reader.setDaemon(true);
      reader.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
      }
      reader.join(TimeUnit.SECONDS.toMillis(10));
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue());
      }
      synchronized (lines) {
        return List.copyOf(lines);
      }
    } finally {
      // Whatever went wrong, no Node.js process outlives its workload.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static void readLines(Process process, List<String> lines, Consumer<String> onLine) {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        onLine.accept(line);
        synchronized (lines) {
          lines.add(line);
        }
      }
    } catch (IOException ignored) {
      // the process is gone; its exit code tells what happened
    }
  }
}
