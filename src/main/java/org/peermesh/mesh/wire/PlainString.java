package org.peermesh.mesh.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The JSON strings most data is sent as (hex or base64 blocks and transactions, identifiers): printable ASCII with no
 * quote or backslash, whose JSON text is the characters between two quotes. Such a string is encoded and decoded
 * here as bytes, checked eight at a time, where a JSON library and a strict UTF-8 decoder would each take a pass over
 * it character by character and build their buffers; anything else is left to them.
 */
final class PlainString {

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long QUOTES = ONES * '"';
  private static final long BACKSLASHES = ONES * '\\';
  private static final long SPACES = ONES * ' ';
  private static final long QUESTION_MARKS = ONES * '?';

  private PlainString() {
  }

  /** The JSON text of {@code value} if it is plain, else null. */
  static byte[] encode(String value) {
    // An ASCII string's UTF-8 is a copy of its own bytes (an intrinsic); anything else comes out longer, but for an
    // unpaired surrogate, which becomes a '?' of its own.
    byte[] text = value.getBytes(StandardCharsets.UTF_8);
    if (text.length != value.length() || !isPlain(text, 0, text.length) || replacedSurrogate(value, text)) {
      return null;
    }
    byte[] json = new byte[text.length + 2];
    json[0] = '"';
    System.arraycopy(text, 0, json, 1, text.length);
    json[text.length + 1] = '"';
    return json;
  }

  /**
   * Whether {@code text}, the plain UTF-8 of {@code value}, has a '?' where {@code value} has an unpaired surrogate.
   * Only a text with a '?' is compared, and a string with a surrogate is held as UTF-16, so the comparison with a
   * Latin-1 one fails at once.
   */
  private static boolean replacedSurrogate(String value, byte[] text) {
    return hasQuestionMark(text) && !value.equals(new String(text, StandardCharsets.ISO_8859_1));
  }

  /** Whether {@code text} has a '?': eight bytes at a time, then one. */
  private static boolean hasQuestionMark(byte[] text) {
    int i = 0;
    for (; i <= text.length - Long.BYTES; i += Long.BYTES) {
      if ((zeroByte((long) LONGS.get(text, i) ^ QUESTION_MARKS) & HIGH_BITS) != 0) {
        return true;
      }
    }
    for (; i < text.length; i++) {
      if (text[i] == '?') {
        return true;
      }
    }
    return false;
  }

  /** The string {@code json} is the text of, if it is a plain string with nothing around its quotes, else null. */
  static String decode(byte[] json) {
    int last = json.length - 1;
    if (last < 1 || json[0] != '"' || json[last] != '"' || !isPlain(json, 1, last)) {
      return null;
    }
    return new String(json, 1, last - 1, StandardCharsets.ISO_8859_1);
  }

  /** Whether bytes {@code from} (inclusive) to {@code to} (exclusive) are all plain: eight at a time, then one. */
  static boolean isPlain(byte[] bytes, int from, int to) {
    int i = from;
    for (; i <= to - Long.BYTES; i += Long.BYTES) {
      if (hasNonPlainByte((long) LONGS.get(bytes, i))) {
        return false;
      }
    }
    for (; i < to; i++) {
      if (!isPlain(bytes[i] & 0xFF)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether any of the eight bytes of {@code x} is not plain, with the byte-wise tests of "Bit Twiddling Hacks"
   * (exact for whether any byte matches: a borrow or carry across bytes only starts at a byte that matches): a byte
   * below the space, one above the tilde (DEL and everything not ASCII), a quote, a backslash.
   */
  private static boolean hasNonPlainByte(long x) {
    long belowSpace = (x - SPACES) & ~x;
    long aboveTilde = (x + ONES) | x;
    return ((belowSpace | aboveTilde | zeroByte(x ^ QUOTES) | zeroByte(x ^ BACKSLASHES)) & HIGH_BITS) != 0;
  }

  /** The high bit of a byte set where {@code v} may have a zero byte, and in none if it has none. */
  private static long zeroByte(long v) {
    return (v - ONES) & ~v;
  }

  /** Printable ASCII but the quote and the backslash: what JSON neither escapes nor needs UTF-8 for. */
  private static boolean isPlain(int c) {
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
  }
}
