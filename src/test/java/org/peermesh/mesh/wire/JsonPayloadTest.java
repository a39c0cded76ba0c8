package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.peermesh.mesh.wire.WireFormatException.Reason;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonPayloadTest {

  @Test
  void ofEncodesCompactly() {
    JsonPayload payload = JsonPayload.of(new JsonObject().put("a", 1).put("b", new JsonArray().add("x")));
    assertEquals("{\"a\":1,\"b\":[\"x\"]}", payload.toString());
    assertEquals(payload.toString().length(), payload.length());
  }

  @Test
  void ofEncodesScalarsAndNull() {
    assertEquals("null", JsonPayload.of(null).toString());
    assertEquals("\"s\"", JsonPayload.of("s").toString());
    assertEquals("42", JsonPayload.of(42).toString());
    assertEquals("true", JsonPayload.of(true).toString());
  }

  @Test
  void parseKeepsTheBytesAsSent() {
    String text = " { \"a\" : [ 1 , 2 ] }\n";
    JsonPayload payload = JsonPayload.parse(Buffer.buffer(text));
    assertEquals(text, payload.toString());
    assertEquals(new JsonObject().put("a", new JsonArray().add(1).add(2)), payload.value());
  }

  @Test
  void equalityIsOnBytes() {
    JsonObject object = new JsonObject().put("a", 1);
    assertEquals(JsonPayload.of(object), JsonPayload.parse(Buffer.buffer("{\"a\":1}")));
    assertEquals(JsonPayload.of(object).hashCode(), JsonPayload.parse(Buffer.buffer("{\"a\":1}")).hashCode());
    assertNotEquals(JsonPayload.of(object), JsonPayload.parse(Buffer.buffer("{ \"a\":1}")));
  }

  @Test
  void valueDecodesEachKind() {
    assertEquals("s", JsonPayload.parse(Buffer.buffer("\"s\"")).value());
    assertEquals(1, JsonPayload.parse(Buffer.buffer("1")).value());
    assertEquals(true, JsonPayload.parse(Buffer.buffer("true")).value());
    assertNull(JsonPayload.parse(Buffer.buffer("null")).value());
    assertNull(JsonPayload.of(null).value());
    assertEquals(new JsonArray().add(new JsonObject()), JsonPayload.of(new JsonArray().add(new JsonObject())).value());
  }

  @Test
  void isImmutable() {
    JsonObject original = new JsonObject().put("a", new JsonObject().put("b", 1));
    JsonPayload payload = JsonPayload.of(original);
    original.getJsonObject("a").put("b", 2);
    ((JsonObject) payload.value()).getJsonObject("a").put("b", 3);
    assertEquals(new JsonObject().put("a", new JsonObject().put("b", 1)), payload.value());

    Buffer input = Buffer.buffer("[1]");
    JsonPayload parsed = JsonPayload.parse(input);
    input.setByte(1, (byte) '2');
    ((JsonArray) parsed.value()).add(9);
    parsed.toBuffer().setByte(1, (byte) '3');
    assertEquals("[1]", parsed.toString());
    assertEquals(new JsonArray().add(1), parsed.value());
  }

  @Test
  void writeToAppends() {
    Buffer out = Buffer.buffer("x");
    JsonPayload.of("y").writeTo(out);
    assertEquals(Buffer.buffer("x\"y\""), out);
  }

  @Test
  void isObjectLooksPastLeadingWhitespace() {
    assertTrue(JsonPayload.of(new JsonObject()).isObject());
    assertTrue(JsonPayload.parse(Buffer.buffer(" \t\r\n{}")).isObject());
    assertFalse(JsonPayload.parse(Buffer.buffer("[{}]")).isObject());
    assertFalse(JsonPayload.parse(Buffer.buffer("\"{}\"")).isObject());
    assertFalse(JsonPayload.of(null).isObject());
  }

  @Test
  void parseRejectsWhatIsNotOneJsonValue() {
    for (String text : new String[] {"", " ", "{", "{} {}", "[1] x", "{'a':1}", "undefined", "NaN"}) {
      WireFormatException e = assertThrows(WireFormatException.class, () -> JsonPayload.parse(Buffer.buffer(text)));
      assertEquals(Reason.INVALID_JSON, e.reason(), text);
      assertTrue(e.getMessage().startsWith("JSON payload is "), e.getMessage());
    }
  }

  @Test
  void parseRejectsMalformedUtf8() {
    Buffer bytes = Buffer.buffer("\"").appendByte((byte) 0xc0).appendByte((byte) 0xaf).appendString("\"");
    WireFormatException e = assertThrows(WireFormatException.class, () -> JsonPayload.parse(bytes));
    assertEquals(Reason.INVALID_UTF8, e.reason());
    assertEquals("JSON payload is not valid UTF-8 (malformed at offset 1 of 4 bytes)", e.getMessage());
  }

  // ---------------------------------------------------------- what every consumer can encode again, either way

  @Test
  void parseAcceptsNestingToTheLimitAndRefusesOneLevelMore() {
    for (String[] brackets : new String[][] {{"[", "]"}, {"{\"k\":", "}"}}) {
      String atLimit = brackets[0].repeat(JsonPayload.MAX_DEPTH) + "1" + brackets[1].repeat(JsonPayload.MAX_DEPTH);
      assertEquals(atLimit, JsonPayload.parse(Buffer.buffer(atLimit)).toString());

      String deeper = brackets[0] + atLimit + brackets[1];
      WireFormatException e = assertThrows(WireFormatException.class, () -> JsonPayload.parse(Buffer.buffer(deeper)));
      assertEquals(Reason.INVALID_FIELD, e.reason(), deeper);
      assertTrue(e.getMessage().startsWith("JSON payload exceeds a limit on peers' JSON: Document nesting depth (65) "
          + "exceeds the maximum allowed (64"), e.getMessage());
    }
  }

  /** 999 deep was accepted at Jackson's own limit, then lost when the bridge encoded it inside its frame. */
  @Test
  void parseRefusesWhatJacksonAloneWouldHaveAccepted() {
    String deep = "[".repeat(999) + "]".repeat(999);
    WireFormatException e = assertThrows(WireFormatException.class, () -> JsonPayload.parse(Buffer.buffer(deep)));
    assertEquals(Reason.INVALID_FIELD, e.reason());
    assertTrue(e.getMessage().contains("nesting depth (65)"), e.getMessage());
  }

  @Test
  void parseRefusesJacksonsOtherLimitsNamingThem() {
    String digits = "1".repeat(1001);
    WireFormatException e = assertThrows(WireFormatException.class, () -> JsonPayload.parse(Buffer.buffer(digits)));
    assertEquals(Reason.INVALID_FIELD, e.reason());
    assertTrue(e.getMessage().contains("Number value length (1001) exceeds the maximum allowed (1000"), e.getMessage());
    assertEquals(new BigInteger("1".repeat(1000)), JsonPayload.parse(Buffer.buffer(digits.substring(1))).value());
  }

  @Test
  void ofEncodesNestingToTheLimitAndRefusesOneLevelMore() {
    JsonArray atLimit = nestedArrays(JsonPayload.MAX_DEPTH);
    JsonPayload payload = JsonPayload.of(atLimit);
    assertEquals("[".repeat(JsonPayload.MAX_DEPTH) + "]".repeat(JsonPayload.MAX_DEPTH), payload.toString());
    assertEquals(atLimit, payload.value());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JsonPayload.of(new JsonObject().put("k", atLimit)));
    assertTrue(e.getMessage().startsWith("JSON value exceeds a limit on peers' JSON: Document nesting depth (65) "
        + "exceeds the maximum allowed (64"), e.getMessage());
  }

  /** Refused at the limit, before the encoder's recursion goes deep enough to overflow a thread's stack. */
  @Test
  void ofRefusesFarDeeperValuesTheSameWay() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JsonPayload.of(nestedArrays(100_000)));
    assertTrue(e.getMessage().contains("nesting depth (65)"), e.getMessage());
  }

  @Test
  void parseRefusesUnpairedSurrogateEscapes() {
    for (String text : new String[] {"\"\\ud800\"", "\"a\\uDFFFb\"", "\"\\ud800\\u0041\"", "\"\\ud800x\"",
        "\"\\ude80\\ud83d\"", "{\"\\udc00\":1}", "[\"ok\",\"\\\\\",\"\\uD83D\"]"}) {
      WireFormatException e = assertThrows(WireFormatException.class, () -> JsonPayload.parse(Buffer.buffer(text)));
      assertEquals(Reason.INVALID_FIELD, e.reason(), text);
      assertTrue(e.getMessage().startsWith("JSON payload has a string with an unpaired surrogate (\\u"),
          e.getMessage());
    }
  }

  @Test
  void parseAcceptsSurrogatePairsAndWhatOnlyLooksLikeAnEscape() {
    assertEquals("\ud83d\ude80", JsonPayload.parse(Buffer.buffer("\"\\ud83d\\uDE80\"")).value());
    assertEquals("\\ud800", JsonPayload.parse(Buffer.buffer("\"\\\\ud800\"")).value());
    assertEquals("\\\ud83d\ude80", JsonPayload.parse(Buffer.buffer("\"\\\\\\ud83d\\ude80\"")).value());
  }

  @Test
  void ofRefusesStringsWithUnpairedSurrogates() {
    for (Object value : new Object[] {"a\ud800b", "\udc00", "é\ud800", new JsonObject().put("k", "\ud83d"),
        new JsonObject().put("\ude80", 1)}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonPayload.of(value));
      assertTrue(e.getMessage().startsWith("JSON value has a string with an unpaired surrogate"), e.getMessage());
    }
    assertEquals("\"a?b\"", JsonPayload.of("a?b").toString());
    assertEquals("\ud83d\ude80", JsonPayload.of("\ud83d\ude80").value());
  }

  private static JsonArray nestedArrays(int depth) {
    JsonArray value = new JsonArray();
    for (int i = 1; i < depth; i++) {
      value = new JsonArray().add(value);
    }
    return value;
  }
}
