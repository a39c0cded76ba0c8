package org.peermesh.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs and stops the foreign processes of the bench and of the interop tests (npm, Node.js, install.sh, microsocks,
 * child JVMs): their output is read line by line on daemon threads, so that a process never blocks on a full pipe,
 * and the last lines are kept for the message of a failure.
 */
public final class ExternalProcess {

  /** How many lines a {@link LastLines} keeps by default. */
  public static final int KEPT_LINES = 40;
  /** How long a finished process's output may take to be read to its end. */
  private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(10);

  /** Where a process run by {@link #run} writes its standard error. */
  public enum Errors {
    /** Into its standard output: the lines reach the line consumer and the failure message. */
    MERGED,
    /** To our own standard error. */
    INHERITED
  }

  private ExternalProcess() {
  }

  /**
   * Runs a command in {@code dir} to its end, with its standard input closed, and hands each line of its standard
   * output to {@code onLine} (on a reader thread). A command that cannot start, outlives {@code timeout} or exits
   * with a code other than 0 throws an IllegalStateException that quotes its last lines. Whatever happens, neither
   * the process nor its descendants outlive this call.
   */
  public static void run(List<String> command, Path dir, Duration timeout, Errors errors, Consumer<String> onLine)
      throws InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    if (errors == Errors.MERGED) {
      builder.redirectErrorStream(true);
    } else {
      builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    }
    String shown = String.join(" ", command) + " (in " + dir + ")";
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + shown + ": " + e.getMessage(), e);
    }
    try {
      closeInput(process);
      LastLines last = new LastLines(KEPT_LINES);
      Thread reader = drain(process.getInputStream(), "run-" + command.get(0) + "-" + process.pid(),
          last.andThen(onLine));
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(shown + " did not finish within " + timeout + "; " + last.describe());
      }
      reader.join(DRAIN_DEADLINE.toMillis());
      if (process.exitValue() != 0) {
        throw new IllegalStateException(shown + " exited with " + process.exitValue() + "; " + last.describe());
      }
    } finally {
      destroyForcibly(process);
    }
  }

  /** Reads a stream to its end on a daemon thread named {@code threadName}, each line to {@code onLine}. */
  public static Thread drain(InputStream stream, String threadName, Consumer<String> onLine) {
    return drain(stream, threadName, onLine, () -> { });
  }

  /** As {@link #drain(InputStream, String, Consumer)}, and runs {@code atEnd} once the stream has ended. */
  public static Thread drain(InputStream stream, String threadName, Consumer<String> onLine, Runnable atEnd) {
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          onLine.accept(line);
        }
      } catch (IOException ignored) {
        // The process is gone; its exit code and last lines tell what happened.
      } finally {
        atEnd.run();
      }
    }, threadName);
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  /**
   * Stops a process that runs until told otherwise: closes its standard input, sends SIGTERM to it and its
   * descendants, and waits up to {@code deadline} for it to end. If it has not, kills it and its descendants of that
   * moment. Last, kills whichever of its first descendants are still there, without waiting for them: once it has
   * ended they are no longer its children, and may stay zombies until init reaps them.
   */
  public static void stop(Process process, Duration deadline) {
    List<ProcessHandle> descendants = process.descendants().toList();
    closeInput(process);
    process.destroy();
    descendants.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        destroyForcibly(process);
        process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      destroyForcibly(process);
      Thread.currentThread().interrupt();
    } finally {
      descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
  }

  /** Kills a process and its descendants at once. */
  public static void destroyForcibly(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static void closeInput(Process process) {
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // Already closed, or the process is gone.
    }
  }

  /** The last lines of a process's output, oldest first, for the message of a failure. Thread-safe. */
  public static final class LastLines implements Consumer<String> {

    private final int capacity;
    private final Deque<String> lines = new ArrayDeque<>();

    public LastLines(int capacity) {
      this.capacity = capacity;
    }

    @Override
    public synchronized void accept(String line) {
      lines.addLast(line);
      if (lines.size() > capacity) {
        lines.removeFirst();
      }
    }

    public synchronized List<String> lines() {
      return new ArrayList<>(lines);
    }

    /** {@code last output:} and the lines, indented, or {@code (no output)}. */
    public String describe() {
      List<String> kept = lines();
      return kept.isEmpty() ? "(no output)" : "last output:\n  " + String.join("\n  ", kept);
    }
  }
}
