package org.peermesh.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.peermesh.json.JsonFields.Integers;
import org.peermesh.json.JsonFields.TextForm;

/** The shared JSON field reader: what it accepts, and that every refusal names the field by its path. */
class JsonFieldsTest {

  private static final TextForm<Integer> EVEN = new TextForm<>("an even number", text -> {
    int number = Integer.parseInt(text);
    if (number % 2 != 0) {
      throw new IllegalArgumentException(number + " is odd");
    }
    return number;
  });

  @Test
  void nullIsNoMessage() {
    assertRefused("the message JSON must be an object, got null", () -> JsonFields.of(null));
  }

  @Test
  void missingAndWrongKindsNameTheFieldAndQuoteStrings() {
    JsonFields fields = JsonFields.of(new JsonObject().put("a", "1").put("b", 1).put("n", (Object) null));
    assertRefused("x is missing", () -> fields.string("x"));
    assertRefused("n is missing", () -> fields.value("n"));
    assertRefused("a must be an integer, got '1'", () -> fields.u8("a"));
    assertRefused("b must be a string, got 1", () -> fields.string("b"));
    assertRefused("b must be a boolean, got 1", () -> fields.bool("b"));
    assertRefused("b must be an object, got 1", () -> fields.object("b"));
    assertRefused("b must be an array, got 1", () -> fields.array("b"));
  }

  @Test
  void integersAreBoundedByTheirWidth() {
    JsonFields fields = JsonFields.of(new JsonObject().put("byte", 256).put("short", -32769).put("max", 0xFFFF_FFFFL)
        .put("u64", BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)).put("negative", -1));
    assertRefused("byte must be in 0..255, got 256", () -> fields.u8("byte"));
    assertRefused("short must be in -32768..32767, got -32769", () -> fields.i16("short"));
    assertRefused("negative must be in 0..65535, got -1", () -> fields.u16("negative"));
    assertRefused("max must be in -2147483648..2147483647, got 4294967295", () -> fields.i32("max"));
    assertEquals(0xFFFF_FFFFL, fields.u32("max"));
    assertEquals(-1, fields.u64("u64"), "a u64 comes back bit for bit");
    assertRefused("u64 must be in -9223372036854775808..9223372036854775807, got 18446744073709551615",
        () -> fields.i64("u64"));
  }

  @Test
  void decimalStringsAndWholeNumbersInOtherNotationsAreIntegersOnlyWhereAllowed() {
    JsonObject json = new JsonObject().put("text", "-5").put("fraction", 7.0).put("half", 7.5).put("word", "seven");
    JsonFields strict = JsonFields.of(json);
    assertRefused("text must be an integer, got '-5'", () -> strict.i64("text"));
    assertRefused("fraction must be an integer, got 7.0", () -> strict.i64("fraction"));

    JsonFields lenient = JsonFields.of(json, Integers.JSON_NUMBERS_OR_DECIMAL_STRINGS);
    assertEquals(-5, lenient.i64("text"));
    assertEquals(7, lenient.u8("fraction"));
    assertRefused("half must be an integer, got 7.5", () -> lenient.i64("half"));
    assertRefused("word must be an integer, got 'seven'", () -> lenient.i64("word"));
    assertRefused("text must be in 0..4294967295, got -5", () -> lenient.u32("text"));
  }

  @Test
  void nestedReadersKeepThePathAndTheIntegerForms() {
    JsonObject json = new JsonObject().put("outer", new JsonObject().put("items", new JsonArray()
        .add(new JsonObject().put("n", "1")).add(new JsonObject().put("n", "x")).add(3)));
    JsonFields lenient = JsonFields.of(json, Integers.JSON_NUMBERS_OR_DECIMAL_STRINGS);
    assertRefused("outer.items[1].n must be an integer, got 'x'",
        () -> lenient.object("outer").objects("items", item -> item.u8("n")));
    JsonFields firstOnly = JsonFields.of(new JsonObject().put("items", new JsonArray().add(new JsonObject().put("n", 1))
        .add("two")));
    assertRefused("items[1] must be an object, got 'two'", () -> firstOnly.objects("items", item -> item.u8("n")));
    assertEquals("outer.inner", lenient.object("outer").path("inner"));

    assertEquals(Optional.empty(), lenient.optionalObject("absent"));
    assertEquals(Optional.empty(), JsonFields.of(new JsonObject().putNull("null")).optionalObject("null"));
    assertEquals("outer.items", lenient.optionalObject("outer").orElseThrow().path("items"));
    assertRefused("outer must be an object, got 'x'",
        () -> JsonFields.of(new JsonObject().put("outer", "x")).optionalObject("outer"));
  }

  @Test
  void parseFailuresSayWhereAndWhy() {
    JsonFields fields = JsonFields.of(new JsonObject().put("one", "3").put("many", new JsonArray().add("2").add("5"))
        .put("mixed", new JsonArray().add("2").add(4)));
    assertRefused("one: 3 is odd", () -> fields.parsed("one", EVEN.parse()));
    assertRefused("one must be an even number: 3 is odd", () -> fields.parsed("one", EVEN));
    assertRefused("many[1]: 5 is odd", () -> fields.strings("many", EVEN.parse()));
    assertRefused("many[1] must be an even number: 5 is odd", () -> fields.strings("many", EVEN));
    assertRefused("mixed[1] must be a string, got 4", () -> fields.strings("mixed", EVEN.parse()));
    assertRefused("mixed[1] must be an even number, got 4", () -> fields.strings("mixed", EVEN));
  }

  @Test
  void hexRoundTripsAndRefusesOddOrForeignDigits() {
    byte[] bytes = {0x00, (byte) 0xAB, 0x7F};
    JsonFields fields = JsonFields.of(new JsonObject().put("data", JsonFields.hex(bytes)).put("odd", "abc")
        .put("list", JsonFields.arrayOf(List.of(bytes, new byte[0]), JsonFields::hex)));
    assertEquals("00ab7f", JsonFields.hex(bytes));
    assertArrayEquals(bytes, fields.hex("data"));
    assertArrayEquals(new byte[0], fields.strings("list", JsonFields::parseHex).get(1));
    assertRefused("odd: must be hex with an even number of digits, got \"abc\"", () -> fields.hex("odd"));
  }

  private static void assertRefused(String message, Executable read) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, read).getMessage());
  }
}
