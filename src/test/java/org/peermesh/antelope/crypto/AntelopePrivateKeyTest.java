package org.peermesh.antelope.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peermesh.crypto.Base58;
import org.peermesh.crypto.Secp256k1;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AntelopePrivateKey against the "k1" section of /work/shared/protocols/antelope-vectors.json (made with
 * @wharfkit/antelope 1.2.0: private key 0x11 x 32; hs_token = sha256 of the int64 LE time 1700000000000000000).
 */
class AntelopePrivateKeyTest {

  private static final HexFormat HEX = HexFormat.of();

  static final String PRIVATE_HEX = "11".repeat(32);
  static final String WIF = "5HwoXVkHoRM8sL2KmNRS217n1g8mPPBomrY7yehCuXC1115WWsh";
  static final String PVT_K1 = "PVT_K1_8WwpJCixn9cKe3jAyXvxNeo5JrBFKj43ULkUeTfeLMqJgFM2a";
  static final String PUB_K1 = "PUB_K1_7S7oY6Jrjzq8txrPmBwUhUmKzpN64835E7ura1HDDAVUsriHtC";
  static final String PUB_LEGACY = "EOS7S7oY6Jrjzq8txrPmBwUhUmKzpN64835E7ura1HDDAVUu3pzSs";
  static final String PUB_COMPRESSED_HEX = "034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa";
  static final String DIGEST_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  static final String SIG_ABC =
      "SIG_K1_KatZhRL3P78vCZtTGTH82diptnrCd2B6fgduCch6prJWdmYqyMZTb33qw8kR4sT7bUsiZhoUYm2vQZcrzknHDVPnSNeBP9";
  static final String SIG_ABC_ABI_HEX = "00202ef2cb9175c65aab623b317e355ed7563553ed81f98a353042d82ff04437bf30"
      + "02214ed117006badea4e62dd48cc6fa858bbdf486725f8d4dcd5b0bac35c62c8";
  static final String HS_TOKEN = "e1624f55eace539f6b8618b7fc3a34668f16cc7a1a709cc211f7282cd00766b0";
  static final String HS_SIG =
      "SIG_K1_Jv54tX2H5qjTMHDfc9kbs3iJsVGw5hRWA5HYwYXrfVhgMz9MAjq8jWE6esrow4tnisSxWPKG9fAX9ewKSJEqKw7C12WZbm";
  static final String HS_SIG_ABI_HEX = "001f063b7bded7a66b059d3364b7826a3089177c684d36bc55f877e40c43e8bc8c22"
      + "3893c3ea1d9400e80c4c7fe3fbc3d7b11fbeeecb9af3d87978d0585e8a851474";

  static final AntelopePrivateKey KEY = AntelopePrivateKey.parse(PVT_K1);

  @Test
  void wifAndPvtK1AreTheSameKey() {
    AntelopePrivateKey fromWif = AntelopePrivateKey.parse(WIF);

    assertEquals(KEY, fromWif);
    assertEquals(KEY.hashCode(), fromWif.hashCode());
    assertEquals(PVT_K1, fromWif.toSecretString());
    assertEquals(WIF, KEY.toWif());
  }

  @Test
  void theCompressedWifFormIsReadToo() {
    assertEquals(KEY, AntelopePrivateKey.parse(wif("80" + PRIVATE_HEX + "01")));
  }

  @Test
  void publicKeyInBothForms() {
    AntelopePublicKey publicKey = KEY.publicKey();

    assertEquals(PUB_K1, publicKey.toString());
    assertEquals(PUB_LEGACY, publicKey.toLegacyString());
    assertEquals(PUB_COMPRESSED_HEX, HEX.formatHex(publicKey.data()));
    assertEquals(KeyType.K1, publicKey.type());
  }

  @Test
  void signsAbcByteEqualToWharfkit() {
    byte[] digest = Secp256k1.sha256("abc".getBytes(StandardCharsets.US_ASCII));
    assertEquals(DIGEST_ABC, HEX.formatHex(digest));

    AntelopeSignature signature = KEY.signDigest(digest);

    assertEquals(SIG_ABC, signature.toString());
    assertEquals(SIG_ABC_ABI_HEX, abiHex(signature));
    assertEquals(PUB_K1, K1Signatures.recover(signature, digest).orElseThrow().toString());
  }

  @Test
  void signsTheHandshakeTokenByteEqualToWharfkit() {
    byte[] token = HEX.parseHex(HS_TOKEN);

    AntelopeSignature signature = KEY.signDigest(token);

    assertEquals(HS_SIG, signature.toString());
    assertEquals(HS_SIG_ABI_HEX, abiHex(signature));
    assertTrue(K1Signatures.verify(KEY.publicKey(), token, signature));
  }

  @Test
  void generatedKeysDifferAndSurviveTheirTextForms() {
    AntelopePrivateKey a = AntelopePrivateKey.generate();
    AntelopePrivateKey b = AntelopePrivateKey.generate();

    assertNotEquals(a, b);
    assertNotEquals(a.publicKey(), b.publicKey());
    assertEquals(a, AntelopePrivateKey.parse(a.toSecretString()));
    assertEquals(a, AntelopePrivateKey.parse(a.toWif()));
    assertTrue(a.toSecretString().startsWith("PVT_K1_"));
  }

  @Test
  void toStringShowsThePublicKeyOnly() {
    assertEquals("AntelopePrivateKey[" + PUB_K1 + "]", KEY.toString());
  }

  @Test
  void signDigestRefusesAnythingButA32ByteDigest() {
    assertThrows(IllegalArgumentException.class, () -> KEY.signDigest(new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> KEY.signDigest("abc".getBytes(StandardCharsets.US_ASCII)));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // PVT_K1 with its last character changed: the checksum no longer matches.
      "PVT_K1_8WwpJCixn9cKe3jAyXvxNeo5JrBFKj43ULkUeTfeLMqJgFM2b",
      // WIF with its last character changed.
      "5HwoXVkHoRM8sL2KmNRS217n1g8mPPBomrY7yehCuXC1115WWsi",
      "PVT_R1_8WwpJCixn9cKe3jAyXvxNeo5JrBFKj43ULkUeTfeLMqJgFM2a",
      "PVT_K1_",
      "PVT_K1_0OIl",
      "8WwpJCixn9cKe3jAyXvxNeo5JrBFKj43ULkUeTfeLMqJgFM2a",
      "",
      PUB_K1})
  void parseRefusesMalformedKeysWithoutQuotingThem(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AntelopePrivateKey.parse(text));

    if (text.length() > 16) {
      assertFalse(e.getMessage().contains(text.substring(8, 16)), e.getMessage());
    }
  }

  @Test
  void parseRefusesKeysOutsideTheGroup() {
    String zero = KeyText.encode("PVT", KeyType.K1, new byte[32]);
    String order = KeyText.encode("PVT", KeyType.K1,
        HEX.parseHex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"));

    assertThrows(IllegalArgumentException.class, () -> AntelopePrivateKey.parse(zero));
    assertThrows(IllegalArgumentException.class, () -> AntelopePrivateKey.parse(order));
    assertThrows(IllegalArgumentException.class, () -> AntelopePrivateKey.parse(wif("80" + "00".repeat(32))));
  }

  @Test
  void parseRefusesAWifWithAnotherVersionOrFlagByte() {
    for (String payload : new String[] {"ef" + PRIVATE_HEX, "80" + PRIVATE_HEX + "02"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> AntelopePrivateKey.parse(wif(payload)));

      assertEquals("not a WIF private key: wrong version or flag byte", e.getMessage());
    }
  }

  /** The WIF text of {@code payloadHex}: base58 of the payload and the first 4 bytes of its double SHA-256. */
  private static String wif(String payloadHex) {
    byte[] payload = HEX.parseHex(payloadHex);
    byte[] checksum = Arrays.copyOf(Secp256k1.sha256(Secp256k1.sha256(payload)), 4);
    byte[] all = Arrays.copyOf(payload, payload.length + checksum.length);
    System.arraycopy(checksum, 0, all, payload.length, checksum.length);
    return Base58.encode(all);
  }

  /** The signature as an ABI serializer writes it: the type as a varuint (one byte here), then the 65 bytes. */
  static String abiHex(AntelopeSignature signature) {
    return HEX.formatHex(new byte[] {(byte) signature.type().index()}) + HEX.formatHex(signature.data());
  }
}
