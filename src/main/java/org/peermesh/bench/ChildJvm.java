package org.peermesh.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the bench starts from its own class path, to put a cluster member or a node under test in a process of
 * its own. The child talks in lines: it prints results on standard output and reads commands on standard input;
 * its standard error goes to ours. Closing it closes its standard input, which a child takes as "stop", and kills
 * it if it has not stopped within a few seconds.
 */
public final class ChildJvm implements AutoCloseable {

  /** What Hazelcast asks of the JDK, as the shaded jar's manifest grants it when run with -jar. */
  public static final List<String> HAZELCAST_ACCESS = List.of(
      "--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private static final String EOF = "\u0000eof";

  private final String name;
  private final Process process;
  private final PrintWriter stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private ChildJvm(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    // EOF after the last line tells await that the child is gone.
    ExternalProcess.drain(process.getInputStream(), name + "-stdout", lines::add, () -> lines.add(EOF));
  }

  /** Starts {@code mainClass} of this class path in a new JVM with the given JVM options and arguments. */
  public static ChildJvm start(String name, List<String> jvmOptions, Class<?> mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.addAll(HAZELCAST_ACCESS);
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-Dorg.slf4j.simpleLogger.log.com.hazelcast=error");
    command.add("-Dhazelcast.logging.type=slf4j");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      return new ChildJvm(name, process);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  /** Sends one command line. */
  public void send(String line) {
    stdin.println(line);
  }

  /** The next line that starts with {@code prefix}, skipping others; fails if the child ends or is silent too long. */
  public String await(String prefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line;
      try {
        line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + name, e);
      }
      if (line == null) {
        throw new IllegalStateException(name + " printed no '" + prefix + "' line within " + timeout);
      }
      if (line.equals(EOF)) {
        lines.add(EOF);
        throw new IllegalStateException(name + " ended before printing '" + prefix + "'");
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    stdin.close();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
