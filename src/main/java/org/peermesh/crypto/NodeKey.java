package org.peermesh.crypto;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A node's secp256k1 key pair: its identity on the mesh.
 *
 * <p>Signatures are deterministic (RFC 6979, HMAC-SHA256), so signing never depends on the quality of a random
 * source, and are always in low-s form, the only form {@link Secp256k1#verify} accepts.
 *
 * <p>The private key is read only through {@link #privateKeyBytes}, by the key store and the handshakes that need the
 * scalar; {@link #toString} never shows it, so it cannot end up in a log or a message by accident.
 */
public final class NodeKey {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ECPrivateKeyParameters privateKey;
  private final byte[] publicKey;
  private final PeerId peerId;

  private NodeKey(BigInteger d) {
    this.privateKey = new ECPrivateKeyParameters(d, Secp256k1.DOMAIN);
    this.publicKey = new FixedPointCombMultiplier().multiply(Secp256k1.DOMAIN.getG(), d).getEncoded(true);
    this.peerId = PeerId.fromPublicKey(publicKey);
  }

  /** A fresh key pair from a {@link SecureRandom}. */
  public static NodeKey generate() {
    ECKeyPairGenerator generator = new ECKeyPairGenerator();
    generator.init(new ECKeyGenerationParameters(Secp256k1.DOMAIN, RANDOM));
    AsymmetricCipherKeyPair pair = generator.generateKeyPair();
    return new NodeKey(((ECPrivateKeyParameters) pair.getPrivate()).getD());
  }

  /**
   * The key pair with private scalar {@code d}, given as 32 big-endian bytes.
   *
   * @throws IllegalArgumentException unless {@code d} is 32 bytes and 1 &lt;= d &lt; n
   */
  public static NodeKey fromPrivateKey(byte[] d) {
    Objects.requireNonNull(d, "d");
    if (d.length != Secp256k1.PRIVATE_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "private key must be " + Secp256k1.PRIVATE_KEY_LENGTH + " bytes, got " + d.length);
    }
    BigInteger scalar = new BigInteger(1, d);
    if (scalar.signum() == 0 || scalar.compareTo(Secp256k1.DOMAIN.getN()) >= 0) {
      throw new IllegalArgumentException("private key must be in the range [1, n-1] of the secp256k1 group order");
    }
    return new NodeKey(scalar);
  }

  /** The 33-byte SEC1 compressed public key; a copy. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  public PeerId peerId() {
    return peerId;
  }

  /**
   * Signs a 32-byte hash.
   *
   * @return 64 bytes: r then s, each 32 bytes big-endian, with s &lt;= n/2
   * @throws IllegalArgumentException unless {@code hash} is 32 bytes; anything else is a caller that forgot to hash
   */
  public byte[] sign(byte[] hash) {
    Objects.requireNonNull(hash, "hash");
    if (hash.length != Secp256k1.HASH_LENGTH) {
      throw new IllegalArgumentException("hash must be " + Secp256k1.HASH_LENGTH + " bytes, got " + hash.length);
    }
    // ECDSASigner keeps per-signature state, so one per call keeps NodeKey safe to share between threads.
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, privateKey);
    BigInteger[] rs = signer.generateSignature(hash);
    BigInteger r = rs[0];
    BigInteger s = rs[1].compareTo(Secp256k1.HALF_ORDER) > 0 ? Secp256k1.DOMAIN.getN().subtract(rs[1]) : rs[1];

    byte[] signature = new byte[Secp256k1.SIGNATURE_LENGTH];
    BigIntegers.asUnsignedByteArray(r, signature, 0, 32);
    BigIntegers.asUnsignedByteArray(s, signature, 32, 32);
    return signature;
  }

  /**
   * The 32-byte big-endian private scalar: for {@link NodeKeyStore}, and for handshakes that need the scalar itself
   * (RLPx's ECDH, discv4's recoverable signatures). Never log or send it; zero a copy no longer needed.
   */
  public byte[] privateKeyBytes() {
    return BigIntegers.asUnsignedByteArray(Secp256k1.PRIVATE_KEY_LENGTH, privateKey.getD());
  }

  @Override
  public String toString() {
    return "NodeKey[peerId=" + peerId + "]";
  }
}
