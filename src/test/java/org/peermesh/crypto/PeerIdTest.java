package org.peermesh.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerIdTest {

  private static final HexFormat HEX = HexFormat.of();

  private static final byte[] GENERATOR =
      HEX.parseHex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  /** First 20 bytes of SHA-256 of the compressed generator, computed with Python's hashlib. */
  private static final String GENERATOR_PEER_ID = "0f715baf5d4c2ed329785cef29e562f73488c8a2";

  @Test
  void derivationIsStableForAFixedKey() throws NoSuchAlgorithmException {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(GENERATOR);
    String independent = HEX.formatHex(Arrays.copyOf(digest, 20));

    PeerId id = NodeKey.fromPrivateKey(NodeKeyTest.scalar(1)).peerId();

    assertEquals(independent, id.toString());
    assertEquals(GENERATOR_PEER_ID, id.toString());
    assertEquals(PeerId.fromPublicKey(GENERATOR), id);
  }

  @Test
  void derivationMatchesMessageDigestForGeneratedKeys() throws NoSuchAlgorithmException {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < 8; i++) {
      NodeKey key = NodeKey.generate();
      byte[] expected = Arrays.copyOf(sha256.digest(key.publicKey()), 20);
      assertArrayEquals(expected, key.peerId().bytes());
    }
  }

  @Test
  void fromPublicKeyRejectsInvalidKeys() {
    assertThrows(IllegalArgumentException.class, () -> PeerId.fromPublicKey(new byte[33]));
    assertThrows(IllegalArgumentException.class, () -> PeerId.fromPublicKey(Arrays.copyOf(GENERATOR, 32)));
    assertThrows(IllegalArgumentException.class, () -> PeerId.fromPublicKey(HEX.parseHex(
        "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")));
  }

  @Test
  void parseRoundTrips() {
    PeerId id = PeerId.fromPublicKey(GENERATOR);

    PeerId parsed = PeerId.parse(id.toString());

    assertEquals(id, parsed);
    assertEquals(id.hashCode(), parsed.hashCode());
    assertEquals(GENERATOR_PEER_ID, parsed.toString());
    assertArrayEquals(HEX.parseHex(GENERATOR_PEER_ID), parsed.bytes());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "0f715baf5d4c2ed329785cef29e562f73488c8a",
      "0f715baf5d4c2ed329785cef29e562f73488c8a20",
      "0F715BAF5D4C2ED329785CEF29E562F73488C8A2",
      "0f715baf5d4c2ed329785cef29e562f73488c8aG",
      "0x715baf5d4c2ed329785cef29e562f73488c8a2",
      " 0f715baf5d4c2ed329785cef29e562f73488c8a",
      "0f715baf5d4c2ed329785cef29e562f73488c8-2"})
  void parseRejectsAnythingButFortyLowercaseHexCharacters(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerId.parse(text));
    assertTrue(e.getMessage().contains("peer id must be 40 lowercase hex characters"), e.getMessage());
  }

  @Test
  void parseNamesTheProblem() {
    assertEquals("peer id must be 40 lowercase hex characters, got 39 characters",
        assertThrows(IllegalArgumentException.class,
            () -> PeerId.parse("0f715baf5d4c2ed329785cef29e562f73488c8a")).getMessage());
    assertEquals("peer id must be 40 lowercase hex characters, found a different character at index 39",
        assertThrows(IllegalArgumentException.class,
            () -> PeerId.parse("0f715baf5d4c2ed329785cef29e562f73488c8aG")).getMessage());
  }

  @Test
  void bytesReturnsACopy() {
    PeerId id = PeerId.parse(GENERATOR_PEER_ID);
    id.bytes()[0] ^= 1;
    assertEquals(GENERATOR_PEER_ID, id.toString());
  }

  @Test
  void equalityIsByValue() {
    PeerId a = PeerId.parse(GENERATOR_PEER_ID);
    assertEquals(a, PeerId.parse(GENERATOR_PEER_ID));
    assertNotEquals(a, PeerId.parse("0f715baf5d4c2ed329785cef29e562f73488c8a3"));
    assertNotEquals(a, GENERATOR_PEER_ID);
  }

  @Test
  void orderIsUnsignedByteOrderLikeTheHex() {
    List<String> hex = List.of(
        "ff00000000000000000000000000000000000000",
        "0000000000000000000000000000000000000001",
        "8000000000000000000000000000000000000000",
        "7fffffffffffffffffffffffffffffffffffffff",
        "0000000000000000000000000000000000000000");
    List<PeerId> ids = new ArrayList<>(hex.stream().map(PeerId::parse).toList());

    ids.sort(null);

    assertEquals(hex.stream().sorted().toList(), ids.stream().map(PeerId::toString).toList());
    assertEquals("0000000000000000000000000000000000000000", ids.get(0).toString());
    assertEquals("ff00000000000000000000000000000000000000", ids.get(4).toString());
    assertEquals(0, ids.get(2).compareTo(PeerId.parse("7fffffffffffffffffffffffffffffffffffffff")));
  }
}
