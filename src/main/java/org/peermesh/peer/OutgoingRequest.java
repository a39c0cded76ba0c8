package org.peermesh.peer;

import io.vertx.core.json.JsonObject;
import org.peermesh.wire.JsonPayload;

import java.util.Objects;

/** A request on its way to one peer; the peer verticle answers it with the remote peer's response. */
public record OutgoingRequest(String procedure, JsonPayload data) {

  public OutgoingRequest {
    Objects.requireNonNull(procedure, "procedure");
    Objects.requireNonNull(data, "data");
  }

  public JsonObject toJson() {
    return new JsonObject().put("procedure", procedure).put("data", data.value());
  }

  public static OutgoingRequest fromJson(JsonObject json) {
    return new OutgoingRequest(json.getString("procedure"), JsonPayload.of(json.getValue("data")));
  }
}
