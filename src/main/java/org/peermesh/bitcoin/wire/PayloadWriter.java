package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Appends payload fields in Bitcoin's serialization, the mirror of {@link PayloadReader}. */
final class PayloadWriter {

  private final Buffer out;

  PayloadWriter() {
    this.out = Buffer.buffer();
  }

  PayloadWriter(int expectedLength) {
    this.out = Buffer.buffer(expectedLength);
  }

  PayloadWriter u8(int value) {
    out.appendByte((byte) value);
    return this;
  }

  PayloadWriter bool(boolean value) {
    return u8(value ? 1 : 0);
  }

  PayloadWriter int32(int value) {
    out.appendIntLE(value);
    return this;
  }

  PayloadWriter u32(long value) {
    out.appendUnsignedIntLE(value);
    return this;
  }

  PayloadWriter int64(long value) {
    out.appendLongLE(value);
    return this;
  }

  PayloadWriter u16BigEndian(int value) {
    out.appendUnsignedShort(value);
    return this;
  }

  PayloadWriter bytes(byte[] value) {
    out.appendBytes(value);
    return this;
  }

  PayloadWriter hash(Sha256Hash hash) {
    hash.writeTo(this);
    return this;
  }

  PayloadWriter compactSize(long value) {
    CompactSize.write(out, value);
    return this;
  }

  /** Writes one element of a list; an element's own {@code writeTo(PayloadWriter)} fits. */
  interface ElementWriter<T> {
    void write(T element, PayloadWriter out);
  }

  /** A CompactSize count, then each element written by {@code element}: the mirror of {@link PayloadReader#list}. */
  <T> PayloadWriter list(List<T> elements, ElementWriter<? super T> element) {
    compactSize(elements.size());
    elements.forEach(item -> element.write(item, this));
    return this;
  }

  /** A CompactSize length, then the bytes. */
  PayloadWriter varBytes(byte[] value) {
    return compactSize(value.length).bytes(value);
  }

  /** A CompactSize byte length, then the UTF-8 bytes. */
  PayloadWriter varString(String value) {
    return varBytes(value.getBytes(StandardCharsets.UTF_8));
  }

  Buffer buffer() {
    return out;
  }
}
