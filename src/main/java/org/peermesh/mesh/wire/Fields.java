package org.peermesh.mesh.wire;

import java.util.Objects;

/**
 * Field rules shared by the message constructors. The constructors are the one place each rule
 * lives: {@link WireCodec} turns their {@link IllegalArgumentException} into INVALID_FIELD on
 * receipt, so sending and receiving cannot disagree.
 */
final class Fields {

  private Fields() {
  }

  static void requireU16(int value, String field) {
    if (value < 0 || value > 0xFFFF) {
      throw new IllegalArgumentException(field + " must be 0..65535, got " + value);
    }
  }

  /** Checks the length of {@code value}'s UTF-8 encoding, which is what the wire limits. */
  static void requireUtf8(String value, String field, int minBytes, int maxBytes) {
    Objects.requireNonNull(value, field);
    int length = Utf8.encode(value, field).length;
    if (length < minBytes || length > maxBytes) {
      throw new IllegalArgumentException(
          field + " must be " + minBytes + ".." + maxBytes + " bytes of UTF-8, got " + length);
    }
  }

  static byte[] requireLength(byte[] bytes, int length, String field) {
    Objects.requireNonNull(bytes, field);
    if (bytes.length != length) {
      throw new IllegalArgumentException(field + " must be " + length + " bytes, got " + bytes.length);
    }
    return bytes;
  }

  static void requireObject(JsonPayload payload, String field) {
    Objects.requireNonNull(payload, field);
    if (!payload.isObject()) {
      throw new IllegalArgumentException(field + " must be a JSON object");
    }
  }
}
