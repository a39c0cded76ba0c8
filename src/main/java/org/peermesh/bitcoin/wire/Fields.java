package org.peermesh.bitcoin.wire;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * Field rules shared by the message constructors. The constructors are the one place each rule
 * lives: {@link PayloadReader#decode} turns their IllegalArgumentException into INVALID_FIELD on
 * receipt, so sending and receiving cannot disagree.
 */
final class Fields {

  private Fields() {
  }

  static long requireU32(long value, String field) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(field + " must be a u32 (0..4294967295), got " + value);
    }
    return value;
  }

  static int requireU16(int value, String field) {
    if (value < 0 || value > 0xFFFF) {
      throw new IllegalArgumentException(field + " must be a u16 (0..65535), got " + value);
    }
    return value;
  }

  static int requireU8(int value, String field) {
    if (value < 0 || value > 0xFF) {
      throw new IllegalArgumentException(field + " must be a u8 (0..255), got " + value);
    }
    return value;
  }

  /** An immutable copy of {@code list} with at most {@code max} elements, none null. */
  static <T> List<T> copyOfAtMost(List<T> list, int max, String field) {
    Objects.requireNonNull(list, field);
    if (list.size() > max) {
      throw new IllegalArgumentException(field + " has " + list.size() + " entries, the maximum is " + max);
    }
    return List.copyOf(list);
  }

  /** Requires that {@code bytes} has exactly {@code length} bytes. */
  static void requireLength(byte[] bytes, int length, String field) {
    Objects.requireNonNull(bytes, field);
    if (bytes.length != length) {
      throw new IllegalArgumentException(field + " must be " + length + " bytes, got " + bytes.length);
    }
  }

  /** Checks the length of {@code value}'s UTF-8 encoding, which is what the wire limits. */
  static String requireUtf8AtMost(String value, int maxBytes, String field) {
    Objects.requireNonNull(value, field);
    int length = value.getBytes(StandardCharsets.UTF_8).length;
    if (length > maxBytes) {
      throw new IllegalArgumentException(field + " must be at most " + maxBytes + " bytes of UTF-8, got " + length);
    }
    return value;
  }
}
