package org.peermesh.antelope.wire;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.peermesh.antelope.crypto.AntelopePublicKey;
import org.peermesh.antelope.crypto.AntelopeSignature;
import org.peermesh.antelope.crypto.KeyType;

/**
 * Appends fc-packed fields to a buffer: the inverse of {@link FcReader}, read for read. Values outside a field's
 * range are refused with IllegalArgumentException rather than truncated; the messages check their ranges when they
 * are built, so encoding a message never throws.
 */
public final class FcWriter {

  private final Buffer out;

  public FcWriter(Buffer out) {
    this.out = out;
  }

  public FcWriter() {
    this(Buffer.buffer());
  }

  /** The buffer written to. */
  public Buffer buffer() {
    return out;
  }

  public FcWriter u8(int value) {
    out.appendByte((byte) FcRange.u8("u8", value));
    return this;
  }

  public FcWriter u16(int value) {
    out.appendShortLE((short) FcRange.u16("u16", value));
    return this;
  }

  public FcWriter i16(int value) {
    out.appendShortLE((short) FcRange.i16("i16", value));
    return this;
  }

  public FcWriter u32(long value) {
    out.appendIntLE((int) FcRange.u32("u32", value));
    return this;
  }

  public FcWriter i64(long value) {
    out.appendLongLE(value);
    return this;
  }

  /** A u64, bit for bit from a long. */
  public FcWriter u64(long value) {
    return i64(value);
  }

  public FcWriter bool(boolean value) {
    out.appendByte((byte) (value ? 1 : 0));
    return this;
  }

  public FcWriter varuint32(long value) {
    long rest = FcRange.u32("varuint32", value);
    while (rest >= 0x80) {
      out.appendByte((byte) (rest & 0x7F | 0x80));
      rest >>>= 7;
    }
    out.appendByte((byte) rest);
    return this;
  }

  /** A varuint byte length and the UTF-8 of {@code value}. */
  public FcWriter string(String value) {
    return bytes(value.getBytes(StandardCharsets.UTF_8));
  }

  /** A varuint length and {@code value}. */
  public FcWriter bytes(byte[] value) {
    varuint32(value.length);
    out.appendBytes(value);
    return this;
  }

  /** {@code value} as it is, without a length: fixed-size fields and pass-through bodies. */
  public FcWriter raw(byte[] value) {
    out.appendBytes(value);
    return this;
  }

  public FcWriter checksum256(Checksum256 value) {
    out.appendBytes(value.unsafeBytes());
    return this;
  }

  /** A name from its u64 ({@link AntelopeName#fromText} gives it from text). */
  public FcWriter name(long value) {
    return u64(value);
  }

  public FcWriter publicKey(AntelopePublicKey key) {
    return keyType(key.type()).raw(key.data());
  }

  public FcWriter signature(AntelopeSignature signature) {
    return keyType(signature.type()).raw(signature.data());
  }

  /** fc's optional: a bool, then the value if there is one. */
  public <T> FcWriter optional(Optional<T> value, BiConsumer<FcWriter, T> element) {
    bool(value.isPresent());
    value.ifPresent(present -> element.accept(this, present));
    return this;
  }

  /** A varuint count, then each element. */
  public <T> FcWriter vector(List<T> elements, BiConsumer<FcWriter, T> element) {
    varuint32(elements.size());
    elements.forEach(item -> element.accept(this, item));
    return this;
  }

  private FcWriter keyType(KeyType type) {
    if (type == KeyType.WA) {
      throw new IllegalArgumentException("WebAuthn keys and signatures are not supported");
    }
    return varuint32(type.index());
  }
}
