package org.peermesh.devp2p.rlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RLP as nested JSON both ways, every refusal of {@link RlpJson#fromJson} and its bounds. */
class RlpJsonTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final int LIMIT = 1024;

  @Test
  void writesStringsAsHexAndListsAsArrays() {
    RlpItem item = RlpList.of(RlpString.EMPTY, RlpString.of(new byte[] {0x7f}), RlpList.of(RlpString.of("dog")),
        RlpList.EMPTY);
    assertEquals(new JsonArray("[\"0x\", \"0x7f\", [\"0x646f67\"], []]"), RlpJson.toJson(item));
    assertEquals("0x", RlpJson.toJson(RlpString.EMPTY));
  }

  @Test
  void roundTripsEveryItemOfTheRlpVectors() {
    RlpItem item = Rlp.decode(HEX.parseHex("c7c0c1c0c3c0c1c0"));
    assertEquals(item, RlpJson.fromJson(RlpJson.toJson(item), LIMIT));
    RlpItem deep = RlpList.EMPTY;
    for (int depth = 1; depth < Rlp.MAX_DEPTH; depth++) {
      deep = RlpList.of(deep);
    }
    // As deep as Rlp.decode reads, and through encoded JSON text as a bus message travels.
    Object json = new JsonArray(((JsonArray) RlpJson.toJson(deep)).encode());
    assertEquals(deep, Rlp.decode(Rlp.encode(RlpJson.fromJson(json, LIMIT))));
  }

  @Test
  void readsTextAsUtf8AndIntegersAsRlpWritesThem() {
    JsonArray json = new JsonArray().add("dog").add("0x").add("0X12").add("é").add(0).add(15).add(1024)
        .add(Long.MAX_VALUE).add(new BigInteger("18446744073709551616"));
    RlpList expected = RlpList.of(RlpString.of("dog"), RlpString.EMPTY, RlpString.of("0X12"),
        RlpString.of(new byte[] {(byte) 0xc3, (byte) 0xa9}), RlpString.EMPTY, RlpString.of(new byte[] {0x0f}),
        RlpString.of(new byte[] {0x04, 0x00}), RlpString.of(Long.MAX_VALUE),
        RlpString.of(HEX.parseHex("010000000000000000")));
    assertEquals(expected, RlpJson.fromJson(json, LIMIT));
    assertEquals(RlpString.of(HEX.parseHex("abCD".toLowerCase())), RlpJson.fromJson("0xabCD", LIMIT));
    assertEquals(RlpList.of(RlpString.of("a")), RlpJson.fromJson(List.of("a"), LIMIT));
  }

  @Test
  void refusesBadHexWithAClearMessage() {
    assertEquals("the value: hex \"0x123\" has an odd number of digits", refusal("0x123"));
    assertEquals("[1]: hex \"0x12zz\" has a non-hex character at 4", refusal(new JsonArray().add("0x").add("0x12zz")));
    // Digits of other scripts are not hex, though Character.digit would read them.
    assertTrue(refusal("0x\u0663\u0663").contains("non-hex character at 2"));
  }

  @Test
  void refusesValuesWithoutAnRlpMeaning() {
    assertEquals("the value: expected a string, a non-negative integer or an array, got a boolean", refusal(true));
    assertEquals("[0]: expected a string, a non-negative integer or an array, got null",
        refusal(new JsonArray().addNull()));
    assertEquals("[0][0]: expected a string, a non-negative integer or an array, got an object",
        refusal(new JsonArray().add(new JsonArray().add(new JsonObject()))));
    assertEquals("the value: the integer -1 is negative; RLP integers are unsigned", refusal(-1));
    assertTrue(refusal(new BigInteger("-5")).contains("is negative"));
    assertTrue(refusal(1.5).contains("is not an integer"));
    assertTrue(refusal(new JsonArray("[1.0]")).startsWith("[0]: the number 1.0 is not an integer"));
  }

  @Test
  void boundsTheDepth() {
    JsonArray deep = new JsonArray();
    JsonArray innermost = deep;
    for (int depth = 1; depth <= Rlp.MAX_DEPTH; depth++) {
      JsonArray inner = new JsonArray();
      innermost.add(inner);
      innermost = inner;
    }
    assertTrue(refusal(deep).endsWith("lists nested deeper than " + Rlp.MAX_DEPTH), refusal(deep));
  }

  @Test
  void boundsTheEncodedSize() {
    assertEquals(RlpString.of(new byte[LIMIT - 3]),
        RlpJson.fromJson("0x" + "00".repeat(LIMIT - 3), LIMIT)); // b9 03fd and the bytes: the limit exactly
    String tooLong = "0x" + "00".repeat(LIMIT - 2);
    assertTrue(assertThrows(RlpJsonException.class, () -> RlpJson.fromJson(tooLong, LIMIT)).getMessage()
        .contains("over the limit of " + LIMIT));
    JsonArray manyLists = new JsonArray();
    for (int i = 0; i < 2 * LIMIT; i++) {
      manyLists.add(new JsonArray());
    }
    assertTrue(assertThrows(RlpJsonException.class, () -> RlpJson.fromJson(manyLists, LIMIT)).getMessage()
        .startsWith("[" + (LIMIT - 1) + "]: the encoding passes the limit of " + LIMIT + " bytes here"));
  }

  private static String refusal(Object json) {
    return assertThrows(RlpJsonException.class, () -> RlpJson.fromJson(json, LIMIT)).getMessage();
  }
}
