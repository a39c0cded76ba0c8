package org.peermesh.antelope.wire;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.peermesh.antelope.crypto.AntelopePublicKey;
import org.peermesh.antelope.crypto.AntelopeSignature;
import org.peermesh.antelope.crypto.KeyType;

/**
 * Reads fc-packed fields from a slice of a buffer, in order: little-endian integers, LEB128 varuints, length-prefixed
 * strings and bytes, vectors, optionals, keys and signatures. Each read names its field, so a refusal says where the
 * bytes went wrong. Every length and count is checked against its cap and the bytes that remain before anything is
 * allocated for it, so a few bytes can never claim more memory than the slice itself holds. Bad bytes make every read
 * throw an {@link AntelopeWireException}, never another exception.
 */
public final class FcReader {

  /** fc's {@code MAX_NUM_ARRAY_ELEMENTS}. */
  public static final int MAX_VECTOR_ELEMENTS = 1_048_576;
  /** fc's {@code MAX_SIZE_OF_BYTE_ARRAYS}. */
  public static final int MAX_BYTES_LENGTH = 20 * 1024 * 1024;
  private static final int MAX_VARUINT32_BYTES = 5;

  private final Buffer buffer;
  private final int end;
  private int position;

  /** Reads all of {@code buffer}. */
  public FcReader(Buffer buffer) {
    this(buffer, 0, buffer.length());
  }

  /** Reads {@code buffer[from, to)}. */
  public FcReader(Buffer buffer, int from, int to) {
    if (from < 0 || to < from || to > buffer.length()) {
      throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of a " + buffer.length() + "-byte buffer");
    }
    this.buffer = buffer;
    this.position = from;
    this.end = to;
  }

  public static FcReader of(byte[] bytes) {
    return new FcReader(Buffer.buffer(bytes));
  }

  public int position() {
    return position;
  }

  public int remaining() {
    return end - position;
  }

  public int u8(String field) {
    require(1, field);
    return buffer.getUnsignedByte(position++);
  }

  public int u16(String field) {
    require(2, field);
    int value = buffer.getUnsignedShortLE(position);
    position += 2;
    return value;
  }

  public int i16(String field) {
    require(2, field);
    int value = buffer.getShortLE(position);
    position += 2;
    return value;
  }

  public long u32(String field) {
    require(4, field);
    long value = buffer.getUnsignedIntLE(position);
    position += 4;
    return value;
  }

  public long i64(String field) {
    require(8, field);
    long value = buffer.getLongLE(position);
    position += 8;
    return value;
  }

  /** A u64, bit for bit in a long. */
  public long u64(String field) {
    return i64(field);
  }

  /** fc's bool: one byte, 0 or 1 (fc refuses anything else). */
  public boolean bool(String field) {
    int start = position;
    int value = u8(field);
    if (value > 1) {
      throw new AntelopeWireException("bad_bool", field + " at offset " + start + ": " + value + " is not 0 or 1");
    }
    return value == 1;
  }

  /**
   * fc's {@code unsigned_int}: LEB128 of at most 5 bytes and 32 bits. fc itself stops after 5 bytes and drops the
   * high bits; a peer that sends either is refused rather than read differently from what it meant.
   */
  public long varuint32(String field) {
    int start = position;
    long value = 0;
    for (int i = 0; ; i++) {
      if (i == MAX_VARUINT32_BYTES) {
        throw new AntelopeWireException("varuint_too_long", field + " at offset " + start + ": a varuint32 of more "
            + "than " + MAX_VARUINT32_BYTES + " bytes");
      }
      int b = u8(field);
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        break;
      }
    }
    if (value > 0xFFFF_FFFFL) {
      throw new AntelopeWireException("varuint_too_long", field + " at offset " + start + ": varuint " + value
          + " does not fit 32 bits");
    }
    return value;
  }

  /** A varuint byte length, then that many bytes of UTF-8, at most {@code maxBytes}. */
  public String string(String field, int maxBytes) {
    int start = position;
    byte[] utf8 = bytes(field, maxBytes);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8)).toString();
    } catch (CharacterCodingException e) {
      // Refused rather than replaced, so that every string decoded re-encodes to the bytes it came from.
      throw new AntelopeWireException("bad_utf8", field + " at offset " + start + ": not UTF-8");
    }
  }

  /** fc's {@code bytes}: a varuint length of at most {@link #MAX_BYTES_LENGTH}, then that many bytes. */
  public byte[] bytes(String field) {
    return bytes(field, MAX_BYTES_LENGTH);
  }

  /** A varuint length of at most {@code maxLength}, then that many bytes; a fresh array. */
  public byte[] bytes(String field, int maxLength) {
    int start = position;
    long length = varuint32(field + " length");
    if (length > maxLength) {
      throw new AntelopeWireException("bad_length", field + " at offset " + start + ": length " + length
          + " exceeds the maximum of " + maxLength);
    }
    return fixed(field, (int) length);
  }

  /** Exactly {@code length} bytes; a fresh array. */
  public byte[] fixed(String field, int length) {
    require(length, field);
    byte[] value = buffer.getBytes(position, position + length);
    position += length;
    return value;
  }

  /** Every byte left: a body this codec passes through without reading it. */
  public byte[] rest(String field) {
    return fixed(field, remaining());
  }

  public Checksum256 checksum256(String field) {
    return Checksum256.of(fixed(field, Checksum256.LENGTH));
  }

  /** A name as its u64; {@link AntelopeName#toText} gives its text. */
  public long name(String field) {
    return u64(field);
  }

  /** A varuint key type, K1 or R1, then the 33-byte key; WebAuthn keys (a longer layout) are refused. */
  public AntelopePublicKey publicKey(String field) {
    KeyType type = keyType(field);
    return new AntelopePublicKey(type, fixed(field, AntelopePublicKey.LENGTH));
  }

  /** A varuint key type, K1 or R1, then the 65-byte signature; WebAuthn signatures are refused. */
  public AntelopeSignature signature(String field) {
    KeyType type = keyType(field);
    return new AntelopeSignature(type, fixed(field, AntelopeSignature.LENGTH));
  }

  /** fc's optional: a bool, then the value if it is 1. */
  public <T> Optional<T> optional(String field, Function<FcReader, T> value) {
    return bool(field + " present") ? Optional.of(value.apply(this)) : Optional.empty();
  }

  /**
   * A vector's varuint count, checked before the vector exists: at most {@link #MAX_VECTOR_ELEMENTS}, and no more
   * elements than the remaining bytes can hold at {@code minElementSize} bytes each.
   */
  public int count(String field, int minElementSize) {
    int start = position;
    long count = varuint32(field + " count");
    if (count > MAX_VECTOR_ELEMENTS) {
      throw new AntelopeWireException("too_many_elements", field + " at offset " + start + ": " + count
          + " elements, more than fc's " + MAX_VECTOR_ELEMENTS);
    }
    if (count * minElementSize > remaining()) {
      throw new AntelopeWireException("too_many_elements", field + " at offset " + start + ": " + count
          + " elements need at least " + count * minElementSize + " bytes, " + remaining() + " remain");
    }
    return (int) count;
  }

  /** A vector: its count (see {@link #count}), then each element read by {@code element}. */
  public <T> List<T> vector(String field, int minElementSize, Function<FcReader, T> element) {
    int count = count(field, minElementSize);
    List<T> elements = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      elements.add(element.apply(this));
    }
    return elements;
  }

  /** Refuses bytes after the last field of {@code what}. */
  public void requireEnd(String what) {
    if (position != end) {
      throw new AntelopeWireException("trailing_bytes", what + ": " + remaining() + " bytes after the last field, at "
          + "offset " + position);
    }
  }

  private KeyType keyType(String field) {
    int start = position;
    long index = varuint32(field + " type");
    if (index != KeyType.K1.index() && index != KeyType.R1.index()) {
      throw new AntelopeWireException("bad_key_type", field + " at offset " + start + ": key type " + index
          + (index == KeyType.WA.index() ? " (WebAuthn) is not supported" : " is unknown (0 K1, 1 R1, 2 WA)"));
    }
    return KeyType.ofIndex(index);
  }

  private void require(int length, String field) {
    if (length > remaining()) {
      throw new AntelopeWireException("truncated", field + " at offset " + position + ": needs " + length
          + " bytes, " + remaining() + " remain");
    }
  }
}
