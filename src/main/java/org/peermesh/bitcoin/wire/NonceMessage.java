package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.peermesh.json.JsonFields;

/**
 * What {@code ping} and {@code pong} share: a payload of one random u64 nonce. JSON: {@code {"nonce":
 * unsigned decimal string}}, a string because JSON numbers lose precision past 2^53.
 *
 * <pre>
 * nonce u64
 * </pre>
 */
interface NonceMessage extends BitcoinMessage {

  long nonce();

  static long decode(String command, Buffer payload) {
    return PayloadReader.decode(command, payload, in -> in.int64("nonce"));
  }

  static long fromJson(JsonObject json) {
    return JsonFields.of(json).parsed("nonce", BitcoinJson.U64_DECIMAL);
  }

  @Override
  default Buffer payload() {
    return new PayloadWriter(8).int64(nonce()).buffer();
  }

  @Override
  default JsonObject toJson() {
    return new JsonObject().put("nonce", Long.toUnsignedString(nonce()));
  }
}
