package org.peermesh.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recoverable signing (RFC 6979 with optional extra data) and SEC1 4.1.6 public key recovery. */
class Secp256k1RecoverableTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger N = NodeKeyTest.N;
  private static final BigInteger P =
      new BigInteger("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f", 16);
  private static final byte[] KEY_ONE = NodeKeyTest.scalar(1);
  private static final byte[] HASH = sha256("Satoshi Nakamoto");
  private static final Secp256k1.RecoverableSignature SIGNATURE =
      Secp256k1.signRecoverable(KEY_ONE, HASH, null);

  /**
   * The secp256k1 / SHA-256 RFC 6979 vectors published on bitcointalk (topic 285142) and used by bitcoinjs,
   * python-bitcoinlib, trezor-crypto and btclib: private key, message, nonce k, then r and low s.
   */
  static Stream<Arguments> rfc6979Vectors() {
    return Stream.of(
        Arguments.of("0000000000000000000000000000000000000000000000000000000000000001", "Satoshi Nakamoto",
            "8f8a276c19f4149656b280621e358cce24f5f52542772691ee69063b74f15d15",
            "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8",
            "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5"),
        Arguments.of("0000000000000000000000000000000000000000000000000000000000000001",
            "All those moments will be lost in time, like tears in rain. Time to die...",
            "38aa22d72376b4dbc472e06c3ba403ee0a394da63fc58d88686c611aba98d6b3",
            "8600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b",
            "547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21"),
        Arguments.of("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140", "Satoshi Nakamoto",
            "33a19b60e25fb6f4435af53a3d42d493644827367e6453928554f43e49aa6f90",
            "fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d0",
            "6b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed5"),
        Arguments.of("f8b8af8ce3c7cca5e300d33939540c10d45ce001b8f252bfbc57ba0342904181", "Alan Turing",
            "525a82b70e67874398067543fd84c83d30c175fdc45fdeee082fe13b1d7cfdf1",
            "7063ae83e7f62bbb171798131b4a0564b956930092b33b07b395615d9ec7e15c",
            "58dfcc1e00a35e1572f366ffe34ba0fc47db1e7189759b9fb233c5b05ab388ea"),
        Arguments.of("e91671c46231f833a6406ccbea0e3e392c76c167bac1cb013f6f1013980455c2",
            "There is a computer disease that anybody who works with computers knows about. It's a very serious "
                + "disease and it interferes completely with the work. The trouble with computers is that you "
                + "'play' with them!",
            "1f4b84c23a86a221d233f2521be018d9318639d5b8bbd6374a8a59232d16ad3d",
            "b552edd27580141f3b2a5463048cb7cd3e047b97c9f98076c32dbdf85a68718b",
            "279fa72dd19bfae05577e06c7c0c1900c371fcd5893f7e1d56a37d30174671f6"));
  }

  @ParameterizedTest
  @MethodSource("rfc6979Vectors")
  void withoutExtraEntropyTheNonceIsRfc6979s(String key, String message, String k, String r, String s) {
    BigInteger d = new BigInteger(key, 16);
    byte[] hash = sha256(message);

    assertEquals(new BigInteger(k, 16), new Rfc6979Nonces(N, d, hash, null).next());
    Secp256k1.RecoverableSignature signature = Secp256k1.signRecoverable(HEX.parseHex(key), hash, null);
    assertEquals(new BigInteger(r, 16), signature.r());
    assertEquals(new BigInteger(s, 16), signature.s());
    assertArrayEquals(Secp256k1.publicKeyOf(HEX.parseHex(key)),
        Secp256k1.recoverPublicKey(hash, signature.r(), signature.s(), signature.recoveryId()).orElseThrow());
  }

  @Test
  void emptyExtraEntropyIsNone() {
    assertEquals(SIGNATURE, Secp256k1.signRecoverable(KEY_ONE, HASH, new byte[0]));
  }

  @Test
  void extraEntropyGivesAnotherValidSignature() {
    Secp256k1.RecoverableSignature other = Secp256k1.signRecoverable(KEY_ONE, HASH, new byte[] {1});

    assertNotEquals(SIGNATURE.r(), other.r());
    assertNotEquals(other, Secp256k1.signRecoverable(KEY_ONE, HASH, new byte[] {2}));
    assertTrue(Secp256k1.verify(Secp256k1.publicKeyOf(KEY_ONE), HASH, compact(other)));
    assertArrayEquals(Secp256k1.publicKeyOf(KEY_ONE),
        Secp256k1.recoverPublicKey(HASH, other.r(), other.s(), other.recoveryId()).orElseThrow());
  }

  @Test
  void randomSignaturesVerifyAndRecoverTheirKeyOnlyWithTheirRecoveryId() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 40; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      byte[] hash = new byte[32];
      random.nextBytes(hash);
      byte[] extra = i % 2 == 0 ? null : new byte[] {(byte) i};
      byte[] publicKey = Secp256k1.publicKeyOf(key);

      Secp256k1.RecoverableSignature signature = Secp256k1.signRecoverable(key, hash, extra);

      assertTrue(signature.s().compareTo(N.shiftRight(1)) <= 0, "high s");
      assertTrue(Secp256k1.verify(publicKey, hash, compact(signature)));
      for (int recoveryId = 0; recoveryId < 4; recoveryId++) {
        Optional<byte[]> recovered = Secp256k1.recoverPublicKey(hash, signature.r(), signature.s(), recoveryId);
        if (recoveryId == signature.recoveryId()) {
          assertArrayEquals(publicKey, recovered.orElseThrow());
        } else {
          recovered.ifPresent(other -> assertFalse(Arrays.equals(publicKey, other)));
        }
      }
    }
  }

  @Test
  void recoveryIdBitOneRecoversFromTheNoncePointWhoseXIsRPlusN() {
    // Signing practically never makes such an R (x in [n, p) has probability about 2^-128), so the signature is
    // made the other way round: any point R with x >= n, any s, and Q = r^-1 (sR - eG) is the key that verifies
    // (r = x - n, s); recovery must find that Q.
    BigInteger c = BigInteger.ONE;
    while (!Secp256k1.isValidPublicKey(compressed(0x02, N.add(c)))) {
      c = c.add(BigInteger.ONE);
    }
    BigInteger s = BigInteger.valueOf(12345);

    byte[] key = Secp256k1.recoverPublicKey(HASH, c, s, 2).orElseThrow();

    assertTrue(Secp256k1.verify(key, HASH, compact(new Secp256k1.RecoverableSignature(c, s, 2))));
    Secp256k1.recoverPublicKey(HASH, c, s, 0).ifPresent(small -> assertFalse(Arrays.equals(key, small)));
  }

  @Test
  void recoveryRefusesWhatCannotBeASignature() {
    BigInteger r = SIGNATURE.r();
    BigInteger s = SIGNATURE.s();
    int id = SIGNATURE.recoveryId();

    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(HASH, BigInteger.ZERO, s, id));
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(HASH, N, s, id));
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(HASH, r.add(N), s, id));
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(HASH, r, BigInteger.ZERO, id));
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(HASH, r, N, id));
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(HASH, r, s.negate(), id));
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(HASH, r, s, -1));
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(HASH, r, s, 4));
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(null, r, s, id));
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(new byte[31], r, s, id));
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(new byte[33], r, s, id));
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(HASH, null, s, id));
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(HASH, r, null, id));
    // r + n at or past the field prime is no x coordinate.
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(HASH, P.subtract(N), s, 2));
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(HASH, N.subtract(BigInteger.ONE), s, 3));
  }

  @Test
  void recoveryRefusesAnRWithNoPointOnTheCurve() {
    BigInteger r = BigInteger.ONE;
    while (Secp256k1.isValidPublicKey(compressed(0x02, r))) {
      r = r.add(BigInteger.ONE);
    }
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(HASH, r, SIGNATURE.s(), 0));
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey(HASH, r, SIGNATURE.s(), 1));
  }

  @Test
  void recoveryOfRandomGarbageNeverThrows() {
    Random random = new Random(14);
    for (int i = 0; i < 200; i++) {
      byte[] hash = new byte[32];
      random.nextBytes(hash);
      BigInteger r = new BigInteger(256, random);
      BigInteger s = new BigInteger(256, random);
      Secp256k1.recoverPublicKey(hash, r, s, random.nextInt(4))
          .ifPresent(key -> assertTrue(Secp256k1.isValidPublicKey(key)));
    }
  }

  @Test
  void publicKeyOfKeyOneIsTheGenerator() {
    assertEquals("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
        HEX.formatHex(Secp256k1.publicKeyOf(KEY_ONE)));
  }

  @Test
  void privateKeysOutsideTheGroupAreRefused() {
    byte[] order = NodeKeyTest.scalar(N);

    assertFalse(Secp256k1.isValidPrivateKey(new byte[32]));
    assertFalse(Secp256k1.isValidPrivateKey(order));
    assertFalse(Secp256k1.isValidPrivateKey(new byte[31]));
    assertFalse(Secp256k1.isValidPrivateKey(null));
    assertTrue(Secp256k1.isValidPrivateKey(NodeKeyTest.scalar(N.subtract(BigInteger.ONE))));
    assertThrows(IllegalArgumentException.class, () -> Secp256k1.publicKeyOf(order));
    assertThrows(IllegalArgumentException.class, () -> Secp256k1.signRecoverable(new byte[32], HASH, null));
    assertThrows(IllegalArgumentException.class, () -> Secp256k1.signRecoverable(KEY_ONE, new byte[31], null));
  }

  @Test
  void recoveryIdsOutsideZeroToThreeAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new Secp256k1.RecoverableSignature(BigInteger.ONE, BigInteger.ONE, 4));
    assertThrows(IllegalArgumentException.class,
        () -> new Secp256k1.RecoverableSignature(BigInteger.ONE, BigInteger.ONE, -1));
  }

  private static byte[] compact(Secp256k1.RecoverableSignature signature) {
    byte[] out = new byte[64];
    System.arraycopy(NodeKeyTest.scalar(signature.r()), 0, out, 0, 32);
    System.arraycopy(NodeKeyTest.scalar(signature.s()), 0, out, 32, 32);
    return out;
  }

  private static byte[] compressed(int prefix, BigInteger x) {
    byte[] out = new byte[33];
    out[0] = (byte) prefix;
    System.arraycopy(NodeKeyTest.scalar(x), 0, out, 1, 32);
    return out;
  }

  private static byte[] sha256(String message) {
    return Secp256k1.sha256(message.getBytes(StandardCharsets.UTF_8));
  }
}
