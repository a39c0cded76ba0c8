package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.peermesh.bitcoin.wire.BitcoinWireException.Reason;

/**
 * Reads one message payload field by field, little-endian as Bitcoin serializes. Every error names
 * the message, the field and its payload offset, so a bad message can be diagnosed from the log
 * alone. Counts and lengths are checked against their limit and the remaining bytes before
 * anything is allocated for them.
 */
final class PayloadReader {

  private final String message;
  private final Buffer payload;
  private int position;

  private PayloadReader(String message, Buffer payload) {
    this.message = message;
    this.payload = payload;
  }

  /**
   * Decodes a whole payload with {@code body} and requires that it used every byte. The message
   * constructors hold the field rules and throw IllegalArgumentException; here those become
   * INVALID_FIELD, so sending and receiving cannot disagree about a rule.
   */
  static <T> T decode(String message, Buffer payload, Function<PayloadReader, T> body) {
    PayloadReader in = new PayloadReader(message, payload);
    T value;
    try {
      value = body.apply(in);
    } catch (IllegalArgumentException e) {
      throw new BitcoinWireException(Reason.INVALID_FIELD,
          message + " payload: " + e.getMessage() + " (field ending at offset " + in.position + ")");
    }
    in.requireEnd();
    return value;
  }

  int u8(String field) {
    require(1, field);
    return payload.getUnsignedByte(position++);
  }

  /** A byte where Core reads a bool: any non-zero value is true. */
  boolean bool(String field) {
    return u8(field) != 0;
  }

  int int32(String field) {
    require(4, field);
    int value = payload.getIntLE(position);
    position += 4;
    return value;
  }

  long u32(String field) {
    require(4, field);
    long value = payload.getUnsignedIntLE(position);
    position += 4;
    return value;
  }

  long int64(String field) {
    require(8, field);
    long value = payload.getLongLE(position);
    position += 8;
    return value;
  }

  /** The one big-endian field of the protocol: a port. */
  int u16BigEndian(String field) {
    require(2, field);
    int value = payload.getUnsignedShort(position);
    position += 2;
    return value;
  }

  /** A fresh array the caller owns: the decoders hand it to the messages' owning constructors uncopied. */
  byte[] bytes(int length, String field) {
    require(length, field);
    byte[] value = payload.getBytes(position, position + length);
    position += length;
    return value;
  }

  Sha256Hash hash(String field) {
    return Sha256Hash.wrap(bytes(Sha256Hash.LENGTH, field));
  }

  /** A CompactSize value, u64 bit for bit. */
  long compactSize(String field) {
    long value = CompactSize.read(payload, position, where(field));
    position += CompactSize.encodedLength(value);
    return value;
  }

  /**
   * The CompactSize count of a list, checked before the list exists: INVALID_FIELD over {@code max},
   * TRUNCATED if {@code count * minElementBytes} exceeds the bytes that remain.
   */
  int count(String field, int max, int minElementBytes) {
    int start = position;
    int count = atMost(field + " count", max);
    if ((long) count * minElementBytes > remaining()) {
      throw new BitcoinWireException(Reason.TRUNCATED, message + " payload: " + field + " count " + count
          + " at offset " + start + " needs at least " + (long) count * minElementBytes + " bytes, " + remaining()
          + " remain");
    }
    return count;
  }

  /** Reads one element of a list; {@code field} names it with its index, as in {@code items[3]}. */
  interface ElementReader<T> {
    T read(PayloadReader in, String field);
  }

  /**
   * A CompactSize count and that many elements, each read by {@code element}. The count is checked as by
   * {@link #count} before the list is allocated.
   */
  <T> List<T> list(String field, int max, int minElementBytes, ElementReader<T> element) {
    int count = count(field, max, minElementBytes);
    List<T> elements = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      elements.add(element.read(this, field + "[" + i + "]"));
    }
    return elements;
  }

  /** A CompactSize byte length, INVALID_FIELD over {@code max}; the bytes are the caller's to read. */
  int length(String field, int max) {
    return atMost(field + " length", max);
  }

  /** A CompactSize length of at most {@code max}, then that many bytes. */
  byte[] varBytes(String field, int max) {
    return bytes(length(field, max), field);
  }

  /** A CompactSize byte length of at most {@code maxBytes}, then that many bytes of UTF-8. */
  String varString(String field, int maxBytes) {
    int start = position;
    byte[] utf8 = varBytes(field, maxBytes);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BitcoinWireException(Reason.INVALID_FIELD,
          message + " payload: " + field + " at offset " + start + " is not valid UTF-8");
    }
  }

  private int atMost(String field, int max) {
    int start = position;
    long value = compactSize(field);
    if (Long.compareUnsigned(value, max) > 0) {
      throw new BitcoinWireException(Reason.INVALID_FIELD, message + " payload: " + field + " "
          + Long.toUnsignedString(value) + " at offset " + start + " exceeds the maximum of " + max);
    }
    return (int) value;
  }

  boolean atEnd() {
    return position == payload.length();
  }

  int remaining() {
    return payload.length() - position;
  }

  /** A field read whole but refused: INVALID_FIELD naming the offset where the field started. */
  BitcoinWireException invalid(String field, int fieldOffset, String problem) {
    return new BitcoinWireException(Reason.INVALID_FIELD,
        message + " payload: " + field + " at offset " + fieldOffset + " " + problem);
  }

  int position() {
    return position;
  }

  private void requireEnd() {
    if (remaining() > 0) {
      throw new BitcoinWireException(Reason.TRAILING_BYTES,
          message + " payload: " + remaining() + " trailing bytes at offset " + position);
    }
  }

  private void require(int length, String field) {
    if (length > remaining()) {
      throw new BitcoinWireException(Reason.TRUNCATED,
          where(field) + " needs " + length + " bytes, " + remaining() + " remain");
    }
  }

  private String where(String field) {
    return message + " payload: " + field + " at offset " + position;
  }
}
