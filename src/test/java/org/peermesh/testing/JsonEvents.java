package org.peermesh.testing;

import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The JSON events a foreign script has printed on its standard output ({@link JsonLinesProcess}), oldest first, and
 * waits for them. Thread-safe: the script's output reader adds while a test waits.
 */
public final class JsonEvents {

  private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

  private final List<JsonObject> events = new CopyOnWriteArrayList<>();
  /** The script's last output lines, for the message of a wait that failed. */
  private final Supplier<String> lastOutput;

  public JsonEvents(Supplier<String> lastOutput) {
    this.lastOutput = lastOutput;
  }

  /** Matches events by their "event" field: ready, listening, message, close and so on. */
  public static Predicate<JsonObject> named(String event) {
    return json -> event.equals(json.getString("event"));
  }

  public void add(JsonObject event) {
    events.add(event);
  }

  /** Every event so far, oldest first. */
  public List<JsonObject> all() {
    return List.copyOf(events);
  }

  /** The events so far that match, oldest first. */
  public List<JsonObject> matching(Predicate<JsonObject> predicate) {
    return events.stream().filter(predicate).toList();
  }

  /** How many events there are so far: with {@link #awaitAfter}, waits for an event that comes after now. */
  public int size() {
    return events.size();
  }

  /** The first event that matches, once there is one; an AssertionError after {@code timeout}. */
  public JsonObject await(Predicate<JsonObject> predicate, Duration timeout) {
    return await(predicate, 1, timeout).get(0);
  }

  /** The first {@code count} events that match, once there are that many; an AssertionError after {@code timeout}. */
  public List<JsonObject> await(Predicate<JsonObject> predicate, int count, Duration timeout) {
    awaitCount(() -> matching(predicate).size(), count, timeout);
    return matching(predicate).subList(0, count);
  }

  /**
   * The first event that matches among those from index {@code from} on (a {@link #size} taken before the command
   * that causes it), once there is one; an AssertionError after {@code timeout}.
   */
  public JsonObject awaitAfter(int from, Predicate<JsonObject> predicate, Duration timeout) {
    awaitCount(() -> since(from, predicate).size(), 1, timeout);
    return since(from, predicate).get(0);
  }

  private List<JsonObject> since(int from, Predicate<JsonObject> predicate) {
    List<JsonObject> all = all();
    return all.subList(Math.min(from, all.size()), all.size()).stream().filter(predicate).toList();
  }

  private void awaitCount(Supplier<Integer> matches, int count, Duration timeout) {
    try {
      Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL)
          .until(() -> matches.get() >= count);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(count + " matching event(s) expected within " + timeout + ", got "
          + matches.get() + "; " + lastOutput.get(), e);
    }
  }
}
