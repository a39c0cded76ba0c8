package org.peermesh.devp2p.discovery;

import org.bouncycastle.util.BigIntegers;
import org.peermesh.crypto.Keccak256;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpException;
import org.peermesh.devp2p.rlp.RlpList;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * discv4's datagram format: {@code hash || signature || type || rlp(data)}, where signature is a recoverable
 * secp256k1 signature (r, s, v with v the recovery id) of {@code keccak256(type || rlp(data))} and hash is
 * {@code keccak256(signature || type || rlp(data))}. The sender's node id is not sent: it is recovered from the
 * signature. A datagram is at most {@value #MAX_PACKET_SIZE} bytes.
 *
 * <p>Reading follows EIP-8: list elements beyond those known and bytes after the data list are ignored, and so is a
 * Ping's version. Everything else is checked, and every failure is a {@link Discv4Exception}.
 */
public final class Discv4Packets {

  public static final int MAX_PACKET_SIZE = 1280;
  static final int SIGNATURE_LENGTH = 65;
  static final int HEADER_LENGTH = WireFields.HASH_LENGTH + SIGNATURE_LENGTH + 1;
  private static final int SCALAR_LENGTH = 32;

  private Discv4Packets() {
  }

  /** A packet read from a datagram, the node id that signed it, and the datagram's hash (what a reply names). */
  public record Decoded(Discv4Packet packet, NodeId sender, byte[] hash) {

    public Decoded {
      Objects.requireNonNull(packet, "packet");
      Objects.requireNonNull(sender, "sender");
      WireFields.requireHash(hash, "hash");
      hash = hash.clone();
    }

    /** The datagram's first 32 bytes; a copy. */
    @Override
    public byte[] hash() {
      return hash.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Decoded decoded && packet.equals(decoded.packet) && sender.equals(decoded.sender)
          && Arrays.equals(hash, decoded.hash);
    }

    @Override
    public int hashCode() {
      return Objects.hash(packet, sender, Arrays.hashCode(hash));
    }

    @Override
    public String toString() {
      return "Decoded[packet=" + packet + ", sender=" + sender + ", hash=" + HexFormat.of().formatHex(hash) + "]";
    }
  }

  /**
   * The datagram of {@code packet} signed with {@code privateKey32}. Deterministic (RFC 6979 nonces), so the same
   * packet and key give the same bytes.
   *
   * @throws IllegalArgumentException for a key that is not a secp256k1 private key, or a Neighbors packet with more
   *     than {@link NeighborsPacket#MAX_NODES} nodes
   */
  public static byte[] encode(Discv4Packet packet, byte[] privateKey32) {
    byte[] data = Rlp.encode(packet.toRlp());
    byte[] type = {(byte) packet.type()};
    Secp256k1.RecoverableSignature signature =
        Secp256k1.signRecoverable(privateKey32, Keccak256.hash(type, data), null);
    byte[] datagram = new byte[HEADER_LENGTH + data.length];
    int at = WireFields.HASH_LENGTH;
    BigIntegers.asUnsignedByteArray(signature.r(), datagram, at, SCALAR_LENGTH);
    BigIntegers.asUnsignedByteArray(signature.s(), datagram, at + SCALAR_LENGTH, SCALAR_LENGTH);
    datagram[at + 2 * SCALAR_LENGTH] = (byte) signature.recoveryId();
    datagram[HEADER_LENGTH - 1] = type[0];
    System.arraycopy(data, 0, datagram, HEADER_LENGTH, data.length);
    byte[] hash = Keccak256.hash(Arrays.copyOfRange(datagram, WireFields.HASH_LENGTH, datagram.length));
    System.arraycopy(hash, 0, datagram, 0, WireFields.HASH_LENGTH);
    return datagram;
  }

  /**
   * Reads a datagram: checks its size and hash, recovers the sender from the signature, and reads the packet.
   * Whether it has expired is the caller's check ({@link #isExpired}), made after the sender is known.
   *
   * @throws Discv4Exception {@code too_large}, {@code truncated}, {@code bad_hash}, {@code bad_signature},
   *     {@code unknown_type} (which EIP-8 says to drop silently), {@code bad_rlp} or a field's kind
   */
  public static Decoded decode(byte[] datagram) {
    if (datagram.length > MAX_PACKET_SIZE) {
      throw new Discv4Exception("too_large", datagram.length + " bytes, above " + MAX_PACKET_SIZE);
    }
    if (datagram.length <= HEADER_LENGTH) {
      throw new Discv4Exception("truncated", datagram.length + " bytes, no packet data after the "
          + HEADER_LENGTH + "-byte header");
    }
    byte[] hash = Arrays.copyOf(datagram, WireFields.HASH_LENGTH);
    byte[] signed = Arrays.copyOfRange(datagram, WireFields.HASH_LENGTH, datagram.length);
    if (!Arrays.equals(hash, Keccak256.hash(signed))) {
      throw new Discv4Exception("bad_hash", "the hash is not keccak256 of the rest of the datagram");
    }
    byte[] typeAndData = Arrays.copyOfRange(signed, SIGNATURE_LENGTH, signed.length);
    NodeId sender = recoverSender(signed, Keccak256.hash(typeAndData));
    int type = typeAndData[0] & 0xFF;
    try {
      Rlp.Decoded decoded = Rlp.decodePrefix(datagram, HEADER_LENGTH);
      RlpList data = decoded.item().list("packet data");
      return new Decoded(packet(type, data), sender, hash);
    } catch (RlpException e) {
      throw new Discv4Exception("bad_rlp", "packet type " + type + ": " + e.kind() + ": " + e.detail(), e);
    }
  }

  /**
   * Whether a packet with {@code expiration} (seconds since the epoch) arriving at {@code nowSeconds} is to be
   * dropped: geth does so once the time has passed, which limits how long a captured packet can be replayed.
   */
  public static boolean isExpired(long expiration, long nowSeconds) {
    return expiration < nowSeconds;
  }

  private static NodeId recoverSender(byte[] signed, byte[] signedHash) {
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signed, 0, SCALAR_LENGTH));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signed, SCALAR_LENGTH, 2 * SCALAR_LENGTH));
    int recoveryId = signed[2 * SCALAR_LENGTH] & 0xFF;
    return Secp256k1.recoverPublicKey64(signedHash, r, s, recoveryId).map(NodeId::of)
        .orElseThrow(() -> new Discv4Exception("bad_signature", "no public key recovers from the signature"));
  }

  private static Discv4Packet packet(int type, RlpList data) {
    return switch (type) {
      case PingPacket.TYPE -> PingPacket.fromRlp(data);
      case PongPacket.TYPE -> PongPacket.fromRlp(data);
      case FindNodePacket.TYPE -> FindNodePacket.fromRlp(data);
      case NeighborsPacket.TYPE -> NeighborsPacket.fromRlp(data);
      case EnrRequestPacket.TYPE -> EnrRequestPacket.fromRlp(data);
      case EnrResponsePacket.TYPE -> EnrResponsePacket.fromRlp(data);
      default -> throw new Discv4Exception("unknown_type", "packet type " + type);
    };
  }
}
