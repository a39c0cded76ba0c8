package org.peermesh.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Secp256k1Test {

  private static final HexFormat HEX = HexFormat.of();

  private static final String GENERATOR_X = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
  private static final byte[] GENERATOR = HEX.parseHex("02" + GENERATOR_X);
  private static final String FIELD_PRIME = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";

  /** Key 1 signing "Satoshi Nakamoto", the first published RFC 6979 vector (see NodeKeyTest). */
  private static final byte[] HASH = Secp256k1.sha256("Satoshi Nakamoto".getBytes(StandardCharsets.UTF_8));
  private static final byte[] SIGNATURE = HEX.parseHex(
      "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
          + "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5");

  @Test
  void verifyAcceptsThePublishedSignature() {
    assertTrue(Secp256k1.verify(GENERATOR, HASH, SIGNATURE));
  }

  @Test
  void verifyRejectsATamperedHash() {
    byte[] hash = HASH.clone();
    hash[31] ^= 1;
    assertFalse(Secp256k1.verify(GENERATOR, hash, SIGNATURE));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 17, 31, 32, 50, 63})
  void verifyRejectsATamperedSignature(int index) {
    byte[] signature = SIGNATURE.clone();
    signature[index] ^= 0x01;
    assertFalse(Secp256k1.verify(GENERATOR, HASH, signature));
  }

  @Test
  void verifyRejectsAnotherKey() {
    NodeKey other = NodeKey.fromPrivateKey(NodeKeyTest.scalar(2));
    assertFalse(Secp256k1.verify(other.publicKey(), HASH, SIGNATURE));
    // G and -G share x; a verifier that ignored the y parity byte would accept this.
    assertFalse(Secp256k1.verify(HEX.parseHex("03" + GENERATOR_X), HASH, SIGNATURE));
  }

  @Test
  void verifyRejectsTheHighSFormOfAValidSignature() {
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(SIGNATURE, 32, 64));
    byte[] highS = SIGNATURE.clone();
    System.arraycopy(NodeKeyTest.scalar(NodeKeyTest.N.subtract(s)), 0, highS, 32, 32);
    assertEquals("dbbd3162d46e9f9bef7feb87c16dc13b4f6568a87f4e83f728e2443ba586675c", HEX.formatHex(highS, 32, 64));

    assertFalse(Secp256k1.verify(GENERATOR, HASH, highS));
  }

  @Test
  void verifyRejectsRAndSOutOfRange() {
    byte[] zero = new byte[32];
    byte[] order = NodeKeyTest.scalar(NodeKeyTest.N);
    byte[] r = Arrays.copyOfRange(SIGNATURE, 0, 32);
    byte[] s = Arrays.copyOfRange(SIGNATURE, 32, 64);

    assertFalse(Secp256k1.verify(GENERATOR, HASH, concat(zero, s)));
    assertFalse(Secp256k1.verify(GENERATOR, HASH, concat(order, s)));
    assertFalse(Secp256k1.verify(GENERATOR, HASH, concat(r, zero)));
    assertFalse(Secp256k1.verify(GENERATOR, HASH, concat(r, order)));
    // r + n still fits in 32 bytes and is r modulo n: accepting it would be another malleability.
    byte[] rPlusN = NodeKeyTest.scalar(new BigInteger(1, r).add(NodeKeyTest.N));
    assertFalse(Secp256k1.verify(GENERATOR, HASH, concat(rPlusN, s)));
  }

  @Test
  void verifyRejectsGarbageKeys() {
    byte[] randomBytes = new byte[33];
    Arrays.fill(randomBytes, (byte) 0x5a);
    assertFalse(Secp256k1.verify(randomBytes, HASH, SIGNATURE));
    assertFalse(Secp256k1.verify(new byte[33], HASH, SIGNATURE));
    // x = 0 is off the curve: 0^3 + 7 = 7 is not a square modulo p.
    assertFalse(Secp256k1.verify(HEX.parseHex("02" + "00".repeat(32)), HASH, SIGNATURE));
    assertFalse(Secp256k1.verify(HEX.parseHex("02" + FIELD_PRIME), HASH, SIGNATURE));
    assertFalse(Secp256k1.verify(HEX.parseHex("04" + GENERATOR_X), HASH, SIGNATURE));
  }

  @Test
  void verifyRejectsWrongLengthsAndNulls() {
    assertFalse(Secp256k1.verify(Arrays.copyOf(GENERATOR, 32), HASH, SIGNATURE));
    assertFalse(Secp256k1.verify(Arrays.copyOf(GENERATOR, 34), HASH, SIGNATURE));
    assertFalse(Secp256k1.verify(uncompressedGenerator(), HASH, SIGNATURE));
    assertFalse(Secp256k1.verify(GENERATOR, Arrays.copyOf(HASH, 31), SIGNATURE));
    assertFalse(Secp256k1.verify(GENERATOR, Arrays.copyOf(HASH, 33), SIGNATURE));
    assertFalse(Secp256k1.verify(GENERATOR, HASH, Arrays.copyOf(SIGNATURE, 63)));
    assertFalse(Secp256k1.verify(GENERATOR, HASH, Arrays.copyOf(SIGNATURE, 65)));
    assertFalse(Secp256k1.verify(GENERATOR, HASH, derEncodedSignature()));
    assertFalse(Secp256k1.verify(null, HASH, SIGNATURE));
    assertFalse(Secp256k1.verify(GENERATOR, null, SIGNATURE));
    assertFalse(Secp256k1.verify(GENERATOR, HASH, null));
    assertFalse(Secp256k1.verify(new byte[0], new byte[0], new byte[0]));
  }

  @Test
  void isValidPublicKeyAcceptsCompressedPointsOnly() {
    assertTrue(Secp256k1.isValidPublicKey(GENERATOR));
    assertTrue(Secp256k1.isValidPublicKey(HEX.parseHex("03" + GENERATOR_X)));
    assertTrue(Secp256k1.isValidPublicKey(
        HEX.parseHex("02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5")));

    assertFalse(Secp256k1.isValidPublicKey(uncompressedGenerator()));
    assertFalse(Secp256k1.isValidPublicKey(HEX.parseHex("04" + GENERATOR_X)));
    assertFalse(Secp256k1.isValidPublicKey(HEX.parseHex("00" + GENERATOR_X)));
    assertFalse(Secp256k1.isValidPublicKey(HEX.parseHex("02" + "00".repeat(32))));
    assertFalse(Secp256k1.isValidPublicKey(HEX.parseHex("02" + FIELD_PRIME)));
    assertFalse(Secp256k1.isValidPublicKey(HEX.parseHex("02" + "ff".repeat(32))));
    assertFalse(Secp256k1.isValidPublicKey(new byte[] {0x00}));
    assertFalse(Secp256k1.isValidPublicKey(new byte[0]));
    assertFalse(Secp256k1.isValidPublicKey(null));
  }

  @Test
  void sha256MatchesFips180Vectors() {
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        HEX.formatHex(Secp256k1.sha256()));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        HEX.formatHex(Secp256k1.sha256("abc".getBytes(StandardCharsets.US_ASCII))));
  }

  @Test
  void sha256HashesTheConcatenationOfItsParts() {
    byte[] whole = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes(StandardCharsets.US_ASCII);
    byte[] first = Arrays.copyOfRange(whole, 0, 10);
    byte[] second = Arrays.copyOfRange(whole, 10, whole.length);

    assertEquals("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        HEX.formatHex(Secp256k1.sha256(first, new byte[0], second)));
    assertArrayEquals(Secp256k1.sha256(whole), Secp256k1.sha256(first, second));
  }

  private static byte[] uncompressedGenerator() {
    return HEX.parseHex("04" + GENERATOR_X + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8");
  }

  private static byte[] derEncodedSignature() {
    return HEX.parseHex("3045022100934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
        + "02202442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
