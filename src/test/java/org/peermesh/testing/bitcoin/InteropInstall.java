package org.peermesh.testing.bitcoin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/interop/install.sh} for one part (bcoin, microsocks), the same script a developer or CI runs, with
 * its output in the test log. Paths are relative to the working directory: the tests run from the repository root.
 */
final class InteropInstall {

  static final Path INTEROP_DIR = Path.of("src", "interop");
  private static final Path SCRIPT = INTEROP_DIR.resolve("install.sh");
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private InteropInstall() {
  }

  static synchronized void run(String part) {
    if (!Files.isRegularFile(SCRIPT)) {
      throw new IllegalStateException("no " + SCRIPT.toAbsolutePath() + ": run the tests from the repository root");
    }
    List<String> command = List.of("bash", SCRIPT.toString(), part);
    ProcessOutput output = new ProcessOutput("install-" + part);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    }
    try {
      process.getOutputStream().close();
      Thread reader = output.drain(process.getInputStream(), "out", line -> { });
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(String.join(" ", command) + " did not finish within " + TIMEOUT + "; "
            + output.describeLastLines());
      }
      reader.join(TimeUnit.SECONDS.toMillis(5));
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + "; "
            + output.describeLastLines());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
