package org.peermesh.testing.antelope;

import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The JSON events a wharfkit script ({@code p2p-client.js}, {@code nodeos-standin.js}) has printed, oldest first, and
 * waits for them. Thread-safe: the script's output reader adds while a test waits.
 */
public final class WharfkitEvents {

  private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

  private final List<JsonObject> events = new CopyOnWriteArrayList<>();
  /** The script's last output lines, for the message of a wait that failed. */
  private final Supplier<String> lastOutput;

  WharfkitEvents(Supplier<String> lastOutput) {
    this.lastOutput = lastOutput;
  }

  /** Matches events by their "event" field: ready, message, handshake, close and so on. */
  public static Predicate<JsonObject> named(String event) {
    return json -> event.equals(json.getString("event"));
  }

  /** Matches the message events of one NetMessage variant, by wharfkit's name of it (e.g. "signed_block"). */
  public static Predicate<JsonObject> message(String type) {
    return named("message").and(json -> type.equals(json.getString("type")));
  }

  void add(JsonObject event) {
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

  /** The first event that matches, once there is one; an AssertionError after {@code timeout}. */
  public JsonObject await(Predicate<JsonObject> predicate, Duration timeout) {
    return await(predicate, 1, timeout).get(0);
  }

  /** The first {@code count} events that match, once there are that many; an AssertionError after {@code timeout}. */
  public List<JsonObject> await(Predicate<JsonObject> predicate, int count, Duration timeout) {
    try {
      Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL_INTERVAL)
          .until(() -> matching(predicate).size() >= count);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(count + " matching event(s) expected within " + timeout + ", got "
          + matching(predicate).size() + "; " + lastOutput.get(), e);
    }
    return matching(predicate).subList(0, count);
  }
}
