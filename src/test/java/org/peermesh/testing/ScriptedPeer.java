package org.peermesh.testing;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A foreign peer run as a script ({@link JsonLinesProcess}): what every harness of one offers alike, the events it
 * printed, waits for them, and its end. Each harness adds the commands of its own script.
 */
public abstract class ScriptedPeer implements AutoCloseable {

  protected final JsonLinesProcess process;

  protected ScriptedPeer(JsonLinesProcess process) {
    this.process = process;
  }

  public JsonEvents events() {
    return process.events();
  }

  /** The first event that matches, once there is one; an AssertionError after {@code timeout}. */
  public JsonObject awaitEvent(Predicate<JsonObject> predicate, Duration timeout) {
    return events().await(predicate, timeout);
  }

  /** The first {@code count} events that match, once there are that many; an AssertionError after {@code timeout}. */
  public List<JsonObject> awaitEvents(Predicate<JsonObject> predicate, int count, Duration timeout) {
    return events().await(predicate, count, timeout);
  }

  /** Ends the script: closing its standard input makes it exit. */
  @Override
  public void close() {
    process.close();
  }
}
