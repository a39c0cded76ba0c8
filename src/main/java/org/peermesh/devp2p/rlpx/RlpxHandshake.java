package org.peermesh.devp2p.rlpx;

import org.bouncycastle.util.BigIntegers;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpException;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The RLPx handshake of EIP-8 as a pure state machine, in the manner of Besu's Handshaker: it is handed packets
 * and answers with packets and, at the end, {@link RlpxSecrets}; reading the stream is {@link HandshakePacketReader}'s
 * job, sending the caller's.
 *
 * <pre>
 * auth = size16 || ecies(recipient-pub, rlp([sig65, initiator-pub64, initiator-nonce32, 4]) || padding, size16)
 * ack  = size16 || ecies(initiator-pub, rlp([ephemeral-pub64, recipient-nonce32, 4]) || padding, size16)
 * </pre>
 *
 * where sig is the initiator's ephemeral key signing static-shared-secret XOR initiator-nonce, from which the
 * recipient recovers that ephemeral key. Decoding follows EIP-8: the version, extra list elements and the bytes
 * after the list are ignored. Only EIP-8 packets are sent or accepted (go-ethereum dropped the pre-EIP-8 format in
 * v1.10.4, and ethereumjs cannot receive it).
 */
public final class RlpxHandshake {

  /** The auth-vsn and ack-vsn we send. */
  static final int VERSION = 4;
  static final int NONCE_LENGTH = 32;
  private static final int SIGNATURE_LENGTH = 65;
  private static final int SCALAR_LENGTH = 32;
  /** EIP-8: at least 100 bytes of padding, a random amount in [100, 300] recommended, so sizes vary. */
  private static final int MIN_PADDING = 100;
  private static final int MAX_PADDING = 300;

  private RlpxHandshake() {
  }

  /**
   * The dialing side's handshake with the node whose static key is {@code remotePub64}.
   *
   * @throws IllegalArgumentException for an invalid private key, or a remote key that is not a point of the curve
   */
  public static Initiator initiator(byte[] staticPrivateKey32, byte[] remotePub64, SecureRandom random) {
    return new Initiator(staticPrivateKey32, remotePub64, random, Ecies.randomPrivateKey(random), nonce(random));
  }

  /** {@link #initiator(byte[], byte[], SecureRandom)} with the ephemeral key and nonce given, for test vectors. */
  static Initiator initiator(byte[] staticPrivateKey32, byte[] remotePub64, SecureRandom random,
                             byte[] ephemeralPrivateKey32, byte[] nonce) {
    return new Initiator(staticPrivateKey32, remotePub64, random, ephemeralPrivateKey32, nonce);
  }

  /**
   * The listening side's handshake.
   *
   * @throws IllegalArgumentException for an invalid private key
   */
  public static Responder responder(byte[] staticPrivateKey32, SecureRandom random) {
    return new Responder(staticPrivateKey32, random, Ecies.randomPrivateKey(random), nonce(random));
  }

  /** {@link #responder(byte[], SecureRandom)} with the ephemeral key and nonce given, for test vectors. */
  static Responder responder(byte[] staticPrivateKey32, SecureRandom random, byte[] ephemeralPrivateKey32,
                             byte[] nonce) {
    return new Responder(staticPrivateKey32, random, ephemeralPrivateKey32, nonce);
  }

  /** The initiator: sends auth, takes ack. */
  public static final class Initiator {

    private final byte[] staticPrivateKey;
    private final byte[] remotePub64;
    private final byte[] ephemeralPrivateKey;
    private final byte[] nonce;
    private final byte[] authPacket;
    private boolean done;

    private Initiator(byte[] staticPrivateKey32, byte[] remotePub64, SecureRandom random,
                      byte[] ephemeralPrivateKey32, byte[] nonce) {
      Ecdh.requirePrivateKey(staticPrivateKey32);
      Ecdh.requirePrivateKey(ephemeralPrivateKey32);
      this.staticPrivateKey = staticPrivateKey32.clone();
      this.remotePub64 = remotePub64.clone();
      this.ephemeralPrivateKey = ephemeralPrivateKey32.clone();
      this.nonce = requireNonce(nonce).clone();
      byte[] staticShared = Ecdh.sharedX(staticPrivateKey, this.remotePub64)
          .orElseThrow(() -> new IllegalArgumentException("the remote public key is not a point of secp256k1"));
      Secp256k1.RecoverableSignature signature =
          Secp256k1.signRecoverable(ephemeralPrivateKey, xor(staticShared, this.nonce), null);
      RlpList body = RlpList.of(RlpString.of(signatureBytes(signature)),
          RlpString.of(Secp256k1.publicKey64(staticPrivateKey)), RlpString.of(this.nonce), RlpString.of(VERSION));
      this.authPacket = seal(body, this.remotePub64, random);
    }

    /** The auth packet to send first, size prefix included. */
    public byte[] firstMessage() {
      return authPacket.clone();
    }

    /**
     * Takes the recipient's ack packet (size prefix included, e.g. from {@link HandshakePacketReader}).
     *
     * @throws RlpxException {@code too_large}, {@code bad_size}, {@code bad_ecies} or {@code bad_handshake}
     * @throws IllegalStateException if an ack was already taken
     */
    public RlpxSecrets onAck(byte[] ackPacket) {
      if (done) {
        throw new IllegalStateException("the handshake already took an ack");
      }
      done = true;
      RlpList ack = open(staticPrivateKey, ackPacket);
      try {
        byte[] remoteEphemeral = fixedLength(ack.string(0, "ack ephemeral key").bytes(), Ecdh.PUBLIC_KEY_LENGTH,
            "ack ephemeral key");
        byte[] remoteNonce = fixedLength(ack.string(1, "ack nonce").bytes(), NONCE_LENGTH, "ack nonce");
        return RlpxSecrets.initiator(ephemeralPrivateKey, remoteEphemeral, nonce, remoteNonce, authPacket,
            ackPacket.clone(), remotePub64);
      } catch (RlpException e) {
        throw new RlpxException("bad_handshake", "ack: " + e.getMessage());
      }
    }
  }

  /** The recipient: takes auth, answers with ack. */
  public static final class Responder {

    private final byte[] staticPrivateKey;
    private final SecureRandom random;
    private final byte[] ephemeralPrivateKey;
    private final byte[] nonce;
    private boolean done;

    private Responder(byte[] staticPrivateKey32, SecureRandom random, byte[] ephemeralPrivateKey32, byte[] nonce) {
      Ecdh.requirePrivateKey(staticPrivateKey32);
      Ecdh.requirePrivateKey(ephemeralPrivateKey32);
      this.staticPrivateKey = staticPrivateKey32.clone();
      this.random = random;
      this.ephemeralPrivateKey = ephemeralPrivateKey32.clone();
      this.nonce = requireNonce(nonce).clone();
    }

    /**
     * Takes the initiator's auth packet (size prefix included) and makes the ack.
     *
     * @throws RlpxException {@code too_large}, {@code bad_size}, {@code bad_ecies} or {@code bad_handshake} (a
     *     field of the wrong length, an initiator key off the curve, a signature that recovers no key)
     * @throws IllegalStateException if an auth was already taken
     */
    public Accepted onAuth(byte[] authPacket) {
      if (done) {
        throw new IllegalStateException("the handshake already took an auth");
      }
      done = true;
      RlpList auth = open(staticPrivateKey, authPacket);
      byte[] signature;
      byte[] initiatorPub;
      byte[] initiatorNonce;
      try {
        signature = fixedLength(auth.string(0, "auth signature").bytes(), SIGNATURE_LENGTH, "auth signature");
        initiatorPub = fixedLength(auth.string(1, "auth public key").bytes(), Ecdh.PUBLIC_KEY_LENGTH,
            "auth public key");
        initiatorNonce = fixedLength(auth.string(2, "auth nonce").bytes(), NONCE_LENGTH, "auth nonce");
      } catch (RlpException e) {
        throw new RlpxException("bad_handshake", "auth: " + e.getMessage());
      }
      byte[] staticShared = Ecdh.sharedX(staticPrivateKey, initiatorPub)
          .orElseThrow(() -> new RlpxException("bad_handshake", "auth public key is not a point of secp256k1"));
      BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, SCALAR_LENGTH));
      BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, SCALAR_LENGTH, 2 * SCALAR_LENGTH));
      byte[] remoteEphemeral = Secp256k1.recoverPublicKey64(xor(staticShared, initiatorNonce), r, s,
              signature[2 * SCALAR_LENGTH] & 0xFF)
          .orElseThrow(() -> new RlpxException("bad_handshake", "auth signature recovers no ephemeral key"));
      RlpList ack = RlpList.of(RlpString.of(Secp256k1.publicKey64(ephemeralPrivateKey)), RlpString.of(nonce),
          RlpString.of(VERSION));
      byte[] ackPacket = seal(ack, initiatorPub, random);
      RlpxSecrets secrets = RlpxSecrets.recipient(ephemeralPrivateKey, remoteEphemeral, initiatorNonce, nonce,
          authPacket.clone(), ackPacket, initiatorPub);
      return new Accepted(ackPacket, secrets);
    }
  }

  /** What the recipient ends with: the ack packet to send, and the session's secrets. */
  public static final class Accepted {

    private final byte[] ackPacket;
    private final RlpxSecrets secrets;

    private Accepted(byte[] ackPacket, RlpxSecrets secrets) {
      this.ackPacket = ackPacket.clone();
      this.secrets = secrets;
    }

    /** The ack packet, size prefix included. */
    public byte[] ackPacket() {
      return ackPacket.clone();
    }

    public RlpxSecrets secrets() {
      return secrets;
    }
  }

  /** {@code size16 || ecies(remotePub, rlp(body) || padding, size16)}. */
  private static byte[] seal(RlpList body, byte[] remotePub64, SecureRandom random) {
    byte[] encoded = Rlp.encode(body);
    byte[] padded = Arrays.copyOf(encoded, encoded.length + MIN_PADDING + random.nextInt(MAX_PADDING - MIN_PADDING + 1));
    int size = padded.length + Ecies.OVERHEAD;
    byte[] prefix = {(byte) (size >>> 8), (byte) size};
    byte[] ciphertext = Ecies.encrypt(remotePub64, padded, prefix, random);
    byte[] packet = Arrays.copyOf(prefix, HandshakePacketReader.PREFIX_LENGTH + ciphertext.length);
    System.arraycopy(ciphertext, 0, packet, HandshakePacketReader.PREFIX_LENGTH, ciphertext.length);
    return packet;
  }

  /** The RLP list at the front of the packet's plaintext; what follows it (padding, newer fields) is ignored. */
  private static RlpList open(byte[] privateKey32, byte[] packet) {
    if (packet.length < HandshakePacketReader.PREFIX_LENGTH) {
      throw new RlpxException("bad_size", "handshake packet of " + packet.length + " bytes has no size prefix");
    }
    int size = HandshakePacketReader.size(packet);
    if (packet.length != HandshakePacketReader.PREFIX_LENGTH + size) {
      throw new RlpxException("bad_size",
          "handshake packet of " + packet.length + " bytes, its prefix says " + size + " after the prefix");
    }
    byte[] plaintext = Ecies.decrypt(privateKey32,
        Arrays.copyOfRange(packet, HandshakePacketReader.PREFIX_LENGTH, packet.length),
        Arrays.copyOf(packet, HandshakePacketReader.PREFIX_LENGTH));
    try {
      return Rlp.decodePrefix(plaintext, 0).item().list("handshake body");
    } catch (RlpException e) {
      throw new RlpxException("bad_handshake", e.getMessage());
    }
  }

  private static byte[] fixedLength(byte[] value, int length, String field) {
    if (value.length != length) {
      throw new RlpxException("bad_handshake", field + " of " + value.length + " bytes, not " + length);
    }
    return value;
  }

  private static byte[] signatureBytes(Secp256k1.RecoverableSignature signature) {
    byte[] out = new byte[SIGNATURE_LENGTH];
    BigIntegers.asUnsignedByteArray(signature.r(), out, 0, SCALAR_LENGTH);
    BigIntegers.asUnsignedByteArray(signature.s(), out, SCALAR_LENGTH, SCALAR_LENGTH);
    out[2 * SCALAR_LENGTH] = (byte) signature.recoveryId();
    return out;
  }

  private static byte[] xor(byte[] a, byte[] b) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (a[i] ^ b[i]);
    }
    return out;
  }

  private static byte[] nonce(SecureRandom random) {
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    return nonce;
  }

  private static byte[] requireNonce(byte[] nonce) {
    if (nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException("a handshake nonce is " + NONCE_LENGTH + " bytes");
    }
    return nonce;
  }
}
