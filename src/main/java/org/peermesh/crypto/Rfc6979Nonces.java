package org.peermesh.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.BigIntegers;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The deterministic ECDSA nonces of RFC 6979 (HMAC-SHA256) for secp256k1, with the optional "additional data" k' of
 * its section 3.6 appended to the seed. BouncyCastle's HMacDSAKCalculator has no such input, and Antelope's
 * signers (elliptic.js's HMAC-DRBG {@code pers}, as wharfkit uses it) vary exactly that to find a canonical
 * signature. With no extra data the nonces are those of plain RFC 6979.
 *
 * <p>One instance serves one signature: {@link #next} gives the candidates in order, the second only if the first
 * made r or s zero.
 */
final class Rfc6979Nonces {

  private static final int LENGTH = 32;
  private static final byte[] ZERO = {0x00};
  private static final byte[] ONE = {0x01};

  private final BigInteger n;
  private final HMac hmac = new HMac(new SHA256Digest());
  // RFC 6979's K (the HMAC key) and V.
  private byte[] stateK = new byte[LENGTH];
  private byte[] stateV = new byte[LENGTH];

  /**
   * @param n the group order
   * @param d the private scalar, 1 &lt;= d &lt; n
   * @param hash the 32-byte message hash
   * @param extraData appended to the seed; null or empty for plain RFC 6979
   */
  Rfc6979Nonces(BigInteger n, BigInteger d, byte[] hash, byte[] extraData) {
    this.n = n;
    byte[] key = BigIntegers.asUnsignedByteArray(LENGTH, d);
    // bits2octets: the hash as an integer (256 bits, as many as n has) reduced mod n.
    byte[] reducedHash = BigIntegers.asUnsignedByteArray(LENGTH, new BigInteger(1, hash).mod(n));
    byte[] extra = extraData == null ? new byte[0] : extraData;
    Arrays.fill(stateV, (byte) 0x01);
    stateK = mac(stateK, stateV, ZERO, key, reducedHash, extra);
    stateV = mac(stateK, stateV);
    stateK = mac(stateK, stateV, ONE, key, reducedHash, extra);
    stateV = mac(stateK, stateV);
    Arrays.fill(key, (byte) 0);
  }

  /** The next candidate nonce, in [1, n-1]. */
  BigInteger next() {
    while (true) {
      stateV = mac(stateK, stateV);
      BigInteger candidate = new BigInteger(1, stateV);
      // RFC 6979 3.2 h.3: the state moves on after every candidate, so that the next one (for an out-of-range
      // value here, or for an r or s of zero at the caller) differs.
      stateK = mac(stateK, stateV, ZERO);
      stateV = mac(stateK, stateV);
      if (candidate.signum() > 0 && candidate.compareTo(n) < 0) {
        return candidate;
      }
    }
  }

  private byte[] mac(byte[] key, byte[]... parts) {
    hmac.init(new KeyParameter(key));
    for (byte[] part : parts) {
      hmac.update(part, 0, part.length);
    }
    byte[] out = new byte[hmac.getMacSize()];
    hmac.doFinal(out, 0);
    return out;
  }
}
