package org.peermesh.antelope.wire;

import io.vertx.core.buffer.Buffer;

/**
 * Cuts an Antelope connection's byte stream into frames: a u32 little-endian length, then that many payload bytes
 * (the variant index and the fields). nodeos closes a connection whose length is 0 or over its
 * {@code max_message_size}, so both are refused from the prefix alone, before any payload byte is kept.
 *
 * <p>As {@code BitcoinFrameDecoder} does, a frame that lies whole in a chunk is sliced straight out of it, once;
 * only an unfinished frame is kept, and its buffer grows with the bytes that arrive rather than being reserved at
 * the declared length, so a 4-byte prefix cannot cost the limit in memory, and a frame fed one byte at a time still
 * costs time linear in its size.
 *
 * <p>Not thread-safe: one decoder per connection, fed in stream order.
 */
public final class AntelopeFrameDecoder {

  /** nodeos' {@code max_message_size}: 8 MiB. */
  public static final int MAX_MESSAGE_SIZE = 8 * 1024 * 1024;

  /** Receives each payload, in stream order. */
  public interface Listener {

    /** A frame's payload, a buffer of its own that shares nothing with the chunk. */
    void frame(Buffer payload);
  }

  private int maxMessageSize;
  /** What the limit is called in a refusal: the config key or rule it comes from. */
  private String limitName = "maxMessageSize";

  /** Bytes of the stream before the current chunk, to give errors a stream offset. */
  private long streamOffset;

  /** A length prefix split across chunks. */
  private final byte[] prefix = new byte[AntelopeMessages.LENGTH_PREFIX_SIZE];
  private int prefixRead;

  /** The payload length of the frame being collected. */
  private int payloadLength;
  /** The current payload when it did not arrive whole in one chunk; null otherwise. */
  private Buffer partial;

  private boolean failed;

  /** @param maxMessageSize the largest payload length accepted, e.g. {@link #MAX_MESSAGE_SIZE} */
  public AntelopeFrameDecoder(int maxMessageSize) {
    limit(maxMessageSize, limitName);
  }

  /**
   * Consumes a chunk of the stream, calling {@code listener} with each payload it completes, in order.
   *
   * <p>After this method throws, whether {@link AntelopeWireException} or an exception from the listener, the
   * position in the stream is lost: the decoder refuses further chunks and the connection must be closed.
   *
   * @throws AntelopeWireException {@code bad_length} for a length of 0, {@code message_too_large} over the limit
   * @throws IllegalStateException if an earlier call threw
   */
  public void feed(Buffer chunk, Listener listener) {
    if (failed) {
      throw new IllegalStateException("AntelopeFrameDecoder failed on an earlier chunk; the stream position is lost");
    }
    failed = true; // cleared on normal return only
    int position = 0;
    int end = chunk.length();
    while (position < end) {
      if (partial != null) {
        int take = Math.min(end - position, payloadLength - partial.length());
        partial.appendBuffer(chunk, position, take);
        position += take;
        if (partial.length() == payloadLength) {
          Buffer payload = partial;
          partial = null;
          listener.frame(payload);
        }
      } else if (prefixRead == 0 && end - position >= AntelopeMessages.LENGTH_PREFIX_SIZE) {
        readLength(chunk.getUnsignedIntLE(position), streamOffset + position);
        position = startPayload(chunk, position + AntelopeMessages.LENGTH_PREFIX_SIZE, listener);
      } else {
        int take = Math.min(end - position, AntelopeMessages.LENGTH_PREFIX_SIZE - prefixRead);
        chunk.getBytes(position, position + take, prefix, prefixRead);
        prefixRead += take;
        position += take;
        if (prefixRead == AntelopeMessages.LENGTH_PREFIX_SIZE) {
          prefixRead = 0;
          readLength(Buffer.buffer(prefix).getUnsignedIntLE(0),
              streamOffset + position - AntelopeMessages.LENGTH_PREFIX_SIZE);
          position = startPayload(chunk, position, listener);
        }
      }
    }
    streamOffset += end;
    failed = false;
  }

  /**
   * Sets the largest payload length accepted from the next frame on, and what a refusal calls that limit: a
   * connection accepts small messages until its handshake is done, then the protocol's maximum.
   */
  public void limit(int maxMessageSize, String limitName) {
    if (maxMessageSize < 1) {
      throw new IllegalArgumentException("maxMessageSize must be positive, got " + maxMessageSize);
    }
    this.maxMessageSize = maxMessageSize;
    this.limitName = limitName;
  }

  /**
   * The payload length the frame being collected declared, 0 unless a payload is being collected: what it will hold
   * once whole, which a caller with a memory budget reserves before it reads on.
   */
  public int unfinishedFrameSize() {
    return partial == null ? 0 : payloadLength;
  }

  /** Bytes kept from a frame not yet complete: part of a length prefix or of a payload. */
  public int bufferedBytes() {
    return prefixRead + (partial == null ? 0 : partial.length());
  }

  private void readLength(long length, long frameStart) {
    if (length == 0) {
      throw new AntelopeWireException("bad_length", "frame at stream offset " + frameStart + ": length 0, a frame "
          + "holds at least its variant index");
    }
    if (length > maxMessageSize) {
      throw new AntelopeWireException("message_too_large", "frame at stream offset " + frameStart + ": length "
          + length + " exceeds the maximum of " + maxMessageSize + " bytes (" + limitName + ")");
    }
    payloadLength = (int) length;
  }

  /** Delivers the payload if the chunk holds all of it, else starts collecting it; returns the next position. */
  private int startPayload(Buffer chunk, int position, Listener listener) {
    if (chunk.length() - position >= payloadLength) {
      listener.frame(chunk.getBuffer(position, position + payloadLength));
      return position + payloadLength;
    }
    partial = Buffer.buffer();
    return position;
  }
}
