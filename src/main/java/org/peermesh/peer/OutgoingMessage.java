package org.peermesh.peer;

import io.vertx.core.json.JsonObject;
import org.peermesh.wire.JsonPayload;

import java.util.Objects;

/**
 * An application message on its way to peers. The data is encoded once, however many peers it goes to.
 */
public record OutgoingMessage(String event, JsonPayload data) {

  public OutgoingMessage {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(data, "data");
  }

  public JsonObject toJson() {
    return new JsonObject().put("event", event).put("data", data.value());
  }

  public static OutgoingMessage fromJson(JsonObject json) {
    return new OutgoingMessage(json.getString("event"), JsonPayload.of(json.getValue("data")));
  }
}
