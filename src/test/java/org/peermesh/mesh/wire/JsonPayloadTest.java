package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.peermesh.mesh.wire.WireFormatException.Reason;

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
}
