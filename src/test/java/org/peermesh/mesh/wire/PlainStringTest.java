package org.peermesh.mesh.wire;

import io.vertx.core.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

  /** UTF-8 has no unpaired surrogate and getBytes puts a '?' in its place: such a string is not plain. */
  @Test
  void aStringWithAnUnpairedSurrogateIsNotPlain() {
    for (String other : List.of("a\ud800b", "\udc00", "01234567\ud83d", "?\ude80???????")) {
      assertNull(PlainString.encode(other), other);
    }
    for (String plain : List.of("?", "what?", "0123456?89abcdef?")) {
      assertArrayEquals(Json.encodeToBuffer(plain).getBytes(), PlainString.encode(plain), plain);
    }
  }

  /**
   * The word-at-a-time check agrees with the byte-at-a-time definition for every byte value at every position of a
   * word and of the tail, among plain neighbours and among the neighbours that border the plain range.
   */
  @Test
  void everyByteValueIsJudgedAsTheDefinitionSaysAtEveryPosition() {
    for (byte neighbour : new byte[] {'a', ' ', '~', '!', '#', '[', ']'}) {
      for (int length = 1; length <= 19; length++) {
        for (int at = 0; at < length; at++) {
          for (int value = 0; value < 256; value++) {
            byte[] bytes = new byte[length];
            Arrays.fill(bytes, neighbour);
            bytes[at] = (byte) value;
            boolean plain = value >= 0x20 && value < 0x7F && value != '"' && value != '\\';
            assertEquals(plain, PlainString.isPlain(bytes, 0, length), "byte " + value + " at " + at + " of " + length);
          }
        }
      }
    }
  }

  @Test
  void aLongStringIsCheckedToItsLastByte() {
    String hex = "0123456789abcdef".repeat(4096);
    assertArrayEquals(Json.encodeToBuffer(hex).getBytes(), PlainString.encode(hex));
    for (String spoiled : List.of(hex + "\"", hex + "é", "\u0001" + hex, hex.substring(0, 30_001) + "\\" + hex)) {
      assertNull(PlainString.encode(spoiled));
      assertNull(PlainString.decode(Json.encodeToBuffer(spoiled).getBytes()));
      assertEquals(spoiled, JsonPayload.parse(Json.encodeToBuffer(spoiled).getBytes(), "test").value());
    }
  }
}
