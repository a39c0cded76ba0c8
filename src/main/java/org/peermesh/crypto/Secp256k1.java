package org.peermesh.crypto;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/**
 * The secp256k1 curve as PeerMesh uses it: 33-byte compressed public keys, 32-byte hashes and
 * 64-byte {@code r || s} signatures in low-s form.
 */
public final class Secp256k1 {

  public static final int PRIVATE_KEY_LENGTH = 32;
  public static final int PUBLIC_KEY_LENGTH = 33;
  public static final int HASH_LENGTH = 32;
  public static final int SIGNATURE_LENGTH = 64;

  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");

  static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

  /** Signatures with s above this are rejected: (r, n - s) is equally valid, so accepting both is malleable. */
  static final BigInteger HALF_ORDER = DOMAIN.getN().shiftRight(1);

  private static final byte EVEN_Y_PREFIX = 0x02;
  private static final byte ODD_Y_PREFIX = 0x03;

  private Secp256k1() {
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
