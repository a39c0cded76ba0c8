package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.peermesh.mesh.wire.WireFormatException.Reason;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WireCodecTest {

  private static final byte[] KEY = WireVectorsTest.KEY_A;
  private static final byte[] NONCE = WireVectorsTest.NONCE_A;
  private static final JsonPayload NESTED = JsonPayload.of(new JsonObject()
      .put("a", new JsonObject().put("b", new JsonArray().add(1).add(new JsonObject().putNull("c"))))
      .put("d", 1.5)
      .put("ключ", "значение 🚀")
      .put("big", new BigInteger("123456789012345678901234567890"))
      .put("empty", new JsonArray()));

  static Stream<WireMessage> edgeMessages() {
    return Stream.of(
        new Hello("", "", KEY, NONCE, 0),
        new Hello("é".repeat(127) + "a", "9".repeat(32), KEY, NONCE, 65535),
        new Hello("сеть-🚀", "1.0", KEY, NONCE, 4001),
        new Auth(WireVectorsTest.SIGNATURE, JsonPayload.of(new JsonObject())),
        new Auth(new byte[64], NESTED),
        new Disconnect(0, ""),
        new Disconnect(65535, "x".repeat(1024)),
        new Disconnect(1000, "до свидания ✓"),
        new Ping(0),
        new Ping(-1), // 2^64 - 1
        new Ping(Long.MIN_VALUE),
        new Pong(Long.MAX_VALUE),
        new Pong(-1),
        new AppMessage("e", JsonPayload.of(null)),
        new AppMessage("e".repeat(255), NESTED),
        new AppMessage("日本", JsonPayload.of("a string")),
        new AppMessage("n", JsonPayload.of(-0.25)),
        new AppMessage("b", JsonPayload.of(false)),
        new AppMessage("arr", JsonPayload.of(new JsonArray().add(new JsonArray().add(new JsonArray())))),
        new Request(0, "p", JsonPayload.of(null)),
        new Request(-1, "p".repeat(255), NESTED),
        Response.success(Long.MIN_VALUE, JsonPayload.of(null)),
        Response.success(-1, NESTED),
        Response.failure(0, 1, ""),
        Response.failure(-1, 65535, "ü".repeat(2048)),
        new NodeInfoUpdate(JsonPayload.of(new JsonObject())),
        new NodeInfoUpdate(NESTED));
  }

  @ParameterizedTest
  @MethodSource("edgeMessages")
  void roundTrips(WireMessage message) {
    Buffer encoded = WireCodec.encode(message);
    assertEquals(encoded.length() - 4, encoded.getInt(0), "length prefix counts type and body");
    assertEquals(message.type(), encoded.getByte(4));

    List<Buffer> frames = new ArrayList<>();
    new FrameDecoder(1 << 20).feed(encoded, frames::add);
    assertEquals(1, frames.size());
    WireMessage decoded = WireCodec.decode(frames.get(0));

    assertEquals(message, decoded);
    assertEquals(message.hashCode(), decoded.hashCode());
    assertEquals(encoded, WireCodec.encode(decoded));
  }

  @Test
  void encodeToAppendsWholeFramesForOneWrite() {
    Buffer out = Buffer.buffer("already there");
    WireCodec.encodeTo(new Ping(1), out);
    WireCodec.encodeTo(new AppMessage("e", NESTED), out);

    Buffer expected = Buffer.buffer("already there")
        .appendBuffer(WireCodec.encode(new Ping(1)))
        .appendBuffer(WireCodec.encode(new AppMessage("e", NESTED)));
    assertEquals(expected, out);
  }

  @Test
  void responseKeepsSuccessAndFailureApart() {
    Response ok = (Response) roundTrip(Response.success(3, JsonPayload.of("x")));
    assertTrue(ok.isSuccess());
    assertEquals(JsonPayload.of("x"), ok.data());
    assertNull(ok.error());

    Response failed = (Response) roundTrip(Response.failure(3, 500, "boom"));
    assertFalse(failed.isSuccess());
    assertNull(failed.data());
    assertEquals("boom", failed.error());
  }

  // ---------------------------------------------------------------------------------------------- errors

  @Test
  void emptyFrame() {
    assertReason(Reason.EMPTY_FRAME, Buffer.buffer());
  }

  @Test
  void unknownTypeIsDistinguishable() {
    for (int type : new int[] {0x00, 0x06, 0x14, 0x7f, 0xff}) {
      WireFormatException e = assertReason(Reason.UNKNOWN_TYPE, frame(type).appendBytes(new byte[] {1, 2, 3}));
      assertTrue(e.getMessage().contains(String.format("0x%02x", type)), e.getMessage());
    }
  }

  @Test
  void truncatedFixedField() {
    WireFormatException e = assertReason(Reason.TRUNCATED, frame(WireMessage.PING).appendBytes(new byte[7]));
    assertEquals("Ping frame: payload at body offset 0 needs 8 bytes, 7 remain", e.getMessage());
    assertReason(Reason.TRUNCATED, frame(WireMessage.PONG));
    assertReason(Reason.TRUNCATED, frame(WireMessage.RESPONSE).appendLong(1).appendByte((byte) 0));
    assertReason(Reason.TRUNCATED, frame(WireMessage.AUTH).appendBytes(new byte[63]));
  }

  @Test
  void truncatedStringLength() {
    WireFormatException e = assertReason(Reason.TRUNCATED,
        frame(WireMessage.REQUEST).appendLong(9).appendUnsignedShort(300).appendBytes(new byte[12]));
    assertEquals("Request frame: procedure length 300 exceeds remaining 12 bytes", e.getMessage());

    e = assertReason(Reason.TRUNCATED, frame(WireMessage.APP_MESSAGE).appendByte((byte) 0));
    assertEquals("AppMessage frame: event length at body offset 0 needs 2 bytes, 1 remain", e.getMessage());
  }

  @Test
  void helloWithAShortKeyIsTruncated() {
    // Keys have no length on the wire: a 32-byte key shifts every later field and the body ends early.
    Buffer frame = frame(WireMessage.HELLO)
        .appendUnsignedShort(1).appendString("n").appendUnsignedShort(3).appendString("1.0")
        .appendBytes(new byte[32]).appendBytes(NONCE).appendUnsignedShort(4001);
    WireFormatException e = assertReason(Reason.TRUNCATED, frame);
    assertEquals("Hello frame: listenPort at body offset 73 needs 2 bytes, 1 remain", e.getMessage());
  }

  @Test
  void trailingBytes() {
    WireFormatException e = assertReason(Reason.TRAILING_BYTES, frame(WireMessage.PING).appendLong(1).appendByte((byte) 0));
    assertEquals("Ping frame: 1 trailing bytes at body offset 8", e.getMessage());
    assertReason(Reason.TRAILING_BYTES, frame(WireMessage.PONG).appendLong(1).appendShort((short) 0));
    Buffer hello = WireCodec.encode(new Hello("n", "1.0", KEY, NONCE, 1));
    assertReason(Reason.TRAILING_BYTES, hello.getBuffer(4, hello.length()).appendByte((byte) 0));
  }

  @Test
  void invalidUtf8InStrings() {
    WireFormatException e = assertReason(Reason.INVALID_UTF8,
        frame(WireMessage.DISCONNECT).appendUnsignedShort(1000).appendBytes(bytes("ab", 0xc3, '(')));
    assertEquals("Disconnect frame: reason at body offset 2 is not valid UTF-8 (malformed at offset 2 of 4 bytes)", e.getMessage());

    // overlong "/" and an encoded UTF-16 surrogate are rejected, not decoded leniently
    assertReason(Reason.INVALID_UTF8,
        frame(WireMessage.APP_MESSAGE).appendUnsignedShort(2).appendBytes(bytes("", 0xc0, 0xaf)).appendString("1"));
    assertReason(Reason.INVALID_UTF8, frame(WireMessage.HELLO).appendUnsignedShort(3).appendBytes(bytes("", 0xed, 0xa0, 0x80)));
    assertReason(Reason.INVALID_UTF8,
        frame(WireMessage.RESPONSE).appendLong(1).appendUnsignedShort(2).appendBytes(bytes("x", 0xe2, 0x82)));
  }

  @Test
  void invalidUtf8InJson() {
    WireFormatException e = assertReason(Reason.INVALID_UTF8,
        frame(WireMessage.NODE_INFO_UPDATE).appendBytes(bytes("{\"a\":\"", 0xff, '"', '}')));
    assertTrue(e.getMessage().startsWith("NodeInfoUpdate frame: nodeInfo at body offset 0 is not valid UTF-8"), e.getMessage());
  }

  @Test
  void invalidJson() {
    WireFormatException e = assertReason(Reason.INVALID_JSON, appMessage("{"));
    assertTrue(e.getMessage().startsWith("AppMessage frame: data at body offset 3 is not valid JSON: "), e.getMessage());
    assertEquals("AppMessage frame: data at body offset 3 is empty, which is not JSON",
        assertReason(Reason.INVALID_JSON, appMessage("")).getMessage());
    assertReason(Reason.INVALID_JSON, appMessage("  "));
    assertReason(Reason.INVALID_JSON, appMessage("{} x"));
    assertReason(Reason.INVALID_JSON, appMessage("{}{}"));
    assertReason(Reason.INVALID_JSON, appMessage("[1,]"));
    assertReason(Reason.INVALID_JSON, appMessage("'single'"));
    assertReason(Reason.INVALID_JSON, appMessage("NaN"));
    assertReason(Reason.INVALID_JSON, frame(WireMessage.RESPONSE).appendLong(1).appendUnsignedShort(0));
    assertReason(Reason.INVALID_JSON, frame(WireMessage.AUTH).appendBytes(new byte[64]).appendString("{\"a\":"));
    assertReason(Reason.INVALID_JSON, frame(WireMessage.REQUEST).appendLong(1).appendUnsignedShort(1).appendString("p"));
  }

  @Test
  void authNodeInfoMustBeAnObject() {
    WireFormatException e = assertReason(Reason.INVALID_FIELD, frame(WireMessage.AUTH).appendBytes(new byte[64]).appendString("[1]"));
    assertEquals("Auth frame: nodeInfo must be a JSON object", e.getMessage());
    assertReason(Reason.INVALID_FIELD, frame(WireMessage.AUTH).appendBytes(new byte[64]).appendString("null"));
    assertReason(Reason.INVALID_FIELD, frame(WireMessage.NODE_INFO_UPDATE).appendString("\"x\""));
  }

  @Test
  void outOfRangeFields() {
    WireFormatException e = assertReason(Reason.INVALID_FIELD,
        frame(WireMessage.HELLO).appendUnsignedShort(256).appendString("n".repeat(256))
            .appendUnsignedShort(3).appendString("1.0").appendBytes(KEY).appendBytes(NONCE).appendUnsignedShort(1));
    assertEquals("Hello frame: networkId must be 0..255 bytes of UTF-8, got 256", e.getMessage());
    assertReason(Reason.INVALID_FIELD,
        frame(WireMessage.HELLO).appendUnsignedShort(1).appendString("n")
            .appendUnsignedShort(33).appendString("1".repeat(33)).appendBytes(KEY).appendBytes(NONCE).appendUnsignedShort(1));
    assertReason(Reason.INVALID_FIELD, frame(WireMessage.APP_MESSAGE).appendUnsignedShort(0).appendString("{}"));
    assertReason(Reason.INVALID_FIELD, frame(WireMessage.REQUEST).appendLong(1).appendUnsignedShort(0).appendString("{}"));
    assertReason(Reason.INVALID_FIELD, frame(WireMessage.DISCONNECT).appendUnsignedShort(1000).appendString("r".repeat(1025)));
    assertReason(Reason.INVALID_FIELD,
        frame(WireMessage.RESPONSE).appendLong(1).appendUnsignedShort(1).appendString("e".repeat(4097)));
  }

  private static WireMessage roundTrip(WireMessage message) {
    Buffer encoded = WireCodec.encode(message);
    return WireCodec.decode(encoded.getBuffer(4, encoded.length()));
  }

  private static WireFormatException assertReason(Reason reason, Buffer frame) {
    WireFormatException e = assertThrows(WireFormatException.class, () -> WireCodec.decode(frame));
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }

  private static Buffer frame(int type) {
    return Buffer.buffer().appendByte((byte) type);
  }

  private static Buffer appMessage(String data) {
    return frame(WireMessage.APP_MESSAGE).appendUnsignedShort(1).appendString("e").appendString(data);
  }

  /** ASCII text followed by raw bytes. */
  private static byte[] bytes(String ascii, int... raw) {
    byte[] text = ascii.getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(text, text.length + raw.length);
    for (int i = 0; i < raw.length; i++) {
      out[text.length + i] = (byte) raw[i];
    }
    return out;
  }
}
