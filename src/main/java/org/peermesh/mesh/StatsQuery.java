package org.peermesh.mesh;

import io.vertx.core.json.JsonObject;

/** Asks a peer verticle for its info and counters, which only it may read. */
public record StatsQuery() {

  public JsonObject toJson() {
    return new JsonObject();
  }

  public static StatsQuery fromJson(JsonObject json) {
    return new StatsQuery();
  }
}
