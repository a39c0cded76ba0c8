package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.peermesh.json.JsonFields;

/** Acknowledges the peer's {@link VersionMessage}; the handshake is done when both sides have received one. Empty payload; JSON: {@code {}}. */
public record VerackMessage() implements EmptyPayloadMessage {

  public static final String COMMAND = "verack";

  /** @throws BitcoinWireException TRAILING_BYTES unless the payload is empty */
  public static VerackMessage decode(Buffer payload) {
    return EmptyPayloadMessage.decode(new VerackMessage(), payload);
  }

  /** Any JSON object; the message has no fields. */
  public static VerackMessage fromJson(JsonObject json) {
    JsonFields.of(json); // refuses null, like every fromJson
    return new VerackMessage();
  }

  @Override
  public String command() {
    return COMMAND;
  }
}
