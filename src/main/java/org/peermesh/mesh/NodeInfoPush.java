package org.peermesh.mesh;

import io.vertx.core.json.JsonObject;
import org.peermesh.mesh.wire.JsonPayload;

/** This node's new nodeInfo, for a peer verticle to push to its peer. */
public record NodeInfoPush(JsonPayload nodeInfo) {

  public JsonObject toJson() {
    return new JsonObject().put("nodeInfo", nodeInfo.value());
  }

  public static NodeInfoPush fromJson(JsonObject json) {
    return new NodeInfoPush(JsonPayload.of(json.getJsonObject("nodeInfo")));
  }
}
