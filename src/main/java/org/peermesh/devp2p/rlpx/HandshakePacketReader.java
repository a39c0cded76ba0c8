package org.peermesh.devp2p.rlpx;

import java.util.Arrays;
import java.util.Optional;

/**
 * Collects one handshake packet (auth or ack) from a byte stream in whatever chunks it arrives: an EIP-8 packet (a
 * 16-bit big-endian size, then that many bytes), or, for a responder reading an auth ({@link #forAuth}), also a
 * pre-EIP-8 auth of exactly {@link RlpxHandshake#LEGACY_AUTH_LENGTH} bytes. The bytes after the packet in the same
 * chunk are the peer's first frames (a peer may send its Hello right behind the ack), so they are kept untouched for
 * the frame codec.
 *
 * <p>The size is checked as soon as its two bytes are in, before the body is collected: go-ethereum refuses a size
 * over 2048, and a size below the ECIES overhead cannot hold a message.
 *
 * <p>A pre-EIP-8 auth has no size: go-ethereum's responder ({@code readHandshakeMsg}) reads 307 bytes, keeps them as
 * the packet if they decrypt as a plain auth, and otherwise reads their first two as an EIP-8 size. We decide the
 * same way with one shortcut: a plain auth is ECIES, whose first byte is 0x04 (an uncompressed point, the only form
 * geth's decryption takes), so a packet starting with any other byte is EIP-8 at once and its size checked from its
 * prefix as before. One starting with 0x04 has an EIP-8 size of 1024 to 1279: within the bounds, and longer than 307
 * bytes, so collecting 307 bytes first neither allocates past a bound nor reads into the frames behind an EIP-8 auth.
 */
public final class HandshakePacketReader {

  /** go-ethereum's cap on a handshake message's size field (baseProtocolMaxMsgSize). */
  public static final int MAX_SIZE = 2048;
  static final int PREFIX_LENGTH = 2;
  /** The first byte of every ECIES ciphertext, so of every pre-EIP-8 packet: R as an uncompressed point. */
  private static final byte UNCOMPRESSED_POINT = 0x04;

  /** The responder's static key, to try a pre-EIP-8 auth with; null for an EIP-8 reader. */
  private final byte[] legacyKey;
  /** Whether the bytes so far may still be a pre-EIP-8 auth: until the first byte is not 0x04, or 307 are in. */
  private boolean mayBeLegacy;
  private byte[] received = new byte[0];
  private byte[] packet;
  private byte[] remainder;

  /** A reader of EIP-8 packets only: the initiator's, for the ack (we never send a pre-EIP-8 auth). */
  public HandshakePacketReader() {
    this.legacyKey = null;
  }

  private HandshakePacketReader(byte[] staticPrivateKey32) {
    this.legacyKey = staticPrivateKey32.clone();
    this.mayBeLegacy = true;
  }

  /**
   * A responder's reader of the auth, which also takes a pre-EIP-8 auth as go-ethereum's responder does; {@link
   * RlpxHandshake.Responder#onAuth} answers either.
   *
   * @param staticPrivateKey32 the responder's static key, which a pre-EIP-8 auth is encrypted to
   */
  public static HandshakePacketReader forAuth(byte[] staticPrivateKey32) {
    return new HandshakePacketReader(staticPrivateKey32);
  }

  /**
   * Takes the next chunk of the stream.
   *
   * @return the whole packet, size prefix included where it has one, once it is complete; empty until then
   * @throws RlpxException {@code too_large} or {@code bad_size} for a size outside the bounds
   * @throws IllegalStateException if the packet was already complete: later bytes are frames
   */
  public Optional<byte[]> feed(byte[] chunk) {
    if (packet != null) {
      throw new IllegalStateException("the handshake packet is complete; later bytes belong to the frame codec");
    }
    return mayBeLegacy ? feedUndecided(chunk) : feedEip8(chunk);
  }

  /** Collects up to 307 bytes, then keeps them as a pre-EIP-8 auth or reads them again as EIP-8. */
  private Optional<byte[]> feedUndecided(byte[] chunk) {
    int take = Math.min(chunk.length, RlpxHandshake.LEGACY_AUTH_LENGTH - received.length);
    received = concat(received, Arrays.copyOf(chunk, take));
    byte[] rest = Arrays.copyOfRange(chunk, take, chunk.length);
    if (received.length > 0 && received[0] != UNCOMPRESSED_POINT) {
      return eip8After(rest);
    }
    if (received.length < RlpxHandshake.LEGACY_AUTH_LENGTH) {
      return Optional.empty();
    }
    if (RlpxHandshake.legacyAuthPlaintext(legacyKey, received).isPresent()) {
      mayBeLegacy = false;
      packet = received;
      remainder = rest;
      return Optional.of(packet.clone());
    }
    return eip8After(rest);
  }

  /** The bytes collected so far and {@code rest}, read as the start of an EIP-8 packet. */
  private Optional<byte[]> eip8After(byte[] rest) {
    mayBeLegacy = false;
    byte[] collected = received;
    received = new byte[0];
    return feedEip8(concat(collected, rest));
  }

  private Optional<byte[]> feedEip8(byte[] chunk) {
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

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
