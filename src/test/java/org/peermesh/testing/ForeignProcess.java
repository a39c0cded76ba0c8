package org.peermesh.testing;

import org.peermesh.bench.ExternalProcess;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A foreign process of the interop tests (bcoin, microsocks, wharfkit's scripts) and what they share around it: its
 * output echoed to the test log with a prefix and its last lines kept for failure messages, a start that is tried
 * again when the port picked for it was taken, and the stop sequence. Public for the Antelope interop tests.
 */
public final class ForeignProcess {

  private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);
  private static final Duration READ_DEADLINE = Duration.ofSeconds(2);
  private static final int START_ATTEMPTS = 3;
  /** How Node.js (bcoin) and microsocks say that a port is in use. */
  private static final List<String> PORT_TAKEN = List.of("EADDRINUSE", "Address already in use");

  private final String name;
  private final Process process;
  private final List<Thread> readers = new CopyOnWriteArrayList<>();
  private final ExternalProcess.LastLines last = new ExternalProcess.LastLines(ExternalProcess.KEPT_LINES);

  public ForeignProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /**
   * Calls {@code startOnce} until it returns, up to three times while it fails with {@link PortTakenException}: the
   * ports are free when picked, but another process may take one before the server binds it. Any other failure
   * ends the attempts at once.
   */
  public static <T> T startWithRetries(Supplier<T> startOnce) {
    PortTakenException failure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return startOnce.get();
      } catch (PortTakenException e) {
        failure = e;
      }
    }
    throw failure;
  }

  public Process process() {
    return process;
  }

  /**
   * Reads a stream of the process to its end on a daemon thread; each line goes to the test log, the kept lines and
   * {@code onLine}.
   */
  public void drain(InputStream stream, String label, Consumer<String> onLine) {
    readers.add(ExternalProcess.drain(stream, name + "-" + label, line -> {
      System.out.println(name + " " + label + ": " + line);
      last.accept(label + ": " + line);
      onLine.accept(line);
    }));
  }

  /** The last lines read, oldest first. */
  public List<String> lastLines() {
    return last.lines();
  }

  public String describeLastLines() {
    return last.describe();
  }

  /**
   * Stops the process ({@link #stop}) after a failed start and returns the exception to throw: a {@link
   * PortTakenException}, which {@link #startWithRetries} tries again, when the last lines say that a port was in use.
   */
  public IllegalStateException startFailure(String message, Throwable cause) {
    stop();
    try {
      // The process is gone: let its last lines be read.
      for (Thread reader : readers) {
        reader.join(READ_DEADLINE.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String full = message + "; " + describeLastLines();
    if (lastLines().stream().anyMatch(line -> PORT_TAKEN.stream().anyMatch(line::contains))) {
      return new PortTakenException(full, cause);
    }
    return new IllegalStateException(full, cause);
  }

  /**
   * Closes the process's standard input, sends it SIGTERM, waits for it and kills it, and its descendants, if that
   * takes too long.
   */
  public void stop() {
    ExternalProcess.stop(process, STOP_DEADLINE);
  }

  /** A server could not bind a port picked for it: {@link #startWithRetries} tries again with other ports. */
  public static final class PortTakenException extends IllegalStateException {
    public PortTakenException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
