package org.peermesh.devp2p.rlpx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.peermesh.devp2p.rlpx.Eip8Vectors.hex;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpList;

class EciesTest {

  private static final byte[] MESSAGE = "Hello, world.".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] AUTH_DATA = {0x01, 0x02};

  @Test
  void concatKdfMatchesGoEthereum() {
    // go-ethereum crypto/ecies/ecies_test.go, TestKDF: 32 bytes of ConcatKDF-SHA256 over "input".
    assertArrayEquals(hex("858b192fa2ed4395e2bf88dd8d5770d67dc284ee539f12da8bceaa45d06ebae0"),
        Ecies.concatKdf("input".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void sharedSecretMatchesGoEthereum() {
    // go-ethereum crypto/ecies/ecies_test.go, TestSharedKeyStatic.
    byte[] key1 = hex("7ebbc6a8358bc76dd73ebc557056702c8cfc34e5cfcd90eb83af0347575fd2ad");
    byte[] key2 = hex("6a3d6396903245bba5837752b9e0348874e72db0c4e11e9c485a81b4ea4353b9");
    byte[] expected = hex("167ccc13ac5e8a26b131c3446030c60fbfac6aa8e31149d0869f93626a4cdf62");
    assertArrayEquals(expected, Ecdh.sharedX(key1, Secp256k1.publicKey64(key2)).orElseThrow());
    assertArrayEquals(expected, Ecdh.sharedX(key2, Secp256k1.publicKey64(key1)).orElseThrow());
  }

  @Test
  void decryptsEip8Auth2WithKeyB() {
    // EIP-8's Auth2 is ECIES to B with the size prefix as authenticated data.
    byte[] packet = Eip8Vectors.AUTH_2;
    byte[] plaintext = Ecies.decrypt(Eip8Vectors.STATIC_KEY_B, Arrays.copyOfRange(packet, 2, packet.length),
        Arrays.copyOf(packet, 2));
    RlpList body = Rlp.decodePrefix(plaintext, 0).item().list("auth");
    assertArrayEquals(Eip8Vectors.AUTH_SIGNATURE, body.string(0, "sig").bytes());
    assertArrayEquals(Secp256k1.publicKey64(Eip8Vectors.STATIC_KEY_A), body.string(1, "pub").bytes());
    assertArrayEquals(Eip8Vectors.NONCE_A, body.string(2, "nonce").bytes());
    assertEquals(4, body.string(3, "version").asInt("version"));
  }

  @Test
  void roundTripsAndAddsTheOverhead() {
    byte[] ciphertext = Ecies.encrypt(Secp256k1.publicKey64(Eip8Vectors.STATIC_KEY_B), MESSAGE, AUTH_DATA,
        new SecureRandom());
    assertEquals(MESSAGE.length + Ecies.OVERHEAD, ciphertext.length);
    assertArrayEquals(MESSAGE, Ecies.decrypt(Eip8Vectors.STATIC_KEY_B, ciphertext, AUTH_DATA));
    byte[] empty = Ecies.encrypt(Secp256k1.publicKey64(Eip8Vectors.STATIC_KEY_B), new byte[0], AUTH_DATA,
        new SecureRandom());
    assertArrayEquals(new byte[0], Ecies.decrypt(Eip8Vectors.STATIC_KEY_B, empty, AUTH_DATA));
  }

  @Test
  void deterministicVariantLaysOutEphemeralKeyAndIv() {
    byte[] iv = hex("000102030405060708090a0b0c0d0e0f");
    byte[] ciphertext = deterministic();
    assertArrayEquals(ciphertext, deterministic());
    assertEquals(0x04, ciphertext[0]);
    assertArrayEquals(Secp256k1.publicKey64(Eip8Vectors.EPHEMERAL_KEY_A), Arrays.copyOfRange(ciphertext, 1, 65));
    assertArrayEquals(iv, Arrays.copyOfRange(ciphertext, 65, 81));
    assertArrayEquals(MESSAGE, Ecies.decrypt(Eip8Vectors.STATIC_KEY_B, ciphertext, AUTH_DATA));
  }

  @Test
  void everyAlteredByteIsRefused() {
    byte[] ciphertext = deterministic();
    for (int i = 0; i < ciphertext.length; i++) {
      byte[] altered = ciphertext.clone();
      altered[i] ^= 0x01;
      assertBadEcies(() -> Ecies.decrypt(Eip8Vectors.STATIC_KEY_B, altered, AUTH_DATA));
    }
  }

  @Test
  void wrongKeyOrAuthDataIsRefused() {
    byte[] ciphertext = deterministic();
    assertBadEcies(() -> Ecies.decrypt(Eip8Vectors.STATIC_KEY_A, ciphertext, AUTH_DATA));
    assertBadEcies(() -> Ecies.decrypt(Eip8Vectors.STATIC_KEY_B, ciphertext, new byte[] {0x01, 0x03}));
    assertBadEcies(() -> Ecies.decrypt(Eip8Vectors.STATIC_KEY_B, ciphertext, new byte[0]));
  }

  @Test
  void truncationsAreRefused() {
    byte[] ciphertext = deterministic();
    for (int length = 0; length < ciphertext.length; length++) {
      byte[] cut = Arrays.copyOf(ciphertext, length);
      assertBadEcies(() -> Ecies.decrypt(Eip8Vectors.STATIC_KEY_B, cut, AUTH_DATA));
    }
  }

  @Test
  void ephemeralKeyOffTheCurveIsRefusedBeforeAnyMac() {
    byte[] offCurve = deterministic();
    offCurve[64] ^= 0x01; // y + 1 (or - 1): no longer on the curve
    RlpxException e = assertThrows(RlpxException.class,
        () -> Ecies.decrypt(Eip8Vectors.STATIC_KEY_B, offCurve, AUTH_DATA));
    assertEquals("bad_ecies", e.kind());
    assertEquals("ECIES ephemeral key is not a point of secp256k1", e.detail());
    byte[] compressedPrefix = deterministic();
    compressedPrefix[0] = 0x02;
    assertBadEcies(() -> Ecies.decrypt(Eip8Vectors.STATIC_KEY_B, compressedPrefix, AUTH_DATA));
  }

  private static byte[] deterministic() {
    return Ecies.encrypt(Secp256k1.publicKey64(Eip8Vectors.STATIC_KEY_B), MESSAGE, AUTH_DATA,
        Eip8Vectors.EPHEMERAL_KEY_A, hex("000102030405060708090a0b0c0d0e0f"));
  }

  private static void assertBadEcies(org.junit.jupiter.api.function.Executable decrypt) {
    assertEquals("bad_ecies", assertThrows(RlpxException.class, decrypt).kind());
  }
}
