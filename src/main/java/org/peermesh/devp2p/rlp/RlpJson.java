package org.peermesh.devp2p.rlp;

import io.vertx.core.json.JsonArray;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * RLP as nested JSON, for the event bus: a string is {@code "0x"} and its bytes in hex ({@code "0x"} alone for the
 * empty string), a list is a JSON array of its items. {@link #toJson} writes that form; {@link #fromJson} reads it,
 * and for a client's convenience also a JSON string not starting with {@code 0x} (its UTF-8 bytes) and a
 * non-negative JSON integer (its minimal big-endian bytes, 0 being the empty string, as RLP writes integers). Only a
 * lower-case {@code 0x} marks hex: {@code "0X12"} is four characters of text.
 *
 * <p>Everything else is refused rather than guessed at: booleans, null, objects, negative integers and numbers
 * written with a fraction or exponent (even {@code 1.0}, which JSON readers hand over as a floating-point number).
 * Lists nest at most {@link Rlp#MAX_DEPTH} deep, so whatever is read here {@link Rlp#decode} reads back, and the
 * encoding is bounded by the caller's size limit, checked as the value is read.
 */
public final class RlpJson {

  private static final HexFormat HEX = HexFormat.of();
  private static final String HEX_PREFIX = "0x";

  private RlpJson() {
  }

  /** {@code item} as JSON: a {@code "0x..."} String for a string, a {@link JsonArray} for a list. */
  public static Object toJson(RlpItem item) {
    if (item instanceof RlpString string) {
      return string.toString();
    }
    JsonArray array = new JsonArray();
    for (RlpItem element : ((RlpList) item).items()) {
      array.add(toJson(element));
    }
    return array;
  }

  /**
   * The item a JSON value describes, whose encoding is at most {@code maxEncodedSize} bytes.
   *
   * @param json a String, an integral Number (Integer, Long, Short, Byte or BigInteger), a {@link JsonArray} or a
   *     {@link List} of such values
   * @throws RlpJsonException naming where the value is wrong, too deep or too large
   */
  public static RlpItem fromJson(Object json, int maxEncodedSize) {
    Reader reader = new Reader(maxEncodedSize);
    RlpItem item = reader.read(json, "", 0);
    int size = Rlp.encode(item).length;
    if (size > maxEncodedSize) {
      throw new RlpJsonException("", "encodes to " + size + " bytes, over the limit of " + maxEncodedSize);
    }
    return item;
  }

  /** One reading, with the bytes its encoding takes at least so far, so a large value fails before it is built. */
  private static final class Reader {

    private final int maxEncodedSize;
    private long atLeast;

    Reader(int maxEncodedSize) {
      this.maxEncodedSize = maxEncodedSize;
    }

    RlpItem read(Object json, String path, int depth) {
      if (json instanceof JsonArray array) {
        return list(array.getList(), path, depth);
      }
      if (json instanceof List<?> list) {
        return list(list, path, depth);
      }
      RlpString string = string(json, path);
      // Its exact encoded length: a byte below 0x80 is itself, else a header of at least one byte.
      count(string.length() == 1 && string.firstByte() < 0x80 ? 1 : 1 + string.length(), path);
      return string;
    }

    private RlpList list(List<?> elements, String path, int depth) {
      if (depth >= Rlp.MAX_DEPTH) {
        throw new RlpJsonException(path, "lists nested deeper than " + Rlp.MAX_DEPTH);
      }
      count(1, path);
      List<RlpItem> items = new ArrayList<>(elements.size());
      for (int i = 0; i < elements.size(); i++) {
        items.add(read(elements.get(i), path + "[" + i + "]", depth + 1));
      }
      return new RlpList(items);
    }

    private void count(long bytes, String path) {
      atLeast += bytes;
      if (atLeast > maxEncodedSize) {
        throw new RlpJsonException(path, "the encoding passes the limit of " + maxEncodedSize + " bytes here");
      }
    }

    private static RlpString string(Object json, String path) {
      if (json instanceof String text) {
        return text.startsWith(HEX_PREFIX) ? RlpString.of(hex(text, path)) : RlpString.of(text);
      }
      if (json instanceof Integer || json instanceof Long || json instanceof Short || json instanceof Byte) {
        return integer(BigInteger.valueOf(((Number) json).longValue()), path);
      }
      if (json instanceof BigInteger big) {
        return integer(big, path);
      }
      if (json instanceof Number) {
        throw new RlpJsonException(path, "the number " + json + " is not an integer; RLP integers are unsigned "
            + "integers, written without a fraction or exponent");
      }
      throw new RlpJsonException(path, "expected a string, a non-negative integer or an array, got "
          + (json == null ? "null" : json instanceof Boolean ? "a boolean" : "an object"));
    }

    private static RlpString integer(BigInteger value, String path) {
      if (value.signum() < 0) {
        throw new RlpJsonException(path, "the integer " + value + " is negative; RLP integers are unsigned");
      }
      return RlpString.of(value);
    }

    private static byte[] hex(String text, String path) {
      String digits = text.substring(HEX_PREFIX.length());
      if (digits.length() % 2 != 0) {
        throw new RlpJsonException(path, "hex \"" + shortened(text) + "\" has an odd number of digits");
      }
      for (int i = 0; i < digits.length(); i++) {
        char c = digits.charAt(i);
        if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
          throw new RlpJsonException(path, "hex \"" + shortened(text) + "\" has a non-hex character at "
              + (HEX_PREFIX.length() + i));
        }
      }
      return HEX.parseHex(digits);
    }

    private static String shortened(String text) {
      return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
  }
}
