package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.peermesh.json.JsonFields;

/** BIP35: asks for an {@code inv} of the transactions in the peer's mempool. Empty payload; JSON: {@code {}}. */
public record MempoolMessage() implements EmptyPayloadMessage {

  public static final String COMMAND = "mempool";

  /** @throws BitcoinWireException TRAILING_BYTES unless the payload is empty */
  public static MempoolMessage decode(Buffer payload) {
    return EmptyPayloadMessage.decode(new MempoolMessage(), payload);
  }

  /** Any JSON object; the message has no fields. */
  public static MempoolMessage fromJson(JsonObject json) {
    JsonFields.of(json); // refuses null, like every fromJson
    return new MempoolMessage();
  }

  @Override
  public String command() {
    return COMMAND;
  }
}
