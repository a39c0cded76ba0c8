package org.peermesh.testing;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One Node.js script of an npm part of {@code src/interop} (wharfkit, ethereumjs) running: its standard output
 * parsed into {@link JsonEvents}, its standard input taking JSON commands, one a line. The scripts exit when their
 * standard input closes, so they die with the JVM even when {@link #close} is never called.
 */
public final class JsonLinesProcess implements AutoCloseable {

  private final ForeignProcess process;
  private final Writer commands;
  private final JsonEvents events;

  private JsonLinesProcess(ForeignProcess process) {
    this.process = process;
    this.commands = new OutputStreamWriter(process.process().getOutputStream(), StandardCharsets.UTF_8);
    this.events = new JsonEvents(process::describeLastLines);
  }

  /** The directory of an npm part: {@code src/interop/<part>}. */
  public static Path directory(String part) {
    return InteropInstall.INTEROP_DIR.resolve(part);
  }

  /** Runs {@code src/interop/install.sh <part>}, once in this JVM: it installs the part unless it is up to date. */
  public static void ensureInstalled(String part) {
    Path lock = directory(part).resolve("package-lock.json");
    if (!Files.isRegularFile(lock)) {
      throw new IllegalStateException("no " + lock.toAbsolutePath() + ": run the tests from the repository root");
    }
    InteropInstall.run(part);
  }

  /**
   * Installs the npm part if needed and starts {@code node <script> <arguments>} in its directory; its log lines
   * carry {@code name}.
   */
  public static JsonLinesProcess start(String part, String name, String script, List<String> arguments) {
    ensureInstalled(part);
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(arguments);
    ForeignProcess process;
    try {
      process = new ForeignProcess(name, new ProcessBuilder(command).directory(directory(part).toFile()).start());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run node (is Node.js 20 on the PATH?): " + e.getMessage(), e);
    }
    JsonLinesProcess started = new JsonLinesProcess(process);
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

  public JsonEvents events() {
    return events;
  }

  /** Writes a command line; a process that is gone makes this throw, with its last lines. */
  public synchronized void command(JsonObject command) {
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
  public IllegalStateException startFailure(String message, Throwable cause) {
    return process.startFailure(message, cause);
  }

  /** Closes standard input (the script exits then), sends SIGTERM, and kills the process if it lingers. */
  @Override
  public void close() {
    process.stop();
  }
}
