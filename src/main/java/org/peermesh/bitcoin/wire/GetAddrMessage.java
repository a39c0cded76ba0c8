package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.peermesh.json.JsonFields;

/** Asks the peer for addresses of other peers, answered with {@link AddrMessage} or {@link AddrV2Message}. Empty payload; JSON: {@code {}}. */
public record GetAddrMessage() implements EmptyPayloadMessage {

  public static final String COMMAND = "getaddr";

  /** @throws BitcoinWireException TRAILING_BYTES unless the payload is empty */
  public static GetAddrMessage decode(Buffer payload) {
    return EmptyPayloadMessage.decode(new GetAddrMessage(), payload);
  }

  /** Any JSON object; the message has no fields. */
  public static GetAddrMessage fromJson(JsonObject json) {
    JsonFields.of(json); // refuses null, like every fromJson
    return new GetAddrMessage();
  }

  @Override
  public String command() {
    return COMMAND;
  }
}
