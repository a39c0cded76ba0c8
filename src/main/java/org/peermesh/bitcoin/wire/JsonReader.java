package org.peermesh.bitcoin.wire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the JSON form of a message, the inverse of the messages' {@code toJson}. Every error is an
 * IllegalArgumentException naming the field by its path ({@code inputs[0].scriptSig}), so a bad
 * request to the node API says exactly what to fix. Also holds the JSON renderings of values the
 * messages share (hex, unsigned numbers), so writing and reading sit side by side.
 */
final class JsonReader {

  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  private final JsonObject json;
  private final String path;

  private JsonReader(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  static JsonReader of(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("the message JSON must be an object, got null");
    }
    return new JsonReader(json, "");
  }

  /** Lowercase hex, how the JSON carries scripts, witness items and raw payloads. */
  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /**
   * Each of {@code elements} rendered by {@code element}, in a JSON array: how the messages write the arrays that
   * {@link #objects} and {@link #strings} read.
   */
  static <T> JsonArray arrayOf(List<T> elements, Function<? super T, ?> element) {
    JsonArray array = new JsonArray();
    elements.forEach(item -> array.add(element.apply(item)));
    return array;
  }

  /** A u64 as a JSON number, beyond Long.MAX_VALUE as a BigInteger, never negative. */
  static Number unsignedNumber(long value) {
    return value >= 0 ? (Number) value : new BigInteger(Long.toUnsignedString(value));
  }

  String string(String field) {
    Object value = value(field);
    if (!(value instanceof String string)) {
      throw wrong(field, "a string", value);
    }
    return string;
  }

  boolean bool(String field) {
    Object value = value(field);
    if (!(value instanceof Boolean bool)) {
      throw wrong(field, "a boolean", value);
    }
    return bool;
  }

  int int32(String field) {
    return (int) integer(field, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE));
  }

  int u8(String field) {
    return (int) integer(field, BigInteger.ZERO, BigInteger.valueOf(0xFF));
  }

  int u16(String field) {
    return (int) integer(field, BigInteger.ZERO, BigInteger.valueOf(0xFFFF));
  }

  long u32(String field) {
    return integer(field, BigInteger.ZERO, BigInteger.valueOf(0xFFFF_FFFFL));
  }

  long int64(String field) {
    return integer(field, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE));
  }

  /** A u64 written as a JSON number; returned bit for bit in a long. */
  long u64(String field) {
    return integer(field, BigInteger.ZERO, TWO_TO_64.subtract(BigInteger.ONE));
  }

  /** A u64 written as a decimal string, how the JSON carries random values such as nonces. */
  long u64Decimal(String field) {
    String text = string(field);
    try {
      return Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name(field) + " must be an unsigned 64-bit decimal string, got \"" + text + "\"");
    }
  }

  /** The inverse of {@link #hex(byte[])}; IllegalArgumentException on anything but pairs of hex digits. */
  static byte[] parseHex(String text) {
    try {
      return HEX.parseHex(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be hex with an even number of digits, got \"" + text + "\"");
    }
  }

  byte[] hex(String field) {
    return parsed(field, JsonReader::parseHex);
  }

  Sha256Hash hash(String field) {
    String text = string(field);
    try {
      return Sha256Hash.fromHex(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name(field) + " must be a 64-digit hex hash, got \"" + text + "\"");
    }
  }

  /** Runs {@code parse} on the field's text, reporting its IllegalArgumentException under the field's name. */
  <T> T parsed(String field, Function<String, T> parse) {
    String text = string(field);
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name(field) + ": " + e.getMessage());
    }
  }

  /** The field's raw value, for fields that may take several JSON kinds. */
  Object value(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      throw new IllegalArgumentException(name(field) + " is missing");
    }
    return value;
  }

  JsonReader object(String field) {
    Object value = value(field);
    if (!(value instanceof JsonObject object)) {
      throw wrong(field, "an object", value);
    }
    return new JsonReader(object, name(field));
  }

  /** Each element of an array of objects, read by {@code element}. */
  <T> List<T> objects(String field, Function<JsonReader, T> element) {
    JsonArray array = array(field);
    List<T> list = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String elementName = name(field) + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject object)) {
        throw new IllegalArgumentException(elementName + " must be an object");
      }
      list.add(element.apply(new JsonReader(object, elementName)));
    }
    return list;
  }

  /** Each element of an array of strings, read by {@code element}. */
  <T> List<T> strings(String field, Function<String, T> element) {
    JsonArray array = array(field);
    List<T> list = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String elementName = name(field) + "[" + i + "]";
      if (!(array.getValue(i) instanceof String text)) {
        throw new IllegalArgumentException(elementName + " must be a string");
      }
      try {
        list.add(element.apply(text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(elementName + ": " + e.getMessage());
      }
    }
    return list;
  }

  private JsonArray array(String field) {
    Object value = value(field);
    if (!(value instanceof JsonArray array)) {
      throw wrong(field, "an array", value);
    }
    return array;
  }

  private long integer(String field, BigInteger min, BigInteger max) {
    Object value = value(field);
    BigInteger integer;
    if (value instanceof BigInteger big) {
      integer = big;
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      integer = BigInteger.valueOf(((Number) value).longValue());
    } else {
      throw wrong(field, "an integer", value);
    }
    if (integer.compareTo(min) < 0 || integer.compareTo(max) > 0) {
      throw new IllegalArgumentException(name(field) + " must be in " + min + ".." + max + ", got " + integer);
    }
    return integer.longValue();
  }

  private IllegalArgumentException wrong(String field, String kind, Object value) {
    return new IllegalArgumentException(name(field) + " must be " + kind + ", got " + value);
  }

  private String name(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
