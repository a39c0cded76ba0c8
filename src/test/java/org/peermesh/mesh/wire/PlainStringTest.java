package org.peermesh.mesh.wire;

import io.vertx.core.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The fast path for plain JSON strings gives exactly what the JSON library gives, and declines everything else. */
class PlainStringTest {

  @Test
  void plainStringsEncodeAndDecodeAsJsonDoes() {
    for (String plain : List.of("", "a", "0xdeadBEEF", "base64+/=", "~!@#$%^&*()_-{}[]:;'<>,.?/ |`", " ")) {
      byte[] json = Json.encodeToBuffer(plain).getBytes();
      assertArrayEquals(json, PlainString.encode(plain), plain);
      assertEquals(plain, PlainString.decode(json), plain);
      assertEquals(plain, JsonPayload.parse(json, "test").value());
      assertEquals(JsonPayload.of(plain), JsonPayload.parse(json, "test"));
    }
  }

  @Test
  void anythingElseIsLeftToTheJsonLibrary() {
    for (String other : List.of("quote\"", "back\\slash", "tab\t", "new\nline", "del\u007f", "é", "\u0000")) {
      assertNull(PlainString.encode(other), other);
      byte[] json = Json.encodeToBuffer(other).getBytes();
      assertNull(PlainString.decode(json), other);
      assertEquals(other, JsonPayload.parse(json, "test").value());
      assertEquals(JsonPayload.of(other), JsonPayload.parse(json, "test"));
    }
    for (String notAString : List.of("1", "\"a\" ", " \"a\"", "\"", "\"a", "a\"", "\"a\"\"b\"", "null", "{}")) {
      assertNull(PlainString.decode(notAString.getBytes(StandardCharsets.US_ASCII)), notAString);
    }
  }
}
