package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.peermesh.json.JsonFields;

/** BIP339: the sender, before its verack, asks for transactions to be announced and requested by wtxid. Empty payload; JSON: {@code {}}. */
public record WtxidRelayMessage() implements EmptyPayloadMessage {

  public static final String COMMAND = "wtxidrelay";

  /** @throws BitcoinWireException TRAILING_BYTES unless the payload is empty */
  public static WtxidRelayMessage decode(Buffer payload) {
    return EmptyPayloadMessage.decode(new WtxidRelayMessage(), payload);
  }

  /** Any JSON object; the message has no fields. */
  public static WtxidRelayMessage fromJson(JsonObject json) {
    JsonFields.of(json); // refuses null, like every fromJson
    return new WtxidRelayMessage();
  }

  @Override
  public String command() {
    return COMMAND;
  }
}
