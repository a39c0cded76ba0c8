package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import java.util.HexFormat;
import org.peermesh.bitcoin.wire.BitcoinWireException.Reason;

/**
 * Cuts a Bitcoin connection's byte stream into frames (see {@link BitcoinFrames}) and hands on each
 * frame's command and payload, checked against the header's checksum.
 *
 * <p>Like Core, bytes that are not the magic where a header should start are skipped up to the next
 * occurrence of the magic; they are counted, never kept (at most the 3 bytes of a magic split
 * across chunks are), and each skipped run is reported once, before the frame that ends it.
 *
 * <p>The header is checked as soon as it is complete, so a peer cannot make us keep more than
 * {@code maxPayloadSize} bytes of a payload, and an oversized length fails before any payload byte
 * arrives. A frame that lies whole in a chunk is copied straight out of it, once; only the
 * unfinished tail of a chunk is kept, and it grows with the bytes that arrive without kept bytes
 * being copied per chunk, so a frame fed one byte at a time still costs time linear in its size.
 *
 * <p>Not thread-safe: one decoder per connection, fed in stream order.
 */
public final class BitcoinFrameDecoder {

  /** Receives what the decoder finds, in stream order. */
  public interface Listener {

    /** A frame whose checksum matched; {@code payload} is a buffer of its own, sharing nothing with the chunk. */
    void frame(String command, Buffer payload);

    /**
     * {@code skippedBytes} bytes that were not a frame were skipped: reported before the next frame, and at the end
     * of a chunk, so that a stream of garbage is known for what it is without waiting for a magic that may never
     * come. A run that spans chunks is therefore reported once per chunk.
     */
    void garbage(int skippedBytes);
  }

  private static final int MAGIC_SIZE = 4;
  private static final HexFormat HEX = HexFormat.of();

  private final int magic;
  private int maxPayloadSize;
  /** What the limit is called in a refusal: the config key or rule it comes from. */
  private String limitName = "maxMessageSize";
  private final byte[] magicBytes;
  /**
   * For each prefix of the magic, the longest proper prefix that is also its suffix (the KMP
   * failure function), so a mismatch after a partial magic keeps exactly the bytes that may still
   * start one, whatever the magic's self-overlap.
   */
  private final int[] magicFallback;

  /** Bytes of the stream before the current chunk, to give errors a stream offset. */
  private long streamOffset;

  /** How many bytes of the magic the latest bytes match, while looking for a header. */
  private int magicMatched;
  /** Bytes skipped in the current run of garbage, not yet reported. */
  private int skipped;

  /** A header split across chunks (magic included); null unless one is being collected. */
  private byte[] header;
  private int headerRead;
  private long frameStart;

  /** The current frame, known once its header is read. */
  private String command;
  private int payloadLength;
  private int expectedChecksum;
  /** The current payload when it did not arrive whole in one chunk; null otherwise. */
  private Buffer partial;

  private boolean failed;

  /**
   * @param magic the network's 4 message start bytes read big-endian, as {@link
   *     org.peermesh.bitcoin.BitcoinNetwork#magic()} gives it
   * @param maxPayloadSize the largest payload length accepted, e.g. {@link BitcoinFrames#MAX_PROTOCOL_MESSAGE_LENGTH}
   */
  public BitcoinFrameDecoder(int magic, int maxPayloadSize) {
    if (maxPayloadSize < 0) {
      throw new IllegalArgumentException("maxPayloadSize must not be negative, got " + maxPayloadSize);
    }
    this.magic = magic;
    this.maxPayloadSize = maxPayloadSize;
    this.magicBytes = new byte[] {(byte) (magic >>> 24), (byte) (magic >>> 16), (byte) (magic >>> 8), (byte) magic};
    this.magicFallback = new int[MAGIC_SIZE];
    for (int i = 1, k = 0; i < MAGIC_SIZE; i++) {
      while (k > 0 && magicBytes[i] != magicBytes[k]) {
        k = magicFallback[k - 1];
      }
      if (magicBytes[i] == magicBytes[k]) {
        k++;
      }
      magicFallback[i] = k;
    }
  }

  /**
   * Consumes a chunk of the stream, calling {@code listener} with each frame it completes and each
   * garbage run, in order.
   *
   * <p>After this method throws, whether {@link BitcoinWireException} or an exception from the
   * listener, the position in the stream is lost: the decoder refuses further chunks and the
   * connection must be closed.
   *
   * @throws BitcoinWireException PAYLOAD_TOO_LARGE or BAD_COMMAND as soon as a bad header is read,
   *     BAD_CHECKSUM when a payload is complete
   * @throws IllegalStateException if an earlier call threw
   */
  public void feed(Buffer chunk, Listener listener) {
    if (failed) {
      throw new IllegalStateException("BitcoinFrameDecoder failed on an earlier chunk; the stream position is lost");
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
          verifyChecksum(payload, 0, payloadLength);
          listener.frame(command, payload);
        }
      } else if (header != null) {
        int take = Math.min(end - position, BitcoinFrames.HEADER_SIZE - headerRead);
        chunk.getBytes(position, position + take, header, headerRead);
        headerRead += take;
        position += take;
        if (headerRead == BitcoinFrames.HEADER_SIZE) {
          Buffer complete = Buffer.buffer(header);
          header = null;
          headerRead = 0;
          readHeader(complete, 0);
          position = startPayload(chunk, position, listener);
        }
      } else if (magicMatched == 0 && end - position >= BitcoinFrames.HEADER_SIZE && chunk.getInt(position) == magic) {
        frameStart = streamOffset + position;
        reportGarbage(listener);
        readHeader(chunk, position);
        position = startPayload(chunk, position + BitcoinFrames.HEADER_SIZE, listener);
      } else {
        position = seekMagic(chunk, position, listener);
      }
    }
    reportGarbage(listener);
    streamOffset += end;
    failed = false;
  }

  /** Bytes kept from frames not yet complete: a partial magic, header or payload. */
  public int bufferedBytes() {
    return magicMatched + headerRead + (partial == null ? 0 : partial.length());
  }

  /**
   * The payload length the frame being collected declared, 0 unless a payload is being collected: what it will hold
   * once whole, which a caller with a memory budget reserves before it reads on.
   */
  public int unfinishedPayloadLength() {
    return partial == null ? 0 : payloadLength;
  }

  /**
   * Sets the largest payload length accepted from the next header on, and what a refusal calls that limit: a
   * connection accepts small messages until its handshake is done, then its protocol's maximum.
   */
  public void limit(int maxPayloadSize, String limitName) {
    if (maxPayloadSize < 0) {
      throw new IllegalArgumentException("maxPayloadSize must not be negative, got " + maxPayloadSize);
    }
    this.maxPayloadSize = maxPayloadSize;
    this.limitName = limitName;
  }

  /** Takes one byte while looking for the magic; returns the next position. */
  private int seekMagic(Buffer chunk, int position, Listener listener) {
    byte next = chunk.getByte(position);
    int before = magicMatched;
    int after = before;
    while (after > 0 && magicBytes[after] != next) {
      after = magicFallback[after - 1];
    }
    after = magicBytes[after] == next ? after + 1 : 0;
    if (skipped > Integer.MAX_VALUE - MAGIC_SIZE) {
      // a run of 2 GiB: report what we have rather than overflow the count
      listener.garbage(skipped);
      skipped = 0;
    }
    skipped += before + 1 - after; // the bytes that can no longer start the magic
    if (after == MAGIC_SIZE) {
      frameStart = streamOffset + position + 1 - MAGIC_SIZE;
      magicMatched = 0;
      reportGarbage(listener);
      header = new byte[BitcoinFrames.HEADER_SIZE];
      System.arraycopy(magicBytes, 0, header, 0, MAGIC_SIZE);
      headerRead = MAGIC_SIZE;
    } else {
      magicMatched = after;
    }
    return position + 1;
  }

  private void reportGarbage(Listener listener) {
    if (skipped > 0) {
      int run = skipped;
      skipped = 0;
      listener.garbage(run);
    }
  }

  private void readHeader(Buffer buffer, int offset) {
    command = BitcoinFrames.readCommand(buffer, offset + MAGIC_SIZE);
    if (command == null) {
      throw new BitcoinWireException(Reason.BAD_COMMAND, "frame at stream offset " + frameStart + ": command bytes "
          + HEX.formatHex(buffer.getBytes(offset + MAGIC_SIZE, offset + MAGIC_SIZE + BitcoinFrames.COMMAND_SIZE))
          + " are not 1..12 printable ASCII characters followed by NULs");
    }
    long length = buffer.getUnsignedIntLE(offset + MAGIC_SIZE + BitcoinFrames.COMMAND_SIZE);
    if (length > maxPayloadSize) {
      throw new BitcoinWireException(Reason.PAYLOAD_TOO_LARGE, "frame '" + command + "' at stream offset " + frameStart
          + ": payload length " + length + " exceeds the maximum of " + maxPayloadSize + " bytes (" + limitName + ")");
    }
    payloadLength = (int) length;
    expectedChecksum = buffer.getInt(offset + MAGIC_SIZE + BitcoinFrames.COMMAND_SIZE + 4);
  }

  /** Delivers the payload if the chunk holds all of it, else starts collecting it; returns the next position. */
  private int startPayload(Buffer chunk, int position, Listener listener) {
    if (chunk.length() - position >= payloadLength) {
      verifyChecksum(chunk, position, position + payloadLength);
      listener.frame(command, chunk.getBuffer(position, position + payloadLength));
      return position + payloadLength;
    }
    // Not Buffer.buffer(payloadLength): the length is the peer's word, and reserving it up front would
    // let a 24-byte header cost us maxPayloadSize bytes. The buffer grows geometrically instead.
    partial = Buffer.buffer();
    return position;
  }

  private void verifyChecksum(Buffer source, int from, int to) {
    int checksum = Sha256Hash.hashTwice(source, from, to).firstFourBytes();
    if (checksum != expectedChecksum) {
      throw new BitcoinWireException(Reason.BAD_CHECKSUM, "frame '" + command + "' at stream offset " + frameStart
          + ": checksum " + String.format("%08x", expectedChecksum) + " in the header, "
          + String.format("%08x", checksum) + " computed over the " + (to - from) + "-byte payload");
    }
  }
}
