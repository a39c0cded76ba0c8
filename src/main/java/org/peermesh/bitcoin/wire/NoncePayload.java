package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The payload {@code ping} and {@code pong} share: one random u64 nonce. JSON: {@code {"nonce":
 * unsigned decimal string}}, a string because JSON numbers lose precision past 2^53.
 *
 * <pre>
 * nonce u64
 * </pre>
 */
final class NoncePayload {

  private NoncePayload() {
  }

  static long decode(String command, Buffer payload) {
    return PayloadReader.decode(command, payload, in -> in.int64("nonce"));
  }

  static Buffer payload(long nonce) {
    return new PayloadWriter(8).int64(nonce).buffer();
  }

  static long fromJson(JsonObject json) {
    return JsonReader.of(json).u64Decimal("nonce");
  }

  static JsonObject toJson(long nonce) {
    return new JsonObject().put("nonce", Long.toUnsignedString(nonce));
  }
}
