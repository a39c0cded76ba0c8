package org.peermesh.testing.antelope;

import io.vertx.core.json.JsonObject;
import org.peermesh.testing.JsonEvents;

import java.util.function.Predicate;

/**
 * Matchers for the JSON events of the wharfkit scripts ({@code p2p-client.js}, {@code nodeos-standin.js}), which
 * {@link WharfkitClient#events} and {@link NodeosStandin#events} hold as {@link JsonEvents}.
 */
public final class WharfkitEvents {

  private WharfkitEvents() {
  }

  /** Matches events by their "event" field: ready, message, handshake, close and so on. */
  public static Predicate<JsonObject> named(String event) {
    return JsonEvents.named(event);
  }

  /** Matches the message events of one NetMessage variant, by wharfkit's name of it (e.g. "signed_block"). */
  public static Predicate<JsonObject> message(String type) {
    return named("message").and(json -> type.equals(json.getString("type")));
  }
}
