package org.peermesh.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.WireFormatException.Reason;
import org.peermesh.mesh.wire.WireFormatException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer's JSON (the data of messages, requests and responses, and node info): {@link JsonPayload#parse} checks strict
 * UTF-8 (the package's Utf8) and then one JSON value, within the limits of what every consumer can encode again
 * (nesting depth {@link JsonPayload#MAX_DEPTH}, Jackson's numbers of 1000 digits, no unpaired surrogate), and may fail
 * only with {@link WireFormatException} INVALID_UTF8, INVALID_JSON or INVALID_FIELD (a limit).
 *
 * <p>Properties: a payload keeps the bytes as sent and parses again to an equal payload; its value decodes, is a
 * JsonObject when {@link JsonPayload#isObject} says so (Auth and NodeInfoUpdate rely on that), and encodes again to
 * JSON that parses. Not the converse: the Vert.x parser tolerates comments (docs/wire-protocol.md says so), and
 * {@code isObject} looks past whitespace only, so an object after a comment is a JsonObject that Auth and
 * NodeInfoUpdate refuse as not one (kept as the input {@code crash-comment-before-object}).
 */
public class JsonPayloadFuzz {

  @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
  void parse(byte[] data) {
    run(data);
  }

  /** @return whether {@code data} is a JSON payload */
  public static boolean run(byte[] data) {
    JsonPayload payload;
    try {
      payload = JsonPayload.parse(Buffer.buffer(data));
    } catch (WireFormatException e) {
      assertTrue(e.reason() == Reason.INVALID_UTF8 || e.reason() == Reason.INVALID_JSON
          || e.reason() == Reason.INVALID_FIELD, e::toString);
      return false;
    }
    assertArrayEquals(data, payload.toBuffer().getBytes());
    assertEquals(data.length, payload.length());
    JsonPayload again = JsonPayload.parse(payload.toBuffer());
    assertEquals(payload, again);
    assertEquals(payload.hashCode(), again.hashCode());

    Object value = payload.value();
    if (payload.isObject()) { // what Auth and NodeInfoUpdate take for a nodeInfo object is one
      assertTrue(value instanceof JsonObject, payload::toString);
    }
    JsonPayload.parse(JsonPayload.of(value).toBuffer());
    return true;
  }
}
