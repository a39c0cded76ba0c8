package org.peermesh.testing.bitcoin;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.peermesh.testing.TestNodes;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's microsocks, a SOCKS5 proxy without authentication, listening on 127.0.0.1 at a port of its own, for the
 * tests that reach a Bitcoin node through a proxy. Installed with {@code src/interop/install.sh microsocks} when it
 * is not on the PATH.
 */
public final class Microsocks implements AutoCloseable {

  public static final String HOST = "127.0.0.1";
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 3;

  private final Process process;
  private final ProcessOutput output;
  private final int port;

  private Microsocks(Process process, ProcessOutput output, int port) {
    this.process = process;
    this.output = output;
    this.port = port;
  }

  /** Installs microsocks if needed, starts it and waits until its port accepts connections. */
  public static Microsocks start() {
    ensureInstalled();
    IllegalStateException failure = null;
    // The port is free when picked, but may be taken before microsocks binds it: then it exits, and we try again.
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return startOnce();
      } catch (IllegalStateException e) {
        failure = e;
      }
    }
    throw failure;
  }

  /** Runs {@code src/interop/install.sh microsocks} unless microsocks is on the PATH. */
  public static void ensureInstalled() {
    if (!onPath()) {
      InteropInstall.run("microsocks");
      if (!onPath()) {
        throw new IllegalStateException("src/interop/install.sh microsocks did not put microsocks on the PATH");
      }
    }
  }

  private static boolean onPath() {
    try {
      Process which = new ProcessBuilder("sh", "-c", "command -v microsocks").redirectErrorStream(true).start();
      which.getInputStream().transferTo(OutputStream.nullOutputStream());
      return which.waitFor(30, TimeUnit.SECONDS) && which.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Microsocks startOnce() {
    int port = TestNodes.reservedPort();
    // microsocks runs under a shell that kills it when our end of its standard input closes, so that it dies with
    // the JVM even when close() is never called; the shell exits, with microsocks's code, when microsocks does.
    List<String> command = List.of("sh", "-c",
        // (A background job's standard input is /dev/null in sh: the watcher reads a copy of it, fd 3.)
        "exec 3<&0; microsocks -i \"$0\" -p \"$1\" </dev/null & pid=$!; "
            + "{ cat <&3 >/dev/null; kill $pid 2>/dev/null; } & exec 3<&-; wait $pid",
        HOST, String.valueOf(port));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run microsocks under sh: " + e.getMessage(), e);
    }
    ProcessOutput output = new ProcessOutput("microsocks:" + port);
    output.drain(process.getInputStream(), "out", line -> { });
    Microsocks proxy = new Microsocks(process, output, port);
    try {
      Awaitility.await("microsocks listening on " + HOST + ":" + port)
          .atMost(TestNodes.DEADLINE)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("microsocks exited with " + process.exitValue());
            }
            return accepts(port);
          });
      return proxy;
    } catch (ConditionTimeoutException | IllegalStateException e) {
      proxy.close();
      throw new IllegalStateException("microsocks -i " + HOST + " -p " + port + ": " + e.getMessage() + "; "
          + output.describeLastLines(), e);
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  /**
   * Closes microsocks's standard input, on which the shell kills it, reaps it and exits; kills both if that takes
   * longer than a deadline.
   */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // Already closed.
    }
    try {
      if (!process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
