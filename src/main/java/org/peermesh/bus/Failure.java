package org.peermesh.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The failure codes of command replies and of request {@code Response} frames: one code space for both, so a
 * remote peer's refusal reaches the requesting service with the code the peer sent.
 */
public enum Failure {
  BAD_REQUEST(400, "malformed command or request"),
  UNKNOWN_PEER(404, "no connected peer with that id"),
  TOO_MANY_REQUESTS(429, "too many requests in flight"),
  PROCEDURE_FAILED(500, "the serving consumer failed"),
  NO_HANDLER(501, "no consumer serves that procedure"),
  PEER_DISCONNECTED(502, "the peer disconnected before answering"),
  NO_PEERS(503, "no connected peer to serve the command"),
  TIMEOUT(504, "no answer within ackTimeout"),
  NODE_STOPPED(505, "the node is not running");

  private final int code;
  private final String description;

  Failure(int code, String description) {
    this.code = code;
    this.description = description;
  }

  public int code() {
    return code;
  }

  public String description() {
    return description;
  }

  public ReplyException exception(String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, message);
  }
}
