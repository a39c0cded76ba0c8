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
import java.util.Optional;

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
 * after the list are ignored.
 *
 * <p>Only EIP-8 packets are sent (ethereumjs cannot receive anything else). A responder also accepts the pre-EIP-8
 * auth, as go-ethereum did until v1.10.4 and its forks still do (Elastos ESC among them), and answers it in kind, as
 * geth's {@code receiverEncHandshake} does, since a node that sends it may read nothing else:
 *
 * <pre>
 * auth = ecies(recipient-pub, sig65 || keccak(initiator-ephemeral-pub64) || initiator-pub64 || nonce32 || 0x00)
 * ack  = ecies(initiator-pub, ephemeral-pub64 || recipient-nonce32 || 0x00)
 * </pre>
 *
 * of 307 and 210 bytes, with no size prefix and no authenticated data; the secrets' MAC states take them as sent.
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
  private static final int HASH_LENGTH = 32;
  /** A pre-EIP-8 auth's plaintext: signature, hash of the ephemeral key, static key, nonce and token flag. */
  private static final int LEGACY_AUTH_PLAIN_LENGTH = SIGNATURE_LENGTH + HASH_LENGTH + Ecdh.PUBLIC_KEY_LENGTH
      + NONCE_LENGTH + 1;
  /** A pre-EIP-8 auth on the wire: go-ethereum's {@code encAuthMsgLen}. */
  static final int LEGACY_AUTH_LENGTH = LEGACY_AUTH_PLAIN_LENGTH + Ecies.OVERHEAD;
  /** A pre-EIP-8 ack's plaintext: ephemeral key, nonce and token flag, geth's {@code authRespLen}. */
  private static final int LEGACY_ACK_PLAIN_LENGTH = Ecdh.PUBLIC_KEY_LENGTH + NONCE_LENGTH + 1;

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
     * Takes the initiator's auth packet (EIP-8 with its size prefix, or pre-EIP-8) and makes the ack, in the
     * auth's format.
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
      Optional<byte[]> legacy = legacyAuthPlaintext(staticPrivateKey, authPacket);
      if (legacy.isPresent()) {
        // geth's decodePlain takes the three fields at their offsets and skips the ephemeral key's hash and the
        // token flag unchecked; the signature proves the ephemeral key anyway.
        byte[] plain = legacy.get();
        int pubStart = SIGNATURE_LENGTH + HASH_LENGTH;
        int nonceStart = pubStart + Ecdh.PUBLIC_KEY_LENGTH;
        return accept(authPacket, Arrays.copyOf(plain, SIGNATURE_LENGTH),
            Arrays.copyOfRange(plain, pubStart, nonceStart),
            Arrays.copyOfRange(plain, nonceStart, nonceStart + NONCE_LENGTH), true);
      }
      RlpList auth = open(staticPrivateKey, authPacket);
      try {
        return accept(authPacket,
            fixedLength(auth.string(0, "auth signature").bytes(), SIGNATURE_LENGTH, "auth signature"),
            fixedLength(auth.string(1, "auth public key").bytes(), Ecdh.PUBLIC_KEY_LENGTH, "auth public key"),
            fixedLength(auth.string(2, "auth nonce").bytes(), NONCE_LENGTH, "auth nonce"), false);
      } catch (RlpException e) {
        throw new RlpxException("bad_handshake", "auth: " + e.getMessage());
      }
    }

    /** Recovers the initiator's ephemeral key and answers, pre-EIP-8 to a pre-EIP-8 auth. */
    private Accepted accept(byte[] authPacket, byte[] signature, byte[] initiatorPub, byte[] initiatorNonce,
                            boolean legacy) {
      byte[] staticShared = Ecdh.sharedX(staticPrivateKey, initiatorPub)
          .orElseThrow(() -> new RlpxException("bad_handshake", "auth public key is not a point of secp256k1"));
      BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, SCALAR_LENGTH));
      BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, SCALAR_LENGTH, 2 * SCALAR_LENGTH));
      byte[] remoteEphemeral = Secp256k1.recoverPublicKey64(xor(staticShared, initiatorNonce), r, s,
              signature[2 * SCALAR_LENGTH] & 0xFF)
          .orElseThrow(() -> new RlpxException("bad_handshake", "auth signature recovers no ephemeral key"));
      byte[] ephemeralPub = Secp256k1.publicKey64(ephemeralPrivateKey);
      byte[] ackPacket;
      if (legacy) {
        byte[] plain = Arrays.copyOf(ephemeralPub, LEGACY_ACK_PLAIN_LENGTH);
        System.arraycopy(nonce, 0, plain, Ecdh.PUBLIC_KEY_LENGTH, NONCE_LENGTH);
        // The last byte, the token flag, stays 0: no session token, as geth's sealPlain sends.
        ackPacket = Ecies.encrypt(initiatorPub, plain, new byte[0], random);
      } else {
        ackPacket = seal(RlpList.of(RlpString.of(ephemeralPub), RlpString.of(nonce), RlpString.of(VERSION)),
            initiatorPub, random);
      }
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

  /**
   * The plaintext of a pre-EIP-8 auth, if {@code packet} is one: exactly 307 bytes that decrypt without
   * authenticated data, as go-ethereum's {@code readHandshakeMsg} tries them first. Any other packet is EIP-8's or
   * nothing.
   */
  static Optional<byte[]> legacyAuthPlaintext(byte[] privateKey32, byte[] packet) {
    if (packet.length != LEGACY_AUTH_LENGTH) {
      return Optional.empty();
    }
    try {
      return Optional.of(Ecies.decrypt(privateKey32, packet, new byte[0]));
    } catch (RlpxException e) {
      return Optional.empty();
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
