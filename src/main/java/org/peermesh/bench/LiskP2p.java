package org.peermesh.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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

  /** Whether install.sh lisk-p2p has run in this JVM. */
  private static boolean installed;

  private final Path dir;

  public LiskP2p(Path dir) {
    this.dir = dir;
  }

  /**
   * Runs {@code src/interop/install.sh lisk-p2p}, which installs the locked packages unless the installed tree
   * matches the lock file already; once per JVM.
   */
  public void ensureInstalled(BenchLog log) throws InterruptedException {
    if (!Files.isRegularFile(dir.resolve("bench.js"))) {
      throw new IllegalStateException("no " + dir.resolve("bench.js") + ": run the bench from the repository root");
    }
    synchronized (LiskP2p.class) {
      if (!installed) {
        ExternalProcess.run(List.of("bash", "install.sh", "lisk-p2p"), interopDir(), INSTALL_TIMEOUT,
            ExternalProcess.Errors.MERGED, line -> log.line("lisk install: " + line));
        installed = true;
      }
    }
  }

  /** {@code src/interop}, where install.sh is: the folder above {@link #dir}. */
  private Path interopDir() {
    Path parent = dir.toAbsolutePath().getParent();
    if (parent == null || !Files.isRegularFile(parent.resolve("install.sh"))) {
      throw new IllegalStateException("no install.sh beside " + dir + ": run the bench from the repository root");
    }
    return parent;
  }

  /**
   * Runs one workload of bench.js: a warm-up round and then {@code rounds} measured ones, each {@code roundMillis}
   * long; {@code inFlight} counts for requests only.
   */
  public List<LiskRound> measure(String workload, long roundMillis, int rounds, int payload, int inFlight,
      BenchLog log) throws InterruptedException {
    List<String> command = List.of("node", "bench.js", workload, String.valueOf(roundMillis / 1000.0),
        String.valueOf(rounds + 1), String.valueOf(payload), String.valueOf(inFlight));
    Duration timeout = STARTUP_ALLOWANCE.plusMillis(roundMillis * (rounds + 1));
    List<LiskRound> measured = new ArrayList<>();
    log.line("lisk-p2p " + workload + (workload.equals("request") ? " " + inFlight + " in flight" : "")
        + ": warm-up and " + rounds + " rounds");
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    ExternalProcess.run(command, dir, timeout, ExternalProcess.Errors.INHERITED, line -> {
      log.line("lisk-p2p: " + line);
      lines.add(line);
    });
    synchronized (lines) {
      for (String line : lines) {
        measured.add(LiskRound.parse(line));
      }
    }
    if (measured.size() != rounds) {
      throw new IllegalStateException("bench.js " + workload + " printed " + measured.size() + " rounds, not " + rounds);
    }
    return measured;
  }
}
