package org.peermesh.antelope.crypto;

import org.bouncycastle.util.BigIntegers;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.crypto.Secp256k1.RecoverableSignature;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/**
 * K1 signatures as nodeos checks them: a signature carries no key, the key is recovered from it and compared. The
 * 65 bytes are {@code v || r || s}, v = 27 + 4 (compressed key) + recovery id.
 */
public final class K1Signatures {

  /** What Antelope adds to the recovery id: 27, Bitcoin's offset, and 4 to say the key is compressed. */
  private static final int V_OFFSET = 27 + 4;
  /** nodeos accepts v from 27 (the uncompressed-key values too) up to, not including, 35. */
  private static final int MIN_V = 27;
  private static final int MAX_V_EXCLUSIVE = 35;
  private static final int SCALAR_LENGTH = 32;
  private static final int R_OFFSET = 1;
  private static final int S_OFFSET = R_OFFSET + SCALAR_LENGTH;

  private K1Signatures() {
  }

  /**
   * The key that made {@code signature} over {@code digest32}, as nodeos recovers it: empty unless the signature
   * is K1, its v is in [27, 35), it {@linkplain #isCanonical is canonical} and a key is recoverable with recovery
   * id (v - 27) &amp; 3; empty too for a digest that is not 32 bytes. Never throws: signatures come off the wire.
   */
  public static Optional<AntelopePublicKey> recover(AntelopeSignature signature, byte[] digest32) {
    if (signature == null || signature.type() != KeyType.K1) {
      return Optional.empty();
    }
    byte[] data = signature.data();
    int v = data[0] & 0xff;
    if (v < MIN_V || v >= MAX_V_EXCLUSIVE || !isCanonical(data)) {
      return Optional.empty();
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(data, R_OFFSET, S_OFFSET));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(data, S_OFFSET, AntelopeSignature.LENGTH));
    return Secp256k1.recoverPublicKey(digest32, r, s, (v - MIN_V) & 3)
        .map(key -> new AntelopePublicKey(KeyType.K1, key));
  }

  /** Whether {@code signature} over {@code digest32} {@linkplain #recover recovers} to {@code key}. */
  public static boolean verify(AntelopePublicKey key, byte[] digest32, AntelopeSignature signature) {
    return recover(signature, digest32).map(recovered -> recovered.equals(key)).orElse(false);
  }

  /**
   * Whether r and s both have their top bit clear and are not padded: r[0] &lt; 0x80 and not (r[0] == 0 and
   * r[1] &lt; 0x80), the same for s. This is the DER-era rule (EOSIO issue 6699) that nodeos still enforces, and
   * why signers retry with another nonce until it holds.
   */
  public static boolean isCanonical(AntelopeSignature signature) {
    return isCanonical(signature.data());
  }

  /** {@link #isCanonical(AntelopeSignature)} on the 65 signature bytes. */
  static boolean isCanonical(byte[] data) {
    return isCanonicalScalar(data, R_OFFSET) && isCanonicalScalar(data, S_OFFSET);
  }

  /** The 65 bytes {@code v || r || s} of {@code signature}. */
  static AntelopeSignature encode(RecoverableSignature signature) {
    byte[] data = new byte[AntelopeSignature.LENGTH];
    data[0] = (byte) (V_OFFSET + signature.recoveryId());
    BigIntegers.asUnsignedByteArray(signature.r(), data, R_OFFSET, SCALAR_LENGTH);
    BigIntegers.asUnsignedByteArray(signature.s(), data, S_OFFSET, SCALAR_LENGTH);
    return new AntelopeSignature(KeyType.K1, data);
  }

  private static boolean isCanonicalScalar(byte[] data, int offset) {
    int first = data[offset] & 0xff;
    int second = data[offset + 1] & 0xff;
    return first < 0x80 && !(first == 0 && second < 0x80);
  }
}
