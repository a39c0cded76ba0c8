package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.peermesh.json.JsonFields;

/** BIP155: the sender, before its verack, asks to be sent {@link AddrV2Message} instead of {@link AddrMessage}. Empty payload; JSON: {@code {}}. */
public record SendAddrV2Message() implements EmptyPayloadMessage {

  public static final String COMMAND = "sendaddrv2";

  /** @throws BitcoinWireException TRAILING_BYTES unless the payload is empty */
  public static SendAddrV2Message decode(Buffer payload) {
    return EmptyPayloadMessage.decode(new SendAddrV2Message(), payload);
  }

  /** Any JSON object; the message has no fields. */
  public static SendAddrV2Message fromJson(JsonObject json) {
    JsonFields.of(json); // refuses null, like every fromJson
    return new SendAddrV2Message();
  }

  @Override
  public String command() {
    return COMMAND;
  }
}
