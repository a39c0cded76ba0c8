package org.peermesh.devp2p.rlpx;

import java.util.Arrays;
import java.util.Optional;

/**
 * Collects one EIP-8 handshake packet (auth or ack: a 16-bit big-endian size, then that many bytes) from a byte
 * stream in whatever chunks it arrives. The bytes after the packet in the same chunk are the peer's first frames
 * (a peer may send its Hello right behind the ack), so they are kept untouched for the frame codec.
 *
 * <p>The size is checked as soon as its two bytes are in, before the body is collected: go-ethereum refuses a size
 * over 2048, and a size below the ECIES overhead cannot hold a message.
 */
public final class HandshakePacketReader {

  /** go-ethereum's cap on a handshake message's size field (baseProtocolMaxMsgSize). */
  public static final int MAX_SIZE = 2048;
  static final int PREFIX_LENGTH = 2;

  private byte[] received = new byte[0];
  private byte[] packet;
  private byte[] remainder;

  /**
   * Takes the next chunk of the stream.
   *
   * @return the whole packet, size prefix included, once it is complete; empty until then
   * @throws RlpxException {@code too_large} or {@code bad_size} for a size outside the bounds
   * @throws IllegalStateException if the packet was already complete: later bytes are frames
   */
  public Optional<byte[]> feed(byte[] chunk) {
    if (packet != null) {
      throw new IllegalStateException("the handshake packet is complete; later bytes belong to the frame codec");
    }
    int position = 0;
    while (packet == null && position < chunk.length) {
      int want = received.length < PREFIX_LENGTH ? PREFIX_LENGTH : PREFIX_LENGTH + size(received);
      int take = Math.min(chunk.length - position, want - received.length);
      int have = received.length;
      received = Arrays.copyOf(received, have + take);
      System.arraycopy(chunk, position, received, have, take);
      position += take;
      if (received.length >= PREFIX_LENGTH && received.length == PREFIX_LENGTH + size(received)) {
        packet = received;
        remainder = Arrays.copyOfRange(chunk, position, chunk.length);
      }
    }
    return packet == null ? Optional.empty() : Optional.of(packet.clone());
  }

  /** The bytes that followed the packet in the chunks fed: the first frames. Empty until the packet is complete. */
  public byte[] remainder() {
    return remainder == null ? new byte[0] : remainder.clone();
  }

  /**
   * The size field of a packet, checked.
   *
   * @throws RlpxException {@code too_large} over {@link #MAX_SIZE}, {@code bad_size} below the ECIES overhead
   */
  static int size(byte[] packet) {
    int size = (packet[0] & 0xFF) << 8 | packet[1] & 0xFF;
    if (size > MAX_SIZE) {
      throw new RlpxException("too_large", "handshake packet of " + size + " bytes, over " + MAX_SIZE);
    }
    if (size < Ecies.OVERHEAD) {
      throw new RlpxException("bad_size",
          "handshake packet of " + size + " bytes, shorter than the ECIES overhead of " + Ecies.OVERHEAD);
    }
    return size;
  }
}
