package org.peermesh.json;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reads the fields of a JSON object, the JSON form of a wire message (the inverse of the messages' {@code toJson}).
 * Every error is an IllegalArgumentException naming the field by its path ({@code inputs[0].scriptSig},
 * {@code transactions[1].trx}), so a bad request to the node API or a bad bus command says exactly what to fix. Each
 * protocol adds only its own value types, as {@link TextForm}s, so the path-keeping and the error wording live here
 * once. Also holds the renderings the JSON forms share (hex, arrays), so writing and reading sit side by side.
 */
public final class JsonFields {

  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  /** Which JSON values a protocol's JSON form uses for integers. */
  public enum Integers {
    /** JSON integers only; a u64 past Long.MAX_VALUE is a big JSON integer. */
    JSON_INTEGERS,
    /**
     * Also decimal strings and numbers written with a fraction or exponent but a whole value: JavaScript clients
     * (wharfkit) write 64-bit values as strings, as JSON numbers lose precision past 2^53.
     */
    JSON_NUMBERS_OR_DECIMAL_STRINGS
  }

  /**
   * A value type written as a JSON string: what it must be, for errors ({@code "a checksum256 (64 hex digits)"}), and
   * its parser, which throws IllegalArgumentException on text that is not one.
   */
  public record TextForm<T>(String expected, Function<String, T> parse) {
  }

  private final JsonObject json;
  private final String path;
  private final Integers integers;

  private JsonFields(JsonObject json, String path, Integers integers) {
    this.json = json;
    this.path = path;
    this.integers = integers;
  }

  /** The fields of a message's JSON, integers as JSON integers only. */
  public static JsonFields of(JsonObject json) {
    return of(json, Integers.JSON_INTEGERS);
  }

  /** The fields of a message's JSON, integers in the forms {@code integers} allows, here and in nested objects. */
  public static JsonFields of(JsonObject json, Integers integers) {
    if (json == null) {
      throw new IllegalArgumentException("the message JSON must be an object, got null");
    }
    return new JsonFields(json, "", integers);
  }

  /** Lowercase hex, how the JSON forms carry scripts, raw payloads and opaque data. */
  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /** The inverse of {@link #hex(byte[])}; IllegalArgumentException on anything but pairs of hex digits. */
  public static byte[] parseHex(String text) {
    try {
      return HEX.parseHex(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be hex with an even number of digits, got \"" + text + "\"");
    }
  }

  /**
   * Each of {@code elements} rendered by {@code element}, in a JSON array: how the messages write the arrays that
   * {@link #objects} and {@link #strings} read.
   */
  public static <T> JsonArray arrayOf(List<T> elements, Function<? super T, ?> element) {
    JsonArray array = new JsonArray();
    elements.forEach(item -> array.add(element.apply(item)));
    return array;
  }

  /** The path of {@code field} in the message, for errors the caller raises itself. */
  public String path(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  /** The field's raw value, for fields that may take several JSON kinds. */
  public Object value(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      throw new IllegalArgumentException(path(field) + " is missing");
    }
    return value;
  }

  public String string(String field) {
    Object value = value(field);
    if (!(value instanceof String string)) {
      throw wrong(field, "a string", value);
    }
    return string;
  }

  public boolean bool(String field) {
    Object value = value(field);
    if (!(value instanceof Boolean bool)) {
      throw wrong(field, "a boolean", value);
    }
    return bool;
  }

  public int u8(String field) {
    return (int) integer(field, BigInteger.ZERO, BigInteger.valueOf(0xFF));
  }

  public int u16(String field) {
    return (int) integer(field, BigInteger.ZERO, BigInteger.valueOf(0xFFFF));
  }

  public int i16(String field) {
    return (int) integer(field, BigInteger.valueOf(Short.MIN_VALUE), BigInteger.valueOf(Short.MAX_VALUE));
  }

  public long u32(String field) {
    return integer(field, BigInteger.ZERO, BigInteger.valueOf(0xFFFF_FFFFL));
  }

  public int i32(String field) {
    return (int) integer(field, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE));
  }

  public long i64(String field) {
    return integer(field, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE));
  }

  /** A u64, returned bit for bit in a long. */
  public long u64(String field) {
    return integer(field, BigInteger.ZERO, TWO_TO_64.subtract(BigInteger.ONE));
  }

  /** Bytes written as {@link #hex(byte[])}. */
  public byte[] hex(String field) {
    return parsed(field, JsonFields::parseHex);
  }

  /**
   * Runs {@code parse} on the field's text, reporting its IllegalArgumentException as {@code "path: message"}: for
   * parsers whose messages say themselves what the text must be.
   */
  public <T> T parsed(String field, Function<String, T> parse) {
    return parse(string(field), path(field), parse);
  }

  /** The field's text read as {@code form}, a failure reported as {@code "path must be (expected): why"}. */
  public <T> T parsed(String field, TextForm<T> form) {
    return parse(string(field), path(field) + " must be " + form.expected(), form.parse());
  }

  public JsonFields object(String field) {
    Object value = value(field);
    if (!(value instanceof JsonObject object)) {
      throw wrong(field, "an object", value);
    }
    return new JsonFields(object, path(field), integers);
  }

  /** An object that may be absent or null. */
  public Optional<JsonFields> optionalObject(String field) {
    return json.getValue(field) == null ? Optional.empty() : Optional.of(object(field));
  }

  public JsonArray array(String field) {
    Object value = value(field);
    if (!(value instanceof JsonArray array)) {
      throw wrong(field, "an array", value);
    }
    return array;
  }

  /** An array of objects, each read by {@code element} with its path ({@code inputs[0]}). */
  public <T> List<T> objects(String field, Function<JsonFields, T> element) {
    return elements(field, JsonObject.class, "an object",
        (object, elementPath) -> element.apply(new JsonFields(object, elementPath, integers)));
  }

  /** An array of strings, each parsed by {@code parse}, a failure reported as in {@link #parsed(String, Function)}. */
  public <T> List<T> strings(String field, Function<String, T> parse) {
    return elements(field, String.class, "a string", (text, elementPath) -> parse(text, elementPath, parse));
  }

  /** An array of strings, each read as {@code form}, a failure reported as in {@link #parsed(String, TextForm)}. */
  public <T> List<T> strings(String field, TextForm<T> form) {
    return elements(field, String.class, form.expected(),
        (text, elementPath) -> parse(text, elementPath + " must be " + form.expected(), form.parse()));
  }

  /** Each element of an array, which must be a {@code kind} ({@code expected}), read with its path by {@code read}. */
  private <E, T> List<T> elements(String field, Class<E> kind, String expected, BiFunction<E, String, T> read) {
    JsonArray array = array(field);
    List<T> elements = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String elementPath = path(field) + "[" + i + "]";
      Object value = array.getValue(i);
      if (!kind.isInstance(value)) {
        throw new IllegalArgumentException(elementPath + " must be " + expected + ", got " + describe(value));
      }
      elements.add(read.apply(kind.cast(value), elementPath));
    }
    return elements;
  }

  /** {@code parse} applied to {@code text}, its IllegalArgumentException reported as {@code "subject: message"}. */
  private static <T> T parse(String text, String subject, Function<String, T> parse) {
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(subject + ": " + e.getMessage(), e);
    }
  }

  private long integer(String field, BigInteger min, BigInteger max) {
    Object value = value(field);
    BigInteger number = integerValue(value);
    if (number == null) {
      throw wrong(field, "an integer", value);
    }
    if (number.compareTo(min) < 0 || number.compareTo(max) > 0) {
      throw new IllegalArgumentException(path(field) + " must be in " + min + ".." + max + ", got " + number);
    }
    return number.longValue();
  }

  /** The integer {@code value} stands for in the forms this reader allows, or null if it stands for none. */
  private BigInteger integerValue(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return BigInteger.valueOf(((Number) value).longValue());
    }
    if (value instanceof BigInteger big) {
      return big;
    }
    if (integers == Integers.JSON_INTEGERS) {
      return null;
    }
    try {
      if (value instanceof Number number) {
        return new BigDecimal(number.toString()).toBigIntegerExact();
      }
      return value instanceof String text ? new BigInteger(text) : null;
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
  }

  private IllegalArgumentException wrong(String field, String expected, Object value) {
    return new IllegalArgumentException(path(field) + " must be " + expected + ", got " + describe(value));
  }

  /** A value as errors show it: strings quoted, so {@code '1'} and {@code 1} differ. */
  private static String describe(Object value) {
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }
}
