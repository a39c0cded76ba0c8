package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The published vectors of docs/wire-protocol.md, read from the document itself so that it cannot
 * drift from what is tested. The hex was derived from the spec independently of this code.
 */
class WireVectorsTest {

  private static final Pattern VECTOR = Pattern.compile("```text vector=(\\S+)\\n(.*?)```", Pattern.DOTALL);
  private static final HexFormat HEX = HexFormat.of();

  static final byte[] KEY_A = concat(new byte[] {0x02}, range(0x01, 32));
  static final byte[] KEY_B = concat(new byte[] {0x03}, range(0x21, 32));
  static final byte[] NONCE_A = range(0xa0, 32);
  static final byte[] NONCE_B = range(0xc0, 32);
  static final byte[] SIGNATURE = range(0x00, 64);

  private static Map<String, byte[]> vectors;

  @BeforeAll
  static void readVectors() throws IOException {
    String doc = Files.readString(Path.of("docs/wire-protocol.md"), StandardCharsets.UTF_8);
    vectors = new HashMap<>();
    Matcher m = VECTOR.matcher(doc);
    while (m.find()) {
      vectors.put(m.group(1), HEX.parseHex(m.group(2).replaceAll("\\s", "")));
    }
  }

  static Stream<Arguments> messages() {
    return Stream.of(
        Arguments.of("hello", new Hello("peermesh-test", "1.0", KEY_A, NONCE_A, 4001)),
        Arguments.of("auth", new Auth(SIGNATURE, JsonPayload.of(new JsonObject().put("name", "alpha").put("port", 4001)))),
        Arguments.of("disconnect", new Disconnect(4106, "malformed frame")),
        Arguments.of("ping", new Ping(0x0123456789abcdefL)),
        Arguments.of("pong", new Pong(0xfedcba9876543210L)),
        Arguments.of("app-message", new AppMessage("chat/größe", JsonPayload.of(
            new JsonObject().put("text", "hi ✓").put("tags", new JsonArray().add(1).addNull().add(true))))),
        Arguments.of("request", new Request(7, "echo", JsonPayload.of(new JsonObject().put("x", 1)))),
        Arguments.of("response-success", Response.success(7, JsonPayload.of("pong"))),
        Arguments.of("response-failure", Response.failure(8, 404, "no such procedure: nope")),
        Arguments.of("node-info-update", new NodeInfoUpdate(JsonPayload.of(
            new JsonObject().put("name", "alpha").put("roles", new JsonArray().add("relay"))))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void encodesFieldsToVector(String name, WireMessage message) {
    assertEquals(HEX.formatHex(vector(name)), HEX.formatHex(WireCodec.encode(message).getBytes()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void decodesVectorToFields(String name, WireMessage message) {
    byte[] frame = vector(name);
    assertEquals(message, WireCodec.decode(Buffer.buffer(frame).getBuffer(4, frame.length)));
  }

  @Test
  void decodedHelloFieldsMatchTheDocument() {
    byte[] frame = vector("hello");
    Hello hello = (Hello) WireCodec.decode(Buffer.buffer(frame).getBuffer(4, frame.length));
    assertEquals("peermesh-test", hello.networkId());
    assertEquals("1.0", hello.protocolVersion());
    assertArrayEquals(KEY_A, hello.publicKey());
    assertArrayEquals(NONCE_A, hello.nonce());
    assertEquals(4001, hello.listenPort());
  }

  @Test
  void challengeHashMatchesVector() {
    assertEquals(HEX.formatHex(vector("challenge-hash")),
        HEX.formatHex(HandshakeTranscript.challengeHash("peermesh-test", NONCE_B, NONCE_A, KEY_A, KEY_B)));
  }

  private static byte[] vector(String name) {
    byte[] bytes = vectors.get(name);
    if (bytes == null) {
      throw new AssertionError("docs/wire-protocol.md has no vector " + name);
    }
    return bytes;
  }

  private static byte[] range(int first, int count) {
    byte[] bytes = new byte[count];
    for (int i = 0; i < count; i++) {
      bytes[i] = (byte) (first + i);
    }
    return bytes;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] bytes = new byte[a.length + b.length];
    System.arraycopy(a, 0, bytes, 0, a.length);
    System.arraycopy(b, 0, bytes, a.length, b.length);
    return bytes;
  }
}
