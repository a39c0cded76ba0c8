package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.peermesh.antelope.crypto.AntelopePublicKey;
import org.peermesh.antelope.crypto.AntelopeSignature;

/**
 * Reads the JSON form of a message, the inverse of the messages' {@code toJson}, and holds the renderings that form
 * shares (hex, 64-bit decimals), so writing and reading sit side by side. Numbers are accepted as JSON numbers or
 * decimal strings, as wharfkit writes 64-bit values as strings. Every error is an IllegalArgumentException naming the
 * field by its path ({@code transactions[1].trx}), so a bad bus command says what to fix.
 */
final class FcJson {

  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  private final JsonObject json;
  private final String path;

  private FcJson(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  static FcJson of(JsonObject json) {
    if (json == null) {
      throw new IllegalArgumentException("the message JSON must be an object, got null");
    }
    return new FcJson(json, "");
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /** An i64 as wharfkit writes it: a decimal string, as JSON numbers lose precision past 2^53. */
  static String signedDecimal(long value) {
    return Long.toString(value);
  }

  /** A u64 as a decimal string, bit for bit from a long. */
  static String unsignedDecimal(long value) {
    return Long.toUnsignedString(value);
  }

  static <T> JsonArray arrayOf(List<T> elements, Function<? super T, ?> element) {
    JsonArray array = new JsonArray();
    elements.forEach(item -> array.add(element.apply(item)));
    return array;
  }

  int u8(String field) {
    return (int) integer(field, BigInteger.ZERO, BigInteger.valueOf(0xFF));
  }

  int u16(String field) {
    return (int) integer(field, BigInteger.ZERO, BigInteger.valueOf(0xFFFF));
  }

  int i16(String field) {
    return (int) integer(field, BigInteger.valueOf(Short.MIN_VALUE), BigInteger.valueOf(Short.MAX_VALUE));
  }

  long u32(String field) {
    return integer(field, BigInteger.ZERO, BigInteger.valueOf(0xFFFF_FFFFL));
  }

  long i64(String field) {
    return integer(field, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE));
  }

  /** A u64 into a long bit for bit. */
  long u64(String field) {
    return integer(field, BigInteger.ZERO, TWO_TO_64.subtract(BigInteger.ONE));
  }

  String string(String field) {
    Object value = value(field);
    if (!(value instanceof String string)) {
      throw wrong(field, "a string", value);
    }
    return string;
  }

  byte[] hexBytes(String field) {
    String text = string(field);
    try {
      return HEX.parseHex(text);
    } catch (IllegalArgumentException e) {
      throw wrong(field, "hex", text);
    }
  }

  Checksum256 checksum256(String field) {
    return parse(field, "a checksum256 (64 hex digits)", Checksum256::fromHex);
  }

  long name(String field) {
    return parse(field, "a name", AntelopeName::fromText);
  }

  AntelopePublicKey publicKey(String field) {
    return parse(field, "a public key (PUB_K1_...)", AntelopePublicKey::parse);
  }

  AntelopeSignature signature(String field) {
    return parse(field, "a signature (SIG_K1_...)", AntelopeSignature::parse);
  }

  FcJson object(String field) {
    Object value = value(field);
    if (!(value instanceof JsonObject object)) {
      throw wrong(field, "an object", value);
    }
    return new FcJson(object, where(field));
  }

  /** An object that may be absent or null. */
  Optional<FcJson> optionalObject(String field) {
    return json.getValue(field) == null ? Optional.empty() : Optional.of(object(field));
  }

  JsonArray array(String field) {
    Object value = value(field);
    if (!(value instanceof JsonArray array)) {
      throw wrong(field, "an array", value);
    }
    return array;
  }

  /** An array of objects, each read by {@code element} with its path. */
  <T> List<T> objects(String field, Function<FcJson, T> element) {
    JsonArray array = array(field);
    List<T> elements = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String itemPath = where(field) + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject object)) {
        throw new IllegalArgumentException(itemPath + " must be an object, got " + describe(array.getValue(i)));
      }
      elements.add(element.apply(new FcJson(object, itemPath)));
    }
    return elements;
  }

  /** An array of strings, each parsed by {@code element}. */
  <T> List<T> strings(String field, String expected, Function<String, T> element) {
    JsonArray array = array(field);
    List<T> elements = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String itemPath = where(field) + "[" + i + "]";
      if (!(array.getValue(i) instanceof String text)) {
        throw new IllegalArgumentException(itemPath + " must be " + expected + ", got " + describe(array.getValue(i)));
      }
      try {
        elements.add(element.apply(text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(itemPath + " must be " + expected + ": " + e.getMessage(), e);
      }
    }
    return elements;
  }

  /** The path of {@code field}, for errors raised by the caller. */
  String where(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  private <T> T parse(String field, String expected, Function<String, T> parser) {
    String text = string(field);
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where(field) + " must be " + expected + ": " + e.getMessage(), e);
    }
  }

  private long integer(String field, BigInteger min, BigInteger max) {
    Object value = value(field);
    BigInteger number;
    try {
      if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
        number = BigInteger.valueOf(((Number) value).longValue());
      } else if (value instanceof Number other) {
        number = new BigDecimal(other.toString()).toBigIntegerExact();
      } else if (value instanceof String text) {
        number = new BigInteger(text);
      } else {
        throw wrong(field, "an integer", value);
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw wrong(field, "an integer", value);
    }
    if (number.compareTo(min) < 0 || number.compareTo(max) > 0) {
      throw new IllegalArgumentException(where(field) + " must be in " + min + ".." + max + ", got " + number);
    }
    return number.longValue();
  }

  private Object value(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      throw new IllegalArgumentException(where(field) + " is missing");
    }
    return value;
  }

  private IllegalArgumentException wrong(String field, String expected, Object value) {
    return new IllegalArgumentException(where(field) + " must be " + expected + ", got " + describe(value));
  }

  private static String describe(Object value) {
    return value instanceof String ? "'" + value + "'" : String.valueOf(value);
  }
}
