package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;
import org.peermesh.mesh.wire.WireFormatException.Reason;

import java.util.function.Consumer;

/**
 * Cuts a connection's byte stream into frames ({@code length:u32 | type:u8 | body}) and hands on
 * each frame's type byte and body, without the length prefix.
 *
 * <p>The length prefix is checked before anything of the body is kept, so a peer cannot make us
 * keep more than {@code maxFrameSize} bytes of a frame. A frame that lies whole in a chunk is
 * copied straight out of it; only the unfinished tail of a chunk is kept. An unfinished frame grows
 * with the bytes that arrive and already kept bytes are never copied per chunk, so a frame fed one
 * byte at a time still costs time linear in its size.
 *
 * <p>Not thread-safe: one decoder per connection, fed in stream order.
 */
public final class FrameDecoder {

  public static final int LENGTH_PREFIX_BYTES = 4;

  private int maxFrameSize;
  /** What the limit is called in a refusal: the config key or rule it comes from. */
  private String limitName = "maxMessageSize";

  /** How many bytes of a length prefix split across chunks have arrived, and their value so far. */
  private int prefixRead;
  private long prefix;

  /** The frame whose length is known but whose bytes have not all arrived; null between frames. */
  private Buffer partial;
  private int partialLength;

  private boolean failed;

  /** @param maxFrameSize the largest length prefix accepted, counting the type byte and the body */
  public FrameDecoder(int maxFrameSize) {
    if (maxFrameSize < 1) {
      throw new IllegalArgumentException("maxFrameSize must be at least 1 (the type byte), got " + maxFrameSize);
    }
    this.maxFrameSize = maxFrameSize;
  }

  /**
   * Consumes a chunk of the stream, calling {@code frameHandler} with each frame it completes, in
   * order. Each frame is a buffer of its own, sharing nothing with {@code chunk}, so a handler may
   * keep it while the chunk is reused, and a kept small frame does not pin a large chunk.
   *
   * <p>After this method throws, whether {@link WireFormatException} or an exception from the
   * handler, the position in the stream is lost: the decoder refuses further chunks and the
   * connection must be closed.
   *
   * @throws WireFormatException FRAME_TOO_LARGE or EMPTY_FRAME as soon as a bad length prefix is read
   * @throws IllegalStateException if an earlier call threw
   */
  public void feed(Buffer chunk, Consumer<Buffer> frameHandler) {
    if (failed) {
      throw new IllegalStateException("FrameDecoder failed on an earlier chunk; the stream position is lost");
    }
    failed = true; // cleared on normal return only
    int position = 0;
    int end = chunk.length();
    while (position < end) {
      if (partial != null) {
        int take = Math.min(end - position, partialLength - partial.length());
        partial.appendBuffer(chunk, position, take);
        position += take;
        if (partial.length() == partialLength) {
          Buffer frame = partial;
          partial = null;
          frameHandler.accept(frame);
        }
      } else if (prefixRead == 0 && end - position >= LENGTH_PREFIX_BYTES) {
        int length = checkLength(chunk.getUnsignedInt(position));
        position += LENGTH_PREFIX_BYTES;
        if (end - position >= length) {
          frameHandler.accept(chunk.getBuffer(position, position + length));
          position += length;
        } else {
          startPartial(length);
        }
      } else {
        prefix = prefix << 8 | chunk.getUnsignedByte(position++);
        if (++prefixRead == LENGTH_PREFIX_BYTES) {
          int length = checkLength(prefix);
          prefixRead = 0;
          prefix = 0;
          startPartial(length);
        }
      }
    }
    failed = false;
  }

  /** Bytes kept from frames not yet complete. */
  public int bufferedBytes() {
    return prefixRead + (partial == null ? 0 : partial.length());
  }

  /**
   * The length the frame being collected declared, 0 between frames: what it will hold once whole, which a caller
   * with a memory budget reserves before it reads on.
   */
  public int unfinishedFrameLength() {
    return partial == null ? 0 : partialLength;
  }

  /**
   * Sets the largest length prefix accepted from the next one on, and what a refusal calls that limit: a connection
   * accepts small frames until its peer has proven itself, then its protocol's maximum.
   */
  public void limit(int maxFrameSize, String limitName) {
    if (maxFrameSize < 1) {
      throw new IllegalArgumentException("maxFrameSize must be at least 1 (the type byte), got " + maxFrameSize);
    }
    this.maxFrameSize = maxFrameSize;
    this.limitName = limitName;
  }

  private int checkLength(long length) {
    if (length == 0) {
      throw new WireFormatException(Reason.EMPTY_FRAME, "frame length 0: a frame has at least a type byte");
    }
    if (length > maxFrameSize) {
      throw new WireFormatException(Reason.FRAME_TOO_LARGE,
          "frame length " + length + " exceeds the maximum of " + maxFrameSize + " bytes (" + limitName + ")");
    }
    return (int) length;
  }

  private void startPartial(int length) {
    // Not Buffer.buffer(length): the length is the peer's word, and reserving it up front would let a
    // 4-byte prefix cost us maxFrameSize bytes. The buffer grows geometrically instead.
    partial = Buffer.buffer();
    partialLength = length;
  }
}
