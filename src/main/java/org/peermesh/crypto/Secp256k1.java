package org.peermesh.crypto;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The secp256k1 curve as PeerMesh uses it: 33-byte compressed public keys, 32-byte hashes and
 * 64-byte {@code r || s} signatures in low-s form; and signatures with a recovery id, from which the signer's public
 * key is recovered rather than sent (Antelope's handshake, devp2p's RLPx).
 */
public final class Secp256k1 {

  public static final int PRIVATE_KEY_LENGTH = 32;
  public static final int PUBLIC_KEY_LENGTH = 33;
  public static final int HASH_LENGTH = 32;
  public static final int SIGNATURE_LENGTH = 64;
  /** devp2p's form of a public key: X || Y, 32 bytes each, without SEC1's 0x04 prefix. */
  public static final int PUBLIC_KEY_64_LENGTH = 64;

  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");

  static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

  /** Signatures with s above this are rejected: (r, n - s) is equally valid, so accepting both is malleable. */
  static final BigInteger HALF_ORDER = DOMAIN.getN().shiftRight(1);

  private static final byte EVEN_Y_PREFIX = 0x02;
  private static final byte ODD_Y_PREFIX = 0x03;
  private static final byte UNCOMPRESSED_PREFIX = 0x04;
  private static final int MAX_RECOVERY_ID = 3;

  private Secp256k1() {
  }

  /**
   * An ECDSA signature and the recovery id that picks the signer's key among the candidates (r, s) fits: bit 0 is
   * the parity of the y of the nonce point R, bit 1 whether R's x was r + n (x &gt;= n, rare) rather than r.
   */
  public record RecoverableSignature(BigInteger r, BigInteger s, int recoveryId) {

    public RecoverableSignature {
      Objects.requireNonNull(r, "r");
      Objects.requireNonNull(s, "s");
      if (recoveryId < 0 || recoveryId > MAX_RECOVERY_ID) {
        throw new IllegalArgumentException("recovery id must be 0 to " + MAX_RECOVERY_ID + ", not " + recoveryId);
      }
    }
  }

  /**
   * Signs {@code hash32} with a deterministic nonce: RFC 6979 (HMAC-SHA256) with {@code extraEntropy}, if not null,
   * as the additional data k' of its section 3.6, which is how elliptic.js's {@code pers} option and so wharfkit
   * feed it. s is in low-s form, the recovery id adjusted to match.
   *
   * @param extraEntropy varied by a caller that must retry for a signature of some form; null for plain RFC 6979
   * @throws IllegalArgumentException unless the key is 32 bytes with 1 &lt;= d &lt; n and the hash is 32 bytes
   */
  public static RecoverableSignature signRecoverable(byte[] privateKey32, byte[] hash32, byte[] extraEntropy) {
    BigInteger d = privateScalar(privateKey32);
    requireHash(hash32);
    BigInteger n = DOMAIN.getN();
    BigInteger e = new BigInteger(1, hash32);
    Rfc6979Nonces nonces = new Rfc6979Nonces(n, d, hash32, extraEntropy);
    FixedPointCombMultiplier multiplier = new FixedPointCombMultiplier();
    while (true) {
      BigInteger k = nonces.next();
      ECPoint nonce = multiplier.multiply(DOMAIN.getG(), k).normalize();
      BigInteger x = nonce.getAffineXCoord().toBigInteger();
      BigInteger r = x.mod(n);
      BigInteger s = k.modInverse(n).multiply(e.add(d.multiply(r))).mod(n);
      // RFC 6979 takes the next nonce for these (never seen in practice: each has probability about 2^-256).
      if (r.signum() == 0 || s.signum() == 0) {
        continue;
      }
      int recoveryId = (nonce.getAffineYCoord().testBitZero() ? 1 : 0) | (x.compareTo(n) >= 0 ? 2 : 0);
      if (s.compareTo(HALF_ORDER) > 0) {
        // n - s signs with -R, whose y has the other parity.
        s = n.subtract(s);
        recoveryId ^= 1;
      }
      return new RecoverableSignature(r, s, recoveryId);
    }
  }

  /**
   * The compressed public key that made signature (r, s) of {@code hash32} with {@code recoveryId} (SEC1 4.1.6:
   * Q = r^-1 (sR - eG)), or empty for any input that cannot be a signature: r or s outside [1, n-1], a recovery id
   * outside 0-3, an R that is not on the curve, a hash that is not 32 bytes. High s is accepted (the key it gives is
   * the signer's all the same); rules on the form of s are the protocol's. Never throws, as all of it comes off the
   * wire.
   */
  public static Optional<byte[]> recoverPublicKey(byte[] hash32, BigInteger r, BigInteger s, int recoveryId) {
    BigInteger n = DOMAIN.getN();
    if (hash32 == null || hash32.length != HASH_LENGTH || !inGroupRange(r) || !inGroupRange(s)
        || recoveryId < 0 || recoveryId > MAX_RECOVERY_ID) {
      return Optional.empty();
    }
    BigInteger x = (recoveryId & 2) == 0 ? r : r.add(n);
    if (x.compareTo(DOMAIN.getCurve().getField().getCharacteristic()) >= 0) {
      return Optional.empty();
    }
    byte[] encodedNonce = new byte[PUBLIC_KEY_LENGTH];
    encodedNonce[0] = (recoveryId & 1) == 0 ? EVEN_Y_PREFIX : ODD_Y_PREFIX;
    BigIntegers.asUnsignedByteArray(x, encodedNonce, 1, PUBLIC_KEY_LENGTH - 1);
    Optional<ECPoint> nonce = decodePublicKey(encodedNonce);
    if (nonce.isEmpty()) {
      return Optional.empty();
    }
    BigInteger rInverse = r.modInverse(n);
    BigInteger e = new BigInteger(1, hash32);
    ECPoint key = ECAlgorithms.sumOfTwoMultiplies(
        nonce.get(), s.multiply(rInverse).mod(n), DOMAIN.getG(), e.negate().multiply(rInverse).mod(n));
    return key.isInfinity() ? Optional.empty() : Optional.of(key.getEncoded(true));
  }

  /**
   * The 33-byte compressed public key of {@code privateKey32}.
   *
   * @throws IllegalArgumentException unless the key is 32 bytes with 1 &lt;= d &lt; n
   */
  public static byte[] publicKeyOf(byte[] privateKey32) {
    return new FixedPointCombMultiplier().multiply(DOMAIN.getG(), privateScalar(privateKey32)).getEncoded(true);
  }

  /**
   * The 64-byte public key (X || Y) of {@code privateKey32}, devp2p's node identity.
   *
   * @throws IllegalArgumentException unless the key is 32 bytes with 1 &lt;= d &lt; n
   */
  public static byte[] publicKey64(byte[] privateKey32) {
    return toPublicKey64(new FixedPointCombMultiplier().multiply(DOMAIN.getG(), privateScalar(privateKey32)));
  }

  /** The 64-byte form of a 33-byte compressed key, or empty if it is not a point on the curve. */
  public static Optional<byte[]> toPublicKey64(byte[] compressed33) {
    return decodePublicKey(compressed33).map(Secp256k1::toPublicKey64);
  }

  /** The 33-byte compressed form of a 64-byte key, or empty if it is not a point on the curve. */
  public static Optional<byte[]> compress(byte[] publicKey64) {
    return decodePublicKey64(publicKey64).map(point -> point.getEncoded(true));
  }

  /**
   * Whether {@code publicKey64} is X || Y of a point on the curve (which excludes the point at infinity, having no
   * such form). A peer's key that is not would make ECDH leak the secret (the invalid-curve attack).
   */
  public static boolean isValidPublicKey64(byte[] publicKey64) {
    return decodePublicKey64(publicKey64).isPresent();
  }

  /**
   * {@link #recoverPublicKey} in the 64-byte form: the key that made signature (r, s) of {@code hash32} with
   * {@code recoveryId}, or empty for any input that cannot be a signature. Never throws.
   */
  public static Optional<byte[]> recoverPublicKey64(byte[] hash32, BigInteger r, BigInteger s, int recoveryId) {
    return recoverPublicKey(hash32, r, s, recoveryId).flatMap(Secp256k1::toPublicKey64);
  }

  /** Whether {@code key} is 32 big-endian bytes of a scalar d with 1 &lt;= d &lt; n, i.e. a usable private key. */
  public static boolean isValidPrivateKey(byte[] key) {
    return key != null && key.length == PRIVATE_KEY_LENGTH && inGroupRange(new BigInteger(1, key));
  }

  /**
   * Whether {@code signature} is a low-s signature of {@code hash} by the owner of {@code publicKey}.
   * Returns false rather than throwing for any malformed input, because all three usually come off the wire.
   */
  public static boolean verify(byte[] publicKey, byte[] hash, byte[] signature) {
    if (hash == null || hash.length != HASH_LENGTH
        || signature == null || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    Optional<ECPoint> point = decodePublicKey(publicKey);
    if (point.isEmpty()) {
      return false;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, SIGNATURE_LENGTH));
    if (r.signum() == 0 || r.compareTo(DOMAIN.getN()) >= 0 || s.signum() == 0 || s.compareTo(HALF_ORDER) > 0) {
      return false;
    }
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, new ECPublicKeyParameters(point.get(), DOMAIN));
    return verifier.verifySignature(hash, r, s);
  }

  /** Whether {@code key} is a 33-byte SEC1 compressed encoding of a point on the curve. */
  public static boolean isValidPublicKey(byte[] key) {
    return decodePublicKey(key).isPresent();
  }

  /** SHA-256 of the concatenation of {@code parts}, without building the concatenation. */
  public static byte[] sha256(byte[]... parts) {
    SHA256Digest digest = new SHA256Digest();
    for (byte[] part : parts) {
      digest.update(part, 0, part.length);
    }
    byte[] out = new byte[digest.getDigestSize()];
    digest.doFinal(out, 0);
    return out;
  }

  private static BigInteger privateScalar(byte[] privateKey32) {
    if (!isValidPrivateKey(privateKey32)) {
      throw new IllegalArgumentException(
          "a private key is " + PRIVATE_KEY_LENGTH + " bytes holding a number from 1 to n-1 of the secp256k1 group");
    }
    return new BigInteger(1, privateKey32);
  }

  private static void requireHash(byte[] hash32) {
    if (hash32 == null || hash32.length != HASH_LENGTH) {
      throw new IllegalArgumentException("a hash is " + HASH_LENGTH + " bytes; sign the hash, not the message");
    }
  }

  private static boolean inGroupRange(BigInteger value) {
    return value != null && value.signum() > 0 && value.compareTo(DOMAIN.getN()) < 0;
  }

  private static byte[] toPublicKey64(ECPoint point) {
    byte[] uncompressed = point.normalize().getEncoded(false);
    return Arrays.copyOfRange(uncompressed, 1, uncompressed.length);
  }

  private static Optional<ECPoint> decodePublicKey64(byte[] key) {
    if (key == null || key.length != PUBLIC_KEY_64_LENGTH) {
      return Optional.empty();
    }
    byte[] uncompressed = new byte[1 + PUBLIC_KEY_64_LENGTH];
    uncompressed[0] = UNCOMPRESSED_PREFIX;
    System.arraycopy(key, 0, uncompressed, 1, PUBLIC_KEY_64_LENGTH);
    try {
      // decodePoint rejects coordinates >= p and points that do not satisfy the curve equation.
      return Optional.of(DOMAIN.getCurve().decodePoint(uncompressed));
    } catch (IllegalArgumentException notOnCurve) {
      return Optional.empty();
    }
  }

  private static Optional<ECPoint> decodePublicKey(byte[] key) {
    // Uncompressed and hybrid encodings are refused so that each key has exactly one byte form, which the
    // peer id is derived from.
    if (key == null || key.length != PUBLIC_KEY_LENGTH || (key[0] != EVEN_Y_PREFIX && key[0] != ODD_Y_PREFIX)) {
      return Optional.empty();
    }
    try {
      // decodePoint rejects x >= p and x with no matching y, i.e. every off-curve point.
      return Optional.of(DOMAIN.getCurve().decodePoint(key));
    } catch (IllegalArgumentException notOnCurve) {
      return Optional.empty();
    }
  }
}
