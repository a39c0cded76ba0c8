package org.peermesh.devp2p.rlpx;

import org.peermesh.crypto.Keccak256;

/**
 * What an RLPx handshake agrees on (ethereum/devp2p rlpx.md, "Secrets"): the AES and MAC secrets of the frame
 * layer, the two running keccak states of the frame MACs, and the remote node's static public key. Immutable: the
 * MAC states are copied in and out, so a codec built from these secrets starts from the handshake's states however
 * often it is built.
 */
public final class RlpxSecrets {

  private static final int NONCE_LENGTH = 32;

  private final byte[] aesSecret;
  private final byte[] macSecret;
  private final Keccak256.Running egressMac;
  private final Keccak256.Running ingressMac;
  private final byte[] remotePublicKey64;

  private RlpxSecrets(byte[] aesSecret, byte[] macSecret, Keccak256.Running egressMac, Keccak256.Running ingressMac,
                      byte[] remotePublicKey64) {
    this.aesSecret = aesSecret;
    this.macSecret = macSecret;
    this.egressMac = egressMac;
    this.ingressMac = ingressMac;
    this.remotePublicKey64 = remotePublicKey64.clone();
  }

  /**
   * The initiator's secrets: its egress MAC starts from {@code mac XOR recipientNonce || authPacket}, its ingress MAC
   * from {@code mac XOR initiatorNonce || ackPacket}. Packets are the bytes on the wire, size prefix included.
   *
   * @throws RlpxException {@code bad_handshake} if {@code remoteEphemeralPub64} is not a point of the curve
   */
  static RlpxSecrets initiator(byte[] ephemeralPrivateKey32, byte[] remoteEphemeralPub64, byte[] initiatorNonce,
                               byte[] recipientNonce, byte[] authPacket, byte[] ackPacket, byte[] remotePub64) {
    Shared shared = Shared.of(ephemeralPrivateKey32, remoteEphemeralPub64, initiatorNonce, recipientNonce);
    return new RlpxSecrets(shared.aes, shared.mac, shared.macState(recipientNonce, authPacket),
        shared.macState(initiatorNonce, ackPacket), remotePub64);
  }

  /** The recipient's secrets: the initiator's with egress and ingress swapped. */
  static RlpxSecrets recipient(byte[] ephemeralPrivateKey32, byte[] remoteEphemeralPub64, byte[] initiatorNonce,
                               byte[] recipientNonce, byte[] authPacket, byte[] ackPacket, byte[] remotePub64) {
    Shared shared = Shared.of(ephemeralPrivateKey32, remoteEphemeralPub64, initiatorNonce, recipientNonce);
    return new RlpxSecrets(shared.aes, shared.mac, shared.macState(initiatorNonce, ackPacket),
        shared.macState(recipientNonce, authPacket), remotePub64);
  }

  /** The frame cipher's key: AES-256-CTR with a zero IV, one stream per direction. */
  public byte[] aesSecret() {
    return aesSecret.clone();
  }

  /** The key of the AES-256-ECB step of the frame MACs. */
  public byte[] macSecret() {
    return macSecret.clone();
  }

  /** A copy of the keccak state that MACs what we send. */
  public Keccak256.Running egressMac() {
    return egressMac.copy();
  }

  /** A copy of the keccak state that MACs what we receive. */
  public Keccak256.Running ingressMac() {
    return ingressMac.copy();
  }

  /** The remote node's static public key, X || Y: its identity, known to an initiator, learnt by a recipient. */
  public byte[] remotePublicKey64() {
    return remotePublicKey64.clone();
  }

  /** ecdhe-secret, aes-secret and mac-secret, the same on both sides. */
  private static final class Shared {

    private final byte[] aes;
    private final byte[] mac;

    private Shared(byte[] aes, byte[] mac) {
      this.aes = aes;
      this.mac = mac;
    }

    static Shared of(byte[] ephemeralPrivateKey32, byte[] remoteEphemeralPub64, byte[] initiatorNonce,
                     byte[] recipientNonce) {
      byte[] ephemeralShared = Ecdh.sharedX(ephemeralPrivateKey32, remoteEphemeralPub64)
          .orElseThrow(() -> new RlpxException("bad_handshake", "remote ephemeral key is not a point of secp256k1"));
      byte[] sharedSecret = Keccak256.hash(ephemeralShared, Keccak256.hash(recipientNonce, initiatorNonce));
      byte[] aes = Keccak256.hash(ephemeralShared, sharedSecret);
      return new Shared(aes, Keccak256.hash(ephemeralShared, aes));
    }

    Keccak256.Running macState(byte[] nonce, byte[] packet) {
      byte[] seed = new byte[NONCE_LENGTH];
      for (int i = 0; i < NONCE_LENGTH; i++) {
        seed[i] = (byte) (mac[i] ^ nonce[i]);
      }
      Keccak256.Running state = new Keccak256.Running();
      state.update(seed);
      state.update(packet);
      return state;
    }
  }
}
