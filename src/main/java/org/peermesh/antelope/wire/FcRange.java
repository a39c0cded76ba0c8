package org.peermesh.antelope.wire;

/**
 * The ranges of fc's integer types, checked where a message is built and where it is written, so that a value that
 * does not fit its field is refused with its name instead of being truncated on the wire.
 */
final class FcRange {

  private FcRange() {
  }

  static int u8(String field, int value) {
    return (int) check(field, value, 0, 0xFF, "u8");
  }

  static int u16(String field, int value) {
    return (int) check(field, value, 0, 0xFFFF, "u16");
  }

  static int i16(String field, int value) {
    return (int) check(field, value, Short.MIN_VALUE, Short.MAX_VALUE, "i16");
  }

  static long u32(String field, long value) {
    return check(field, value, 0, 0xFFFF_FFFFL, "u32");
  }

  private static long check(String field, long value, long min, long max, String type) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + " " + value + " is not a " + type + " (" + min + ".." + max + ")");
    }
    return value;
  }
}
