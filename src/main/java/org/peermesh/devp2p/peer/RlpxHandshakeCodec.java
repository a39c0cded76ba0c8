package org.peermesh.devp2p.peer;

import io.vertx.core.buffer.Buffer;
import org.peermesh.devp2p.rlpx.HandshakePacketReader;
import org.peermesh.devp2p.rlpx.RlpxException;
import org.peermesh.peer.FrameCodec;

import java.util.Arrays;
import java.util.Optional;

/**
 * The framing of an RLPx connection before its keys exist: one handshake packet each way (auth from the
 * dialer, ack from the dialed), size-prefixed. It reads exactly one packet and keeps whatever follows it untouched,
 * since those bytes are the peer's first frames (a Hello behind its ack), for {@link RlpxSessionCodec} to read with
 * the keys the packet yields.
 *
 * <p>A connection we accept reads an auth, which may also be pre-EIP-8 ({@link #forAuth}); every other reads EIP-8
 * packets only. The layer makes a codec before anyone knows the connection's direction, so the one it makes is the
 * latter, and {@link Devp2pHandshaker} puts the former in its place before an accepted connection's first byte.
 *
 * <p>Nothing but a handshake packet can be written before the keys exist: a frame given to {@link #encode} (the
 * Disconnect of a node that refuses a peer before its handshake is done) is dropped, and the connection closes
 * without last words, as go-ethereum's does.
 */
final class RlpxHandshakeCodec implements FrameCodec<RlpxMessage> {

  private final HandshakePacketReader reader;
  /** The bytes after the packet; null until the packet is whole. */
  private byte[] remainder;

  /** A codec that reads one EIP-8 packet: what the layer starts every connection with. */
  RlpxHandshakeCodec() {
    this(new HandshakePacketReader());
  }

  private RlpxHandshakeCodec(HandshakePacketReader reader) {
    this.reader = reader;
  }

  /** The codec of a connection we accepted: its auth may also be pre-EIP-8, encrypted to {@code privateKey}. */
  static RlpxHandshakeCodec forAuth(byte[] privateKey) {
    return new RlpxHandshakeCodec(HandshakePacketReader.forAuth(privateKey));
  }

  @Override
  public void decode(Buffer chunk, Sink<RlpxMessage> sink) {
    byte[] bytes = chunk.getBytes();
    if (remainder != null) {
      // Read in the same turn as the packet, before the handshake took the keys from it.
      remainder = concat(remainder, bytes);
      return;
    }
    Optional<byte[]> packet;
    try {
      packet = reader.feed(bytes);
    } catch (RlpxException e) {
      throw Devp2pRefusals.malformed(e);
    }
    if (packet.isPresent()) {
      remainder = reader.remainder();
      // The packet as it travels, its size prefix included.
      sink.message(new RlpxMessage.HandshakePacket(packet.get()), Buffer.buffer(packet.get()), packet.get().length);
    }
  }

  /** The bytes that followed the handshake packet: the first frames, to be read with the keys. */
  byte[] remainder() {
    return remainder == null ? new byte[0] : remainder.clone();
  }

  /** The packet's limit is RLPx's own, {@link HandshakePacketReader#MAX_SIZE}, below any the layer sets. */
  @Override
  public void limitMessageSize(int maxMessageSize, String limitName) {
  }

  /** A packet is at most 2 KiB: nothing for the memory budget to reserve. */
  @Override
  public int unfinishedFrameSize() {
    return 0;
  }

  @Override
  public void encode(RlpxMessage message, Buffer out) {
    if (message instanceof RlpxMessage.HandshakePacket packet) {
      out.appendBytes(packet.bytes());
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
