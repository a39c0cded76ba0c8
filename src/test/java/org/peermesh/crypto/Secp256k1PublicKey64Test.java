package org.peermesh.crypto;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** devp2p's 64-byte public keys (X || Y): derivation, conversion to and from the compressed form, recovery. */
class Secp256k1PublicKey64Test {

  private static final HexFormat HEX = HexFormat.of();

  /** The generator G (SEC 2, section 2.4.1), the public key of private key 1. */
  private static final String G_X = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
  private static final String G_Y = "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";
  private static final String FIELD_PRIME = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";

  @Test
  void theKeyOfOneIsTheGenerator() {
    assertEquals(G_X + G_Y, HEX.formatHex(Secp256k1.publicKey64(NodeKeyTest.scalar(1))));
  }

  @Test
  void convertsBetweenTheCompressedAndThe64ByteForm() {
    for (int scalar = 1; scalar <= 8; scalar++) {
      byte[] privateKey = NodeKeyTest.scalar(scalar);
      byte[] compressed = Secp256k1.publicKeyOf(privateKey);
      byte[] full = Secp256k1.publicKey64(privateKey);
      assertArrayEquals(full, Secp256k1.toPublicKey64(compressed).orElseThrow());
      assertArrayEquals(compressed, Secp256k1.compress(full).orElseThrow());
      assertTrue(Secp256k1.isValidPublicKey64(full));
    }
    assertArrayEquals(HEX.parseHex("02" + G_X), Secp256k1.compress(HEX.parseHex(G_X + G_Y)).orElseThrow());
  }

  @Test
  void keysOfLargeScalarsKeepTheirLeadingZeroBytes() {
    for (int scalar = 1; scalar <= 300; scalar++) {
      byte[] full = Secp256k1.publicKey64(NodeKeyTest.scalar(NodeKeyTest.N.subtract(BigInteger.valueOf(scalar))));
      assertEquals(Secp256k1.PUBLIC_KEY_64_LENGTH, full.length);
      assertTrue(Secp256k1.isValidPublicKey64(full));
    }
  }

  @Test
  void refusesWhatIsNotAPointOnTheCurve() {
    byte[] generator = HEX.parseHex(G_X + G_Y);
    byte[] offCurve = generator.clone();
    offCurve[63] ^= 1;
    byte[] xTooLarge = HEX.parseHex(FIELD_PRIME + G_Y);
    byte[] zero = new byte[64];
    for (byte[] bad : new byte[][] {offCurve, xTooLarge, zero, Arrays.copyOf(generator, 63),
        Arrays.copyOf(generator, 65), HEX.parseHex("04" + G_X + G_Y), null}) {
      assertFalse(Secp256k1.isValidPublicKey64(bad));
      assertEquals(Optional.empty(), Secp256k1.compress(bad));
    }
    assertEquals(Optional.empty(), Secp256k1.toPublicKey64(HEX.parseHex("02" + FIELD_PRIME)));
    assertEquals(Optional.empty(), Secp256k1.toPublicKey64(HEX.parseHex("04" + G_X)));
    assertEquals(Optional.empty(), Secp256k1.toPublicKey64(null));
  }

  @Test
  void refusesAnInvalidPrivateKey() {
    assertThrows(IllegalArgumentException.class, () -> Secp256k1.publicKey64(new byte[32]));
    assertThrows(IllegalArgumentException.class, () -> Secp256k1.publicKey64(NodeKeyTest.scalar(NodeKeyTest.N)));
  }

  @Test
  void recoversTheSignersKeyIn64Bytes() {
    byte[] privateKey = NodeKeyTest.scalar(BigInteger.valueOf(0x1234567));
    byte[] hash = Keccak256.hash(new byte[] {1, 2, 3});
    Secp256k1.RecoverableSignature signature = Secp256k1.signRecoverable(privateKey, hash, null);
    assertArrayEquals(Secp256k1.publicKey64(privateKey), Secp256k1.recoverPublicKey64(
        hash, signature.r(), signature.s(), signature.recoveryId()).orElseThrow());
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey64(hash, BigInteger.ZERO, signature.s(), 0));
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey64(hash, signature.r(), signature.s(), 4));
  }
}
