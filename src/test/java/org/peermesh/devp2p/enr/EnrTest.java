package org.peermesh.devp2p.enr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.peermesh.crypto.Keccak256;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpItem;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

/** The record of ethereum/devp2p enr.md ("Test Vectors"), byte for byte, and records refused with their kind. */
class EnrTest {

  private static final HexFormat HEX = HexFormat.of();
  /** enr.md: "signed using the v4 identity scheme using sequence number 1 and this private key". */
  private static final byte[] KEY = HEX.parseHex("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291");
  /** enr.md: the example record containing 127.0.0.1 and UDP port 30303. */
  private static final String EXAMPLE = "enr:-IS4QHCYrYZbAKWCBRlAy5zzaDZXJBGkcnh4MHcBFZntXNFrdvJjX04jRzjzCBOonrkTfj499"
      + "SZuOh8R33Ls8RRcy5wBgmlkgnY0gmlwhH8AAAGJc2VjcDI1NmsxoQPKY0yuDUmstAHYpMa2_oxVtw0RW_QAdpzBQA8yWM0xOIN1ZHCCdl8";
  private static final String EXAMPLE_NODE_ID = "a448f24c6d18e575453db13171562b71999873db5b286df957af199ec94617f7";
  private static final String EXAMPLE_SIGNATURE = "7098ad865b00a582051940cb9cf36836572411a47278783077011599ed5cd16b"
      + "76f2635f4e234738f30813a89eb9137e3e3df5266e3a1f11df72ecf1145ccb9c";

  @Test
  void theSpecExampleDecodesVerifiesAndReencodes() throws Exception {
    Enr record = Enr.fromText(EXAMPLE);
    assertTrue(record.verify());
    assertEquals(1, record.seq());
    assertEquals(List.of("id", "ip", "secp256k1", "udp"), List.copyOf(record.pairs().keySet()));
    assertEquals(RlpString.of("v4"), record.pairs().get("id"));
    assertArrayEquals(HEX.parseHex("03ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138"),
        ((RlpString) record.pairs().get("secp256k1")).bytes());
    assertArrayEquals(HEX.parseHex(EXAMPLE_SIGNATURE), record.signature());
    assertEquals(EXAMPLE_NODE_ID, HEX.formatHex(record.nodeId().orElseThrow()));
    assertArrayEquals(Secp256k1.publicKey64(KEY), record.publicKey64().orElseThrow());
    assertEquals(InetAddress.getByName("127.0.0.1"), record.ip().orElseThrow());
    assertEquals(OptionalInt.of(30303), record.udp());
    assertEquals(OptionalInt.empty(), record.tcp());
    assertEquals(EXAMPLE, record.toText());
    assertArrayEquals(Base64.getUrlDecoder().decode(EXAMPLE.substring(4)), record.encode());
    assertEquals(record, Enr.decode(record.encode()));
  }

  @Test
  void signingTheExamplesPairsGivesTheExampleByteForByte() throws Exception {
    // RFC 6979 nonces, as go-ethereum's libsecp256k1 signer uses: the same signature.
    Enr signed = Enr.sign(KEY, 1, Map.of("ip", RlpString.of(InetAddress.getByName("127.0.0.1").getAddress()),
        "udp", RlpString.of(30303)));
    assertEquals(EXAMPLE, signed.toText());
  }

  @Test
  void signedRecordsRoundTripWithIpv4AndIpv6() throws Exception {
    for (String ip : List.of("192.0.2.7", "2001:db8::7")) {
      Enr record = Enr.sign(KEY, 42, InetAddress.getByName(ip), 30303, 30301);
      assertTrue(record.verify());
      Enr decoded = Enr.fromText(record.toText());
      assertEquals(record, decoded);
      assertEquals(OptionalInt.of(30303), decoded.tcp());
      assertEquals(OptionalInt.of(30301), decoded.udp());
      assertArrayEquals(Keccak256.hash(Secp256k1.publicKey64(KEY)), decoded.nodeId().orElseThrow());
    }
  }

  @Test
  void aTamperedRecordIsRefused() {
    byte[] signatureChanged = Enr.fromText(EXAMPLE).encode();
    signatureChanged[10] ^= 1;
    assertKind("bad_signature", signatureChanged);
    Enr example = Enr.fromText(EXAMPLE);
    Map<String, RlpItem> otherPort = new LinkedHashMap<>(example.pairs());
    otherPort.put("udp", RlpString.of(30304));
    Enr forged = new Enr(1, otherPort, example.signature());
    assertFalse(forged.verify());
    assertKind("bad_signature", forged.encode());
    Enr otherSeq = new Enr(2, example.pairs(), example.signature());
    assertKind("bad_signature", otherSeq.encode());
  }

  @Test
  void recordsAbove300BytesAreRefused() {
    Map<String, RlpItem> pairs = Map.of("z", RlpString.of(new byte[300 - 150]));
    assertTrue(Enr.sign(KEY, 1, pairs).encode().length <= Enr.MAX_SIZE);
    EnrException tooLarge = assertThrows(EnrException.class,
        () -> Enr.sign(KEY, 1, Map.of("z", RlpString.of(new byte[300]))));
    assertEquals("too_large", tooLarge.kind());
    assertKind("too_large", new byte[Enr.MAX_SIZE + 1]);
    String longText = Enr.TEXT_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[301]);
    assertEquals("bad_text", assertThrows(EnrException.class, () -> Enr.fromText(longText)).kind());
  }

  @Test
  void everyTruncationIsRefused() {
    byte[] encoded = Enr.fromText(EXAMPLE).encode();
    for (int length = 0; length < encoded.length; length++) {
      byte[] truncated = Arrays.copyOf(encoded, length);
      assertEquals("bad_rlp", assertThrows(EnrException.class, () -> Enr.decode(truncated)).kind());
    }
  }

  @Test
  void malformedRecordsAreRefusedWithTheirKind() {
    Enr example = Enr.fromText(EXAMPLE);
    RlpList list = Rlp.decode(example.encode()).list("record");
    assertKind("bad_rlp", Arrays.copyOf(example.encode(), example.encode().length + 1)); // trailing byte
    assertKind("bad_shape", Rlp.encode(RlpList.of(list.get(0, "sig"))));
    assertKind("bad_shape", Rlp.encode(new RlpList(list.items().subList(0, 3))));
    List<RlpItem> swapped = new ArrayList<>(list.items());
    swapped.set(2, list.get(4, "k"));
    swapped.set(3, list.get(5, "v"));
    swapped.set(4, list.get(2, "k"));
    swapped.set(5, list.get(3, "v"));
    assertKind("unsorted_keys", Rlp.encode(new RlpList(swapped)));
    List<RlpItem> repeated = new ArrayList<>(list.items());
    repeated.set(4, list.get(2, "k"));
    assertKind("unsorted_keys", Rlp.encode(new RlpList(repeated)));
    List<RlpItem> v5 = new ArrayList<>(list.items());
    v5.set(3, RlpString.of("v5"));
    assertKind("unknown_scheme", Rlp.encode(new RlpList(v5)));
    assertEquals("bad_text", assertThrows(EnrException.class, () -> Enr.fromText("enode://x")).kind());
    assertEquals("bad_text", assertThrows(EnrException.class, () -> Enr.fromText(EXAMPLE + "=")).kind());
    assertEquals("bad_text", assertThrows(EnrException.class, () -> Enr.fromText(EXAMPLE + "*")).kind());
  }

  private static void assertKind(String kind, byte[] encoded) {
    EnrException e = assertThrows(EnrException.class, () -> Enr.decode(encoded));
    assertEquals(kind, e.kind(), e::detail);
  }
}
