package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;
import org.peermesh.mesh.wire.WireFormatException.Reason;

/**
 * Reads one frame's body field by field. Every error names the message, the field and its body
 * offset (0 = first byte after the type byte), so a bad frame can be diagnosed from the log alone.
 */
final class BodyReader {

  private final String message;
  private final Buffer frame;
  private int position = 1; // past the type byte

  BodyReader(String message, Buffer frame) {
    this.message = message;
    this.frame = frame;
  }

  int u16(String field) {
    require(2, field);
    int value = frame.getUnsignedShort(position);
    position += 2;
    return value;
  }

  long u64(String field) {
    require(8, field);
    long value = frame.getLong(position);
    position += 8;
    return value;
  }

  byte[] bytes(int length, String field) {
    require(length, field);
    byte[] value = frame.getBytes(position, position + length);
    position += length;
    return value;
  }

  /** A u16 byte length, then that many bytes of UTF-8. */
  String string16(String field) {
    int length = u16(field + " length");
    if (length > remaining()) {
      throw new WireFormatException(Reason.TRUNCATED,
          message + " frame: " + field + " length " + length + " exceeds remaining " + remaining() + " bytes");
    }
    return utf8(length, field);
  }

  /** UTF-8 up to the end of the frame. */
  String restString(String field) {
    return utf8(remaining(), field);
  }

  /** One JSON value up to the end of the frame. */
  JsonPayload restJson(String field) {
    String where = where(field);
    byte[] json = bytes(remaining(), field);
    return JsonPayload.parse(json, where);
  }

  void requireEnd() {
    if (remaining() > 0) {
      throw new WireFormatException(Reason.TRAILING_BYTES,
          message + " frame: " + remaining() + " trailing bytes at body offset " + (position - 1));
    }
  }

  private String utf8(int length, String field) {
    String where = where(field);
    return Utf8.decode(bytes(length, field), where);
  }

  private void require(int length, String field) {
    if (length > remaining()) {
      throw new WireFormatException(Reason.TRUNCATED,
          where(field) + " needs " + length + " bytes, " + remaining() + " remain");
    }
  }

  private int remaining() {
    return frame.length() - position;
  }

  private String where(String field) {
    return message + " frame: " + field + " at body offset " + (position - 1);
  }
}
