package org.peermesh.testing.antelope;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.peermesh.testing.ForeignProcess;
import org.peermesh.testing.InteropInstall;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One Node.js script of {@code src/interop/wharfkit} running: its standard output parsed into {@link WharfkitEvents},
 * its standard input taking JSON commands, one a line. The scripts exit when their standard input closes, so they
 * die with the JVM even when {@link #close} is never called.
 */
final class WharfkitProcess implements AutoCloseable {

  static final Path DIR = InteropInstall.INTEROP_DIR.resolve("wharfkit");

  private final ForeignProcess process;
  private final Writer commands;
  private final WharfkitEvents events;

  private WharfkitProcess(ForeignProcess process) {
    this.process = process;
    this.commands = new OutputStreamWriter(process.process().getOutputStream(), StandardCharsets.UTF_8);
    this.events = new WharfkitEvents(process::describeLastLines);
  }

  /** Runs {@code src/interop/install.sh wharfkit}, once in this JVM: it installs wharfkit unless it is up to date. */
  static void ensureInstalled() {
    if (!Files.isRegularFile(DIR.resolve("package-lock.json"))) {
      throw new IllegalStateException("no " + DIR.resolve("package-lock.json").toAbsolutePath()
          + ": run the tests from the repository root");
    }
    InteropInstall.run("wharfkit");
  }

  /** Installs wharfkit if needed and starts {@code node <script> <arguments>}; its log lines carry {@code name}. */
  static WharfkitProcess start(String name, String script, List<String> arguments) {
    ensureInstalled();
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(arguments);
    ForeignProcess process;
    try {
      process = new ForeignProcess(name, new ProcessBuilder(command).directory(DIR.toFile()).start());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run node (is Node.js 20 on the PATH?): " + e.getMessage(), e);
    }
    WharfkitProcess started = new WharfkitProcess(process);
    process.drain(process.process().getInputStream(), "out", started::parse);
    process.drain(process.process().getErrorStream(), "err", line -> { });
    return started;
  }

  private void parse(String line) {
    try {
      events.add(new JsonObject(line));
    } catch (DecodeException | ClassCastException e) {
      // Standard output carries only events; anything else is in the test log and the last lines already.
    }
  }

  WharfkitEvents events() {
    return events;
  }

  /** Writes a command line; a process that is gone makes this throw, with its last lines. */
  synchronized void command(JsonObject command) {
    try {
      commands.write(command.encode());
      commands.write('\n');
      commands.flush();
    } catch (IOException e) {
      throw new IllegalStateException("cannot send " + command.encode() + ": " + e.getMessage() + "; "
          + process.describeLastLines(), e);
    }
  }

  /** Stops the process and returns the exception to throw when a start went wrong, with its last lines. */
  IllegalStateException startFailure(String message, Throwable cause) {
    return process.startFailure(message, cause);
  }

  /** Closes standard input (the script exits then), sends SIGTERM, and kills the process if it lingers. */
  @Override
  public void close() {
    process.stop();
  }
}
