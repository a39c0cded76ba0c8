package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * BIP31: a liveness probe; the peer answers with a {@link PongMessage} carrying the same nonce, which matches the answer to the probe and times the round trip.
 *
 * <p>Payload as {@link NonceMessage}: {@code nonce u64}. JSON: {@code {"nonce": unsigned decimal string}}.
 *
 * @param nonce u64 bit for bit
 */
public record PingMessage(long nonce) implements NonceMessage {

  public static final String COMMAND = "ping";

  public static PingMessage decode(Buffer payload) {
    return new PingMessage(NonceMessage.decode(COMMAND, payload));
  }

  public static PingMessage fromJson(JsonObject json) {
    return new PingMessage(NonceMessage.fromJson(json));
  }

  @Override
  public String command() {
    return COMMAND;
  }
}
