package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** What the messages without a payload share: the command alone is their meaning. JSON: {@code {}}. */
interface EmptyPayloadMessage extends BitcoinMessage {

  @Override
  default Buffer payload() {
    return Buffer.buffer();
  }

  @Override
  default JsonObject toJson() {
    return new JsonObject();
  }

  /** Returns {@code message} if {@code payload} is empty, else throws TRAILING_BYTES. */
  static <T extends EmptyPayloadMessage> T decode(T message, Buffer payload) {
    return PayloadReader.decode(message.command(), payload, in -> message);
  }
}
