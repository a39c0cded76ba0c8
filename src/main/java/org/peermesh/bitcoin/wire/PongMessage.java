package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * BIP31: the answer to a {@link PingMessage}, echoing its nonce.
 *
 * <p>Payload as {@link NonceMessage}: {@code nonce u64}. JSON: {@code {"nonce": unsigned decimal string}}.
 *
 * @param nonce u64 bit for bit
 */
public record PongMessage(long nonce) implements NonceMessage {

  public static final String COMMAND = "pong";

  public static PongMessage decode(Buffer payload) {
    return new PongMessage(NonceMessage.decode(COMMAND, payload));
  }

  public static PongMessage fromJson(JsonObject json) {
    return new PongMessage(NonceMessage.fromJson(json));
  }

  @Override
  public String command() {
    return COMMAND;
  }
}
