package org.peermesh.testing.bitcoin;

import org.peermesh.testing.ForeignProcess;
import org.peermesh.testing.InteropInstall;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.peermesh.testing.TestNodes;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/**
 * Debian's microsocks, a SOCKS5 proxy without authentication, listening on 127.0.0.1 at a port of its own, for the
 * tests that reach a Bitcoin node through a proxy. Installed with {@code src/interop/install.sh microsocks} when it
 * is not on the PATH (the script checks).
 */
public final class Microsocks implements AutoCloseable {

  public static final String HOST = "127.0.0.1";

  private final ForeignProcess process;
  private final int port;

  private Microsocks(ForeignProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Installs microsocks if needed, starts it and waits until its port accepts connections. */
  public static Microsocks start() {
    return start(HOST);
  }

  /**
   * As {@link #start()}, with the connections microsocks opens for its clients bound to {@code outgoingAddress} (a
   * loopback address of its own shows a peer that it was dialed through the proxy).
   */
  public static Microsocks start(String outgoingAddress) {
    ensureInstalled();
    // The port is free when picked, but may be taken before microsocks binds it: then it exits, and we try again.
    return ForeignProcess.startWithRetries(() -> startOnce(outgoingAddress));
  }

  /** Runs {@code src/interop/install.sh microsocks}, once in this JVM: it installs microsocks unless it is there. */
  public static void ensureInstalled() {
    InteropInstall.run("microsocks");
  }

  private static Microsocks startOnce(String outgoingAddress) {
    int port = TestNodes.reservedPort();
    // microsocks runs under a shell that kills it when our end of its standard input closes, so that it dies with
    // the JVM even when close() is never called; the shell exits, with microsocks's code, when microsocks does.
    List<String> command = List.of("sh", "-c",
        // (A background job's standard input is /dev/null in sh: the watcher reads a copy of it, fd 3.)
        "exec 3<&0; microsocks -i \"$0\" -p \"$1\" -b \"$2\" </dev/null & pid=$!; "
            + "{ cat <&3 >/dev/null; kill $pid 2>/dev/null; } & exec 3<&-; wait $pid",
        HOST, String.valueOf(port), outgoingAddress);
    ForeignProcess process;
    try {
      process = new ForeignProcess("microsocks:" + port, new ProcessBuilder(command).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run microsocks under sh: " + e.getMessage(), e);
    }
    process.drain(process.process().getInputStream(), "out", line -> { });
    try {
      Awaitility.await("microsocks listening on " + HOST + ":" + port)
          .atMost(TestNodes.DEADLINE)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> {
            if (!process.process().isAlive()) {
              throw new IllegalStateException("microsocks exited with " + process.process().exitValue());
            }
            return accepts(port);
          });
      return new Microsocks(process, port);
    } catch (ConditionTimeoutException | IllegalStateException e) {
      throw process.startFailure("microsocks -i " + HOST + " -p " + port + ": " + e.getMessage(), e);
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
   * Closes microsocks's standard input, on which the shell's watcher kills it, and sends the shell SIGTERM; kills
   * the shell and microsocks if they are still there after a deadline.
   */
  @Override
  public void close() {
    process.stop();
  }
}
