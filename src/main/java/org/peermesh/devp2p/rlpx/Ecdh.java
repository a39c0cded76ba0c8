package org.peermesh.devp2p.rlpx;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.peermesh.crypto.Secp256k1;

import java.math.BigInteger;
import java.util.Optional;

/**
 * Elliptic-curve Diffie-Hellman on secp256k1 as RLPx uses it: the x coordinate of {@code d * Q}, 32 bytes. Used by
 * ECIES and for the handshake's static and ephemeral shared secrets.
 */
final class Ecdh {

  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final byte UNCOMPRESSED_PREFIX = 0x04;
  private static final int COORDINATE_LENGTH = 32;
  static final int PUBLIC_KEY_LENGTH = 2 * COORDINATE_LENGTH;

  private Ecdh() {
  }

  /**
   * The shared x coordinate, or empty if {@code remotePub64} is not 64 bytes of a point on the curve (checked, so
   * that a peer cannot send a point of small order on another curve: the invalid-curve hole of go-ethereum#33669).
   *
   * @throws IllegalArgumentException if {@code privateKey32} is not a valid private key (a local mistake)
   */
  static Optional<byte[]> sharedX(byte[] privateKey32, byte[] remotePub64) {
    requirePrivateKey(privateKey32);
    Optional<ECPoint> remote = decode(remotePub64);
    if (remote.isEmpty()) {
      return Optional.empty();
    }
    ECPoint shared = remote.get().multiply(new BigInteger(1, privateKey32)).normalize();
    if (shared.isInfinity()) {
      return Optional.empty();
    }
    return Optional.of(shared.getAffineXCoord().getEncoded());
  }

  /** @throws IllegalArgumentException unless {@code key} is 32 bytes holding a number from 1 to n-1 */
  static void requirePrivateKey(byte[] key) {
    if (!Secp256k1.isValidPrivateKey(key)) {
      throw new IllegalArgumentException("a private key is 32 bytes holding a number from 1 to n-1");
    }
  }

  private static Optional<ECPoint> decode(byte[] pub64) {
    if (pub64 == null || pub64.length != PUBLIC_KEY_LENGTH) {
      return Optional.empty();
    }
    byte[] encoded = new byte[1 + PUBLIC_KEY_LENGTH];
    encoded[0] = UNCOMPRESSED_PREFIX;
    System.arraycopy(pub64, 0, encoded, 1, PUBLIC_KEY_LENGTH);
    try {
      // decodePoint checks that (x, y) satisfies the curve equation with x, y < p.
      return Optional.of(CURVE.getCurve().decodePoint(encoded));
    } catch (IllegalArgumentException notOnCurve) {
      return Optional.empty();
    }
  }
}
