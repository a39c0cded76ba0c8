package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * BIP31: the answer to a {@link PingMessage}, echoing its nonce.
 *
 * <p>Payload as {@link NoncePayload}: {@code nonce u64}. JSON: {@code {"nonce": unsigned decimal string}}.
 *
 * @param nonce u64 bit for bit
 */
public record PongMessage(long nonce) implements BitcoinMessage {

  public static final String COMMAND = "pong";

  public static PongMessage decode(Buffer payload) {
    return new PongMessage(NoncePayload.decode(COMMAND, payload));
  }

  public static PongMessage fromJson(JsonObject json) {
    return new PongMessage(NoncePayload.fromJson(json));
  }

  @Override
  public String command() {
    return COMMAND;
  }

  @Override
  public Buffer payload() {
    return NoncePayload.payload(nonce);
  }

  @Override
  public JsonObject toJson() {
    return NoncePayload.toJson(nonce);
  }
}
