package org.peermesh.mesh;

import io.vertx.core.json.JsonObject;

/**
 * Lowers a connected peer's reputation, judged by the application ({@code applyPenalty}); sent to the peer's
 * mailbox so that the member holding the peer applies it, bans included. The reply is
 * {@code {"peerId", "reputation", "banned"}}.
 */
public record PenaltyCommand(int amount, String reason) {

  public JsonObject toJson() {
    return new JsonObject().put("amount", amount).put("reason", reason);
  }

  public static PenaltyCommand fromJson(JsonObject json) {
    return new PenaltyCommand(json.getInteger("amount"), json.getString("reason"));
  }
}
