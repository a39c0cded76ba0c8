package org.peermesh.antelope.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peermesh.crypto.Secp256k1;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class K1SignaturesTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final AntelopePrivateKey KEY = AntelopePrivateKeyTest.KEY;
  private static final AntelopePublicKey PUBLIC_KEY = KEY.publicKey();
  private static final byte[] DIGEST = HEX.parseHex(AntelopePrivateKeyTest.DIGEST_ABC);
  private static final AntelopeSignature SIGNATURE = AntelopeSignature.parse(AntelopePrivateKeyTest.SIG_ABC);
  private static final byte[] DATA = SIGNATURE.data();

  @Test
  void recoversTheSignersKey() {
    assertEquals(Optional.of(PUBLIC_KEY), K1Signatures.recover(SIGNATURE, DIGEST));
    assertTrue(K1Signatures.verify(PUBLIC_KEY, DIGEST, SIGNATURE));
    assertTrue(K1Signatures.isCanonical(SIGNATURE));
  }

  @Test
  void anotherDigestOrKeyDoesNotVerify() {
    byte[] digest = DIGEST.clone();
    digest[31] ^= 1;

    assertFalse(K1Signatures.verify(PUBLIC_KEY, digest, SIGNATURE));
    assertFalse(K1Signatures.verify(AntelopePrivateKey.generate().publicKey(), DIGEST, SIGNATURE));
    assertFalse(K1Signatures.verify(AntelopePublicKey.ZERO_K1, DIGEST, SIGNATURE));
  }

  @ParameterizedTest
  @ValueSource(ints = {27, 28, 29, 30, 31, 32, 33, 34})
  void vFrom27To34IsAcceptedWithRecoveryIdItsLowTwoBits(int v) {
    Optional<AntelopePublicKey> recovered = K1Signatures.recover(withV(v), DIGEST);

    // The vector's v is 0x20 = 32: recovery id 1. The other ids give another key, or none.
    if (((v - 27) & 3) == 1) {
      assertEquals(Optional.of(PUBLIC_KEY), recovered);
    } else {
      assertNotEquals(Optional.of(PUBLIC_KEY), recovered);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 4, 26, 35, 36, 127, 128, 255})
  void vOutsideTheRangeNodeosAcceptsRecoversNothing(int v) {
    assertEquals(Optional.empty(), K1Signatures.recover(withV(v), DIGEST));
    assertFalse(K1Signatures.verify(PUBLIC_KEY, DIGEST, withV(v)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"80", "ff", "007f", "0000"})
  void nonCanonicalROrSRecoversNothing(String prefix) {
    for (int offset : new int[] {1, 33}) {
      byte[] data = DATA.clone();
      System.arraycopy(HEX.parseHex(prefix), 0, data, offset, prefix.length() / 2);
      AntelopeSignature signature = new AntelopeSignature(KeyType.K1, data);

      assertFalse(K1Signatures.isCanonical(signature));
      assertEquals(Optional.empty(), K1Signatures.recover(signature, DIGEST));
    }
  }

  @Test
  void aValidButNonCanonicalSignatureRecoversNothing() {
    // Plain RFC 6979 without wharfkit's retries: find a digest whose signature has r >= 2^255.
    byte[] key = HEX.parseHex(AntelopePrivateKeyTest.PRIVATE_HEX);
    byte[] digest = DIGEST.clone();
    AntelopeSignature signature;
    do {
      digest = Secp256k1.sha256(digest);
      signature = K1Signatures.encode(Secp256k1.signRecoverable(key, digest, null));
    } while (K1Signatures.isCanonical(signature));

    // A valid ECDSA signature all the same.
    assertTrue(Secp256k1.verify(PUBLIC_KEY.data(), digest, Arrays.copyOfRange(signature.data(), 1, 65)));
    assertEquals(Optional.empty(), K1Signatures.recover(signature, digest));
    assertFalse(K1Signatures.verify(PUBLIC_KEY, digest, signature));
  }

  @Test
  void otherTypesAndTheZeroSignatureRecoverNothing() {
    AntelopeSignature r1 = new AntelopeSignature(KeyType.R1, DATA);

    assertEquals(Optional.empty(), K1Signatures.recover(r1, DIGEST));
    assertFalse(K1Signatures.verify(PUBLIC_KEY, DIGEST, r1));
    assertEquals(Optional.empty(), K1Signatures.recover(new AntelopeSignature(KeyType.WA, DATA), DIGEST));
    assertEquals(Optional.empty(), K1Signatures.recover(AntelopeSignature.ZERO_K1, DIGEST));
    assertFalse(K1Signatures.verify(AntelopePublicKey.ZERO_K1, DIGEST, AntelopeSignature.ZERO_K1));
    assertFalse(K1Signatures.isCanonical(AntelopeSignature.ZERO_K1));
    assertEquals(Optional.empty(), K1Signatures.recover(null, DIGEST));
  }

  @Test
  void aDigestThatIsNot32BytesRecoversNothing() {
    assertEquals(Optional.empty(), K1Signatures.recover(SIGNATURE, new byte[31]));
    assertEquals(Optional.empty(), K1Signatures.recover(SIGNATURE, new byte[33]));
    assertEquals(Optional.empty(), K1Signatures.recover(SIGNATURE, null));
  }

  @Test
  void randomKeysSignAndRecover() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 30; i++) {
      AntelopePrivateKey key = AntelopePrivateKey.generate();
      byte[] digest = new byte[32];
      random.nextBytes(digest);

      AntelopeSignature signature = key.signDigest(digest);

      assertTrue(K1Signatures.isCanonical(signature));
      int v = signature.data()[0];
      assertTrue(v >= 31 && v <= 34, "v " + v);
      assertEquals(Optional.of(key.publicKey()), K1Signatures.recover(signature, digest));
      assertTrue(K1Signatures.verify(key.publicKey(), digest, signature));
    }
  }

  private static AntelopeSignature withV(int v) {
    byte[] data = DATA.clone();
    data[0] = (byte) v;
    return new AntelopeSignature(KeyType.K1, data);
  }
}
