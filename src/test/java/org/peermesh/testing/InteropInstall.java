package org.peermesh.testing;

import org.peermesh.bench.ExternalProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs {@code src/interop/install.sh} for one part (bcoin, microsocks, wharfkit, ethereumjs), the same script a
 * developer or CI runs, with its output in the test log: once per part in a JVM, since the script checks what is
 * installed (the node_modules tree against the lock file, microsocks on the PATH) and installs only what is missing or
 * stale. Paths are relative to the working directory: the tests run from the repository root. Public for the interop
 * tests of the protocol packages, which share it.
 */
public final class InteropInstall {

  public static final Path INTEROP_DIR = Path.of("src", "interop");
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  /** The parts install.sh has installed or found up to date in this JVM. */
  private static final Set<String> INSTALLED = new HashSet<>();

  private InteropInstall() {
  }

  public static synchronized void run(String part) {
    if (INSTALLED.contains(part)) {
      return;
    }
    if (!Files.isRegularFile(INTEROP_DIR.resolve("install.sh"))) {
      throw new IllegalStateException("no " + INTEROP_DIR.resolve("install.sh").toAbsolutePath()
          + ": run the tests from the repository root");
    }
    try {
      ExternalProcess.run(List.of("bash", "install.sh", part), INTEROP_DIR, TIMEOUT, ExternalProcess.Errors.MERGED,
          line -> System.out.println("install-" + part + ": " + line));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running install.sh " + part, e);
    }
    INSTALLED.add(part);
  }
}
