package org.peermesh.devp2p.rlp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The published RLP vectors: ethereum/tests RLPTests/rlptest.json and invalidRLPTest.json, copied unchanged from
 * commit 4c87ebbf024a3e9ec842bcce90564f629a3bcd82 into this package's test resources (see the README there). In the
 * valid cases a JSON string is its UTF-8 bytes, a number or a string starting with {@code #} an integer.
 */
class RlpVectorsTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String BIG_INTEGER_MARK = "#";

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void encodesEachValidCaseByteExactly(String name, Object in, byte[] out) {
    assertArrayEquals(out, Rlp.encode(item(in)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void decodesEachValidCase(String name, Object in, byte[] out) {
    assertEquals(item(in), Rlp.decode(out));
    Rlp.Decoded decoded = Rlp.decodePrefix(out, 0);
    assertEquals(out.length, decoded.length());
    assertEquals(item(in), decoded.item());
    if (in instanceof Number number) {
      assertEquals(number.longValue(), Rlp.decode(out).string(name).asLong(name));
    } else if (in instanceof String text && text.startsWith(BIG_INTEGER_MARK)) {
      assertEquals(new BigInteger(text.substring(1)), Rlp.decode(out).string(name).asBigInteger(name));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void refusesEveryTruncationOfEachValidCase(String name, Object in, byte[] out) {
    for (int length = 0; length < out.length; length++) {
      byte[] prefix = Arrays.copyOf(out, length);
      RlpException e = assertThrows(RlpException.class, () -> Rlp.decode(prefix), () -> name + " cut short");
      assertEquals("truncated", e.kind(), e::detail);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void refusesEachValidCaseWithATrailingByte(String name, Object in, byte[] out) {
    byte[] extended = Arrays.copyOf(out, out.length + 1);
    RlpException e = assertThrows(RlpException.class, () -> Rlp.decode(extended));
    assertEquals("trailing_bytes", e.kind(), e::detail);
    assertEquals(out.length, Rlp.decodePrefix(extended, 0).length());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesEachInvalidCase(String name, byte[] out) {
    assertThrows(RlpException.class, () -> Rlp.decode(out));
  }

  static Stream<Arguments> valid() {
    JsonObject cases = load("rlptest.json");
    return cases.fieldNames().stream().sorted().map(name -> {
      JsonObject vector = cases.getJsonObject(name);
      return Arguments.of(name, vector.getValue("in"), hex(vector.getString("out")));
    });
  }

  static Stream<Arguments> invalid() {
    JsonObject cases = load("invalidRLPTest.json");
    return cases.fieldNames().stream().sorted()
        .map(name -> Arguments.of(name, hex(cases.getJsonObject(name).getString("out"))));
  }

  /** The item a valid case's {@code in} stands for. */
  private static RlpItem item(Object in) {
    if (in instanceof JsonArray array) {
      List<RlpItem> items = new ArrayList<>();
      array.forEach(element -> items.add(item(element)));
      return new RlpList(items);
    }
    if (in instanceof Number number) {
      return RlpString.of(number.longValue());
    }
    String text = (String) in;
    return text.startsWith(BIG_INTEGER_MARK)
        ? RlpString.of(new BigInteger(text.substring(1)))
        : RlpString.of(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hex(String text) {
    return HEX.parseHex(text.startsWith("0x") ? text.substring(2) : text);
  }

  private static JsonObject load(String resource) {
    try (InputStream in = RlpVectorsTest.class.getResourceAsStream(resource)) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
