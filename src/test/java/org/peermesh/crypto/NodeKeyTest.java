package org.peermesh.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeKeyTest {

  private static final HexFormat HEX = HexFormat.of();

  static final BigInteger N =
      new BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);
  static final String ONE = "0000000000000000000000000000000000000000000000000000000000000001";
  static final String N_MINUS_ONE = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140";

  /**
   * Deterministic ECDSA (RFC 6979, HMAC-SHA256) on secp256k1 over SHA-256(message), s in low-s form.
   *
   * <p>The first five were published in https://bitcointalk.org/index.php?topic=285142.msg3150733 (the thread
   * lists s in high-s form for some; these are the low-s forms), the other seven come from Haskoin's test suite.
   * Together they are the set in trezor-crypto's tests/test_check.c, CoreBitcoin and breadwallet's BRKey tests.
   */
  static Stream<Arguments> rfc6979Vectors() {
    return Stream.of(
        Arguments.of(ONE, "Satoshi Nakamoto",
            "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8",
            "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5"),
        Arguments.of(ONE, "All those moments will be lost in time, like tears in rain. Time to die...",
            "8600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b",
            "547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21"),
        Arguments.of(N_MINUS_ONE, "Satoshi Nakamoto",
            "fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d0",
            "6b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed5"),
        Arguments.of("f8b8af8ce3c7cca5e300d33939540c10d45ce001b8f252bfbc57ba0342904181", "Alan Turing",
            "7063ae83e7f62bbb171798131b4a0564b956930092b33b07b395615d9ec7e15c",
            "58dfcc1e00a35e1572f366ffe34ba0fc47db1e7189759b9fb233c5b05ab388ea"),
        Arguments.of("e91671c46231f833a6406ccbea0e3e392c76c167bac1cb013f6f1013980455c2",
            "There is a computer disease that anybody who works with computers knows about. It's a very serious"
                + " disease and it interferes completely with the work. The trouble with computers is that you"
                + " 'play' with them!",
            "b552edd27580141f3b2a5463048cb7cd3e047b97c9f98076c32dbdf85a68718b",
            "279fa72dd19bfae05577e06c7c0c1900c371fcd5893f7e1d56a37d30174671f6"),
        Arguments.of(ONE, "Everything should be made as simple as possible, but not simpler.",
            "33a69cd2065432a30f3d1ce4eb0d59b8ab58c74f27c41a7fdb5696ad4e6108c9",
            "6f807982866f785d3f6418d24163ddae117b7db4d5fdf0071de069fa54342262"),
        Arguments.of(N_MINUS_ONE,
            "Equations are more important to me, because politics is for the present, but an equation is something"
                + " for eternity.",
            "54c4a33c6423d689378f160a7ff8b61330444abb58fb470f96ea16d99d4a2fed",
            "07082304410efa6b2943111b6a4e0aaa7b7db55a07e9861d1fb3cb1f421044a5"),
        Arguments.of(N_MINUS_ONE,
            "Not only is the Universe stranger than we think, it is stranger than we can think.",
            "ff466a9f1b7b273e2f4c3ffe032eb2e814121ed18ef84665d0f515360dab3dd0",
            "6fc95f5132e5ecfdc8e5e6e616cc77151455d46ed48f5589b7db7771a332b283"),
        Arguments.of(ONE,
            "How wonderful that we have met with a paradox. Now we have some hope of making progress.",
            "c0dafec8251f1d5010289d210232220b03202cba34ec11fec58b3e93a85b91d3",
            "75afdc06b7d6322a590955bf264e7aaa155847f614d80078a90292fe205064d3"),
        Arguments.of("69ec59eaa1f4f2e36b639716b7c30ca86d9a5375c7b38d8918bd9c0ebc80ba64",
            "Computer science is no more about computers than astronomy is about telescopes.",
            "7186363571d65e084e7f02b0b77c3ec44fb1b257dee26274c38c928986fea45d",
            "0de0b38e06807e46bda1f1e293f4f6323e854c86d58abdd00c46c16441085df6"),
        Arguments.of("00000000000000000000000000007246174ab1e92e9149c6e446fe194d072637",
            "...if you aren't, at any given time, scandalized by code you wrote five or even three years ago, you're"
                + " not learning anywhere near enough",
            "fbfe5076a15860ba8ed00e75e9bd22e05d230f02a936b653eb55b61c99dda487",
            "0e68880ebb0050fe4312b1b1eb0899e1b82da89baa5b895f612619edf34cbd37"),
        Arguments.of("000000000000000000000000000000000000000000056916d0f9b31dc9b637f3",
            "The question of whether computers can think is like the question of whether submarines can swim.",
            "cde1302d83f8dd835d89aef803c74a119f561fbaef3eb9129e45f30de86abbf9",
            "06ce643f5049ee1f27890467b77a6a8e11ec4661cc38cd8badf90115fbd03cef"));
  }

  @ParameterizedTest
  @MethodSource("rfc6979Vectors")
  void signMatchesPublishedDeterministicVector(String privateKey, String message, String r, String s) {
    NodeKey key = NodeKey.fromPrivateKey(HEX.parseHex(privateKey));
    byte[] hash = Secp256k1.sha256(message.getBytes(StandardCharsets.UTF_8));

    byte[] signature = key.sign(hash);

    assertEquals(r + s, HEX.formatHex(signature));
    assertTrue(Secp256k1.verify(key.publicKey(), hash, signature));
  }

  @Test
  void signNormalisesTheHighSFormOfAPublishedVector() {
    // The same vector's high-s form, as published in the bitcointalk thread before low-s became the rule.
    String highS = "dbbd3162d46e9f9bef7feb87c16dc13b4f6568a87f4e83f728e2443ba586675c";
    String lowS = "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5";
    assertEquals(new BigInteger(lowS, 16), N.subtract(new BigInteger(highS, 16)));

    byte[] signature = NodeKey.fromPrivateKey(HEX.parseHex(ONE))
        .sign(Secp256k1.sha256("Satoshi Nakamoto".getBytes(StandardCharsets.UTF_8)));

    assertEquals(lowS, HEX.formatHex(signature, 32, 64));
  }

  @Test
  void publicKeyOfOneIsTheCompressedGenerator() {
    assertEquals("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
        HEX.formatHex(NodeKey.fromPrivateKey(HEX.parseHex(ONE)).publicKey()));
  }

  @Test
  void publicKeysOfSmallMultiplesAndOfMinusOne() {
    assertEquals("02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5",
        HEX.formatHex(NodeKey.fromPrivateKey(scalar(2)).publicKey()));
    assertEquals("02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9",
        HEX.formatHex(NodeKey.fromPrivateKey(scalar(3)).publicKey()));
    // -G has G's x and the other y, whose parity flips because p is odd.
    assertEquals("0379be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
        HEX.formatHex(NodeKey.fromPrivateKey(HEX.parseHex(N_MINUS_ONE)).publicKey()));
  }

  @Test
  void publicKeyReturnsACopy() {
    NodeKey key = NodeKey.fromPrivateKey(HEX.parseHex(ONE));
    key.publicKey()[1] ^= 1;
    assertEquals("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
        HEX.formatHex(key.publicKey()));
  }

  @Test
  void peerIdIsDerivedFromThePublicKey() {
    NodeKey key = NodeKey.generate();
    assertEquals(PeerId.fromPublicKey(key.publicKey()), key.peerId());
  }

  @Test
  void privateKeyBytesRoundTrip() {
    byte[] d = HEX.parseHex("e91671c46231f833a6406ccbea0e3e392c76c167bac1cb013f6f1013980455c2");
    assertArrayEquals(d, NodeKey.fromPrivateKey(d).privateKeyBytes());
    assertArrayEquals(HEX.parseHex(ONE), NodeKey.fromPrivateKey(HEX.parseHex(ONE)).privateKeyBytes());
  }

  @Test
  void fromPrivateKeyRejectsZeroAndScalarsNotBelowTheOrder() {
    assertThrows(IllegalArgumentException.class, () -> NodeKey.fromPrivateKey(new byte[32]));
    assertThrows(IllegalArgumentException.class, () -> NodeKey.fromPrivateKey(scalar(N)));
    assertThrows(IllegalArgumentException.class, () -> NodeKey.fromPrivateKey(scalar(N.add(BigInteger.ONE))));
    byte[] allOnes = new byte[32];
    Arrays.fill(allOnes, (byte) 0xff);
    assertThrows(IllegalArgumentException.class, () -> NodeKey.fromPrivateKey(allOnes));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 31, 33, 64})
  void fromPrivateKeyRejectsWrongLengths(int length) {
    byte[] d = new byte[length];
    if (length > 0) {
      d[length - 1] = 1;
    }
    assertThrows(IllegalArgumentException.class, () -> NodeKey.fromPrivateKey(d));
  }

  @Test
  void fromPrivateKeyErrorsDoNotEchoTheKey() {
    byte[] tooLong = new byte[33];
    Arrays.fill(tooLong, (byte) 0xab);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeKey.fromPrivateKey(tooLong));
    assertFalse(e.getMessage().contains("abab"), e.getMessage());
    assertFalse(e.getMessage().contains("-85"), e.getMessage());
  }

  @Test
  void toStringShowsOnlyThePeerId() {
    String privateHex = "e91671c46231f833a6406ccbea0e3e392c76c167bac1cb013f6f1013980455c2";
    NodeKey key = NodeKey.fromPrivateKey(HEX.parseHex(privateHex));

    String text = key.toString();

    assertEquals("NodeKey[peerId=" + key.peerId() + "]", text);
    assertFalse(text.toLowerCase().contains(privateHex.substring(0, 8)), text);
    assertFalse(text.contains(new BigInteger(privateHex, 16).toString()), text);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 20, 31, 33, 64})
  void signRejectsAnythingButA32ByteHash(int length) {
    NodeKey key = NodeKey.generate();
    assertThrows(IllegalArgumentException.class, () -> key.sign(new byte[length]));
  }

  @Test
  void generatedKeysAreDistinctAndSignVerifiableLowSSignatures() {
    Set<PeerId> ids = new HashSet<>();
    BigInteger halfOrder = N.shiftRight(1);
    for (int i = 0; i < 32; i++) {
      NodeKey key = NodeKey.generate();
      assertTrue(ids.add(key.peerId()), "duplicate key generated");
      assertTrue(Secp256k1.isValidPublicKey(key.publicKey()));

      byte[] hash = Secp256k1.sha256(("message " + i).getBytes(StandardCharsets.UTF_8));
      byte[] signature = key.sign(hash);

      assertEquals(64, signature.length);
      // Half of raw ECDSA signatures are high-s, so 32 low-s ones in a row means normalisation happened.
      BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
      assertTrue(s.compareTo(halfOrder) <= 0, "high-s signature produced");
      assertTrue(Secp256k1.verify(key.publicKey(), hash, signature));
      assertArrayEquals(signature, key.sign(hash), "signing is not deterministic");
    }
  }

  static byte[] scalar(long value) {
    return scalar(BigInteger.valueOf(value));
  }

  static byte[] scalar(BigInteger value) {
    byte[] out = new byte[32];
    byte[] raw = value.toByteArray();
    int length = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - length, out, 32 - length, length);
    return out;
  }
}
