package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.peermesh.json.JsonFields;

/** BIP130: the sender asks for new blocks to be announced with {@link HeadersMessage} instead of {@code inv}. Empty payload; JSON: {@code {}}. */
public record SendHeadersMessage() implements EmptyPayloadMessage {

  public static final String COMMAND = "sendheaders";

  /** @throws BitcoinWireException TRAILING_BYTES unless the payload is empty */
  public static SendHeadersMessage decode(Buffer payload) {
    return EmptyPayloadMessage.decode(new SendHeadersMessage(), payload);
  }

  /** Any JSON object; the message has no fields. */
  public static SendHeadersMessage fromJson(JsonObject json) {
    JsonFields.of(json); // refuses null, like every fromJson
    return new SendHeadersMessage();
  }

  @Override
  public String command() {
    return COMMAND;
  }
}
