package org.peermesh.devp2p.rlp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The strict and lenient readers and the writer on hand-made cases; the published vectors are in
 * {@link RlpVectorsTest}.
 */
class RlpTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void encodesStringsByLength() {
    assertEquals("80", hex(RlpString.EMPTY));
    assertEquals("00", hex(RlpString.of(new byte[] {0})));
    assertEquals("7f", hex(RlpString.of(new byte[] {0x7f})));
    assertEquals("8180", hex(RlpString.of(new byte[] {(byte) 0x80})));
    assertEquals("b7" + "61".repeat(55), hex(RlpString.of("a".repeat(55))));
    assertEquals("b838" + "61".repeat(56), hex(RlpString.of("a".repeat(56))));
    assertEquals("b90100" + "61".repeat(256), hex(RlpString.of("a".repeat(256))));
  }

  @Test
  void encodesListsByPayloadLength() {
    assertEquals("c0", hex(RlpList.EMPTY));
    assertEquals("c0", hex(RlpList.of()));
    assertEquals("f7" + "b6" + "61".repeat(54), hex(RlpList.of(RlpString.of("a".repeat(54)))));
    assertEquals("f838" + "b7" + "61".repeat(55), hex(RlpList.of(RlpString.of("a".repeat(55)))));
  }

  @Test
  void encodesIntegersMinimally() {
    assertEquals("80", hex(RlpString.of(0L)));
    assertEquals("01", hex(RlpString.of(1L)));
    assertEquals("820400", hex(RlpString.of(1024L)));
    assertEquals("88ffffffffffffffff", hex(RlpString.of(-1L)));
    assertEquals("887fffffffffffffff", hex(RlpString.of(Long.MAX_VALUE)));
    assertEquals("80", hex(RlpString.of(BigInteger.ZERO)));
    assertEquals("88ffffffffffffffff", hex(RlpString.of(new BigInteger("ffffffffffffffff", 16))));
    assertThrows(IllegalArgumentException.class, () -> RlpString.of(BigInteger.valueOf(-1)));
  }

  @Test
  void encodeToAppends() {
    Buffer buffer = Buffer.buffer().appendByte((byte) 0xaa);
    Rlp.encodeTo(RlpList.of(RlpString.of("dog")), buffer);
    assertEquals("aac483646f67", HEX.formatHex(buffer.getBytes()));
  }

  @Test
  void readsIntegersCanonically() {
    assertEquals(0, RlpString.EMPTY.asInt("zero"));
    assertEquals(1024, RlpString.of(1024L).asInt("port"));
    assertEquals(Integer.MAX_VALUE, RlpString.of((long) Integer.MAX_VALUE).asInt("max"));
    assertEquals(Long.MAX_VALUE, RlpString.of(Long.MAX_VALUE).asLong("max"));
    assertEquals(new BigInteger("ffffffffffffffff", 16), RlpString.of(-1L).asBigInteger("uint64"));

    assertKind("bad_integer", "port", () -> RlpString.of(new byte[] {0, 1}).asInt("port"));
    assertKind("bad_integer", "zero", () -> RlpString.of(new byte[] {0}).asLong("zero"));
    assertKind("bad_integer", "big", () -> RlpString.of(new byte[] {0, 1}).asBigInteger("big"));
    assertKind("bad_integer", "port", () -> RlpString.of(1L << 31).asInt("port"));
    assertKind("bad_integer", "expiration", () -> RlpString.of(-1L).asLong("expiration"));
  }

  @Test
  void readsTextStrictly() {
    assertEquals("größe 🚀", RlpString.of("größe 🚀").asString("name"));
    assertKind("bad_utf8", "clientId", () -> RlpString.of(new byte[] {(byte) 0xc3}).asString("clientId"));
    assertKind("bad_utf8", "clientId", () -> RlpString.of(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})
        .asString("clientId"));
  }

  @Test
  void stringsAreImmutableValues() {
    byte[] bytes = {1, 2, 3};
    RlpString string = RlpString.of(bytes);
    bytes[0] = 9;
    string.bytes()[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, string.bytes());
    assertEquals(RlpString.of(new byte[] {1, 2, 3}), string);
    assertEquals(RlpString.of(new byte[] {1, 2, 3}).hashCode(), string.hashCode());
    assertEquals("0x010203", string.toString());
    assertEquals(3, string.length());
  }

  @Test
  void listsReadTheirElementsByIndex() {
    RlpList list = RlpList.of(RlpString.of(4L), RlpList.of(RlpString.of("x")));
    assertEquals(2, list.size());
    assertEquals(4, list.string(0, "version").asInt("version"));
    assertEquals(RlpList.of(RlpString.of("x")), list.list(1, "caps"));
    assertEquals(RlpString.of(4L), list.get(0, "version"));

    assertKind("missing", "nodeId", () -> list.get(2, "nodeId"));
    assertKind("missing", "nodeId", () -> list.string(-1, "nodeId"));
    assertKind("not_a_string", "clientId", () -> list.string(1, "clientId"));
    assertKind("not_a_list", "caps", () -> list.list(0, "caps"));
  }

  @Test
  void listsCopyTheirItems() {
    List<RlpItem> items = new java.util.ArrayList<>(List.of(RlpString.of(1L)));
    RlpList list = new RlpList(items);
    items.add(RlpString.of(2L));
    assertEquals(1, list.size());
    assertThrows(UnsupportedOperationException.class, () -> list.items().add(RlpString.EMPTY));
  }

  @Test
  void decodesWhatItEncodes() {
    RlpList nested = RlpList.of(RlpString.EMPTY, RlpString.of(new byte[] {0}), RlpString.of(0x7fL),
        RlpString.of(0x80L), RlpList.of(), RlpList.of(RlpList.of(RlpString.of("a".repeat(300)))),
        RlpString.of("b".repeat(56)));
    assertEquals(nested, Rlp.decode(Rlp.encode(nested)));
  }

  @Test
  void refusesTrailingBytes() {
    assertKind("trailing_bytes", "", () -> Rlp.decode(HEX.parseHex("8300000000")));
    assertKind("trailing_bytes", "", () -> Rlp.decode(HEX.parseHex("c000")));
  }

  @Test
  void refusesNonCanonicalForms() {
    assertKind("non_canonical", "", () -> Rlp.decode(HEX.parseHex("8100")));
    assertKind("non_canonical", "", () -> Rlp.decode(HEX.parseHex("b80161")));
    assertKind("non_canonical", "", () -> Rlp.decode(HEX.parseHex("b837" + "61".repeat(55))));
    assertKind("non_canonical", "", () -> Rlp.decode(HEX.parseHex("b90038" + "61".repeat(56))));
    assertKind("non_canonical", "", () -> Rlp.decode(HEX.parseHex("f800")));
    assertKind("non_canonical", "", () -> Rlp.decode(HEX.parseHex("c28100")));
  }

  @Test
  void refusesLengthsBeyondTheInputBeforeAllocating() {
    assertKind("truncated", "", () -> Rlp.decode(new byte[0]));
    assertKind("truncated", "", () -> Rlp.decode(HEX.parseHex("bbffffffff")));
    assertKind("truncated", "", () -> Rlp.decode(HEX.parseHex("bf7fffffffffffffff")));
    assertKind("truncated", "", () -> Rlp.decode(HEX.parseHex("bfffffffffffffffff")));
    assertKind("truncated", "", () -> Rlp.decode(HEX.parseHex("ffffffffffffffffff")));
    assertKind("truncated", "", () -> Rlp.decode(HEX.parseHex("c3c3")));
    // An element that claims more than its list holds, though the input has the bytes.
    assertKind("truncated", "", () -> Rlp.decode(HEX.parseHex("c1820102")));
  }

  @Test
  void everyTruncationOfAValidEncodingIsRefused() {
    RlpList sample = RlpList.of(RlpString.of("dog"), RlpList.of(RlpString.of(1024L), RlpList.of()),
        RlpString.of("c".repeat(60)), RlpString.of(5L));
    byte[] encoding = Rlp.encode(sample);
    for (int length = 0; length < encoding.length; length++) {
      byte[] prefix = Arrays.copyOf(encoding, length);
      assertKind("truncated", "", () -> Rlp.decode(prefix));
      assertKind("truncated", "", () -> Rlp.decodePrefix(prefix, 0));
    }
  }

  @Test
  void nestsUpToTheDepthLimit() {
    assertEquals(Rlp.MAX_DEPTH, depth(Rlp.decode(nestedLists(Rlp.MAX_DEPTH))));
    assertKind("too_deep", "", () -> Rlp.decode(nestedLists(Rlp.MAX_DEPTH + 1)));
    assertKind("too_deep", "", () -> Rlp.decodePrefix(nestedLists(Rlp.MAX_DEPTH + 1), 0));
  }

  @Test
  void decodePrefixLeavesWhatFollowsToTheCaller() {
    byte[] body = Rlp.encode(RlpList.of(RlpString.of(4L), RlpString.of("x".repeat(60))));
    byte[] padded = Arrays.copyOf(body, body.length + 100);
    Arrays.fill(padded, body.length, padded.length, (byte) 0xff);
    Rlp.Decoded decoded = Rlp.decodePrefix(padded, 0);
    assertEquals(body.length, decoded.length());
    assertEquals(Rlp.decode(body), decoded.item());

    byte[] framed = HEX.parseHex("0000c3820400ffff");
    Rlp.Decoded fromOffset = Rlp.decodePrefix(framed, 2);
    assertEquals(4, fromOffset.length());
    assertEquals(RlpList.of(RlpString.of(1024L)), fromOffset.item());

    assertKind("truncated", "", () -> Rlp.decodePrefix(framed, framed.length));
    assertKind("non_canonical", "", () -> Rlp.decodePrefix(HEX.parseHex("810000"), 0));
    assertThrows(IndexOutOfBoundsException.class, () -> Rlp.decodePrefix(framed, framed.length + 1));
    assertThrows(IndexOutOfBoundsException.class, () -> Rlp.decodePrefix(framed, -1));
  }

  /**
   * EIP-8's Hello (ethereum/EIPs EIPS/eip-8.md, "devp2p Base Protocol"): version 55, client id, capabilities, port,
   * node id, then elements a version 5 reader does not know.
   */
  @Test
  void decodesEip8sHelloWithExtraElements() {
    byte[] hello = HEX.parseHex("f87137916b6e6574682f76302e39312f706c616e39cdc5836574683dc6846d6f726b1682270fb840"
        + "fda1cff674c90c9a197539fe3dfb53086ace64f83ed7c6eabec741f7f381cc803e52ab2cd55d5569"
        + "bce4347107a310dfd5f88a010cd2ffd1005ca406f1842877c883666f6f836261720304");
    RlpList list = Rlp.decode(hello).list("hello");
    assertEquals(55, list.string(0, "protocolVersion").asInt("protocolVersion"));
    assertEquals("kneth/v0.91/plan9", list.string(1, "clientId").asString("clientId"));
    RlpList capabilities = list.list(2, "capabilities");
    assertEquals("eth", capabilities.list(0, "capability").string(0, "name").asString("name"));
    assertEquals(61, capabilities.list(0, "capability").string(1, "version").asInt("version"));
    assertEquals("mork", capabilities.list(1, "capability").string(0, "name").asString("name"));
    assertEquals(9999, list.string(3, "listenPort").asInt("listenPort"));
    assertEquals(64, list.string(4, "nodeId").length());
    assertEquals(8, list.size());
    assertArrayEquals(hello, Rlp.encode(list));
  }

  /**
   * EIP-8's discv4 ping "with version 555, additional list elements and additional random data": the packet data
   * starts after the 32-byte hash, the 65-byte signature and the type byte, and random bytes follow it.
   */
  @Test
  void decodePrefixReadsEip8sPingBeforeItsRandomTail() {
    byte[] packet = HEX.parseHex("577be4349c4dd26768081f58de4c6f375a7a22f3f7adda654d1428637412c3d7fe917cadc56d4e5e"
        + "7ffae1dbe3efffb9849feb71b262de37977e7c7a44e677295680e9e38ab26bee2fcbae207fba3ff3"
        + "d74069a50b902a82c9903ed37cc993c50001f83e82022bd79020010db83c4d001500000000abcdef"
        + "12820cfa8215a8d79020010db885a308d313198a2e037073488208ae82823a8443b9a355c5010203"
        + "040531b9019afde696e582a78fa8d95ea13ce3297d4afb8ba6433e4154caa5ac6431af1b80ba7602"
        + "3fa4090c408f6b4bc3701562c031041d4702971d102c9ab7fa5eed4cd6bab8f7af956f7d565ee191"
        + "7084a95398b6a21eac920fe3dd1345ec0a7ef39367ee69ddf092cbfe5b93e5e568ebc491983c09c7"
        + "6d922dc3");
    int dataStart = 32 + 65 + 1;
    Rlp.Decoded decoded = Rlp.decodePrefix(packet, dataStart);
    assertEquals(2 + 0x3e, decoded.length());
    RlpList ping = decoded.item().list("ping");
    assertEquals(555, ping.string(0, "version").asInt("version"));
    assertEquals(16, ping.list(1, "from").string(0, "ip").length());
    assertEquals(3322, ping.list(1, "from").string(1, "udp").asInt("udp"));
    assertEquals(1136239445L, ping.string(3, "expiration").asLong("expiration"));
    assertEquals(5, ping.size());
    byte[] data = Arrays.copyOfRange(packet, dataStart, packet.length);
    assertKind("trailing_bytes", "", () -> Rlp.decode(data));
  }

  @Test
  void itemsTellTheirShape() {
    RlpItem string = RlpString.of("x");
    RlpItem list = RlpList.of(string);
    assertEquals(string, string.string("name"));
    assertEquals(list, list.list("body"));
    assertKind("not_a_list", "body", () -> string.list("body"));
    assertKind("not_a_string", "name", () -> list.string("name"));
  }

  static byte[] nestedLists(int depth) {
    RlpItem item = RlpList.of();
    for (int i = 1; i < depth; i++) {
      item = RlpList.of(item);
    }
    return Rlp.encode(item);
  }

  private static int depth(RlpItem item) {
    int depth = 0;
    while (item instanceof RlpList list) {
      depth++;
      item = list.size() == 0 ? null : list.get(0, "inner");
    }
    return depth;
  }

  private static String hex(RlpItem item) {
    return HEX.formatHex(Rlp.encode(item));
  }

  static void assertKind(String kind, String inDetail, org.junit.jupiter.api.function.Executable decoding) {
    RlpException e = assertThrows(RlpException.class, decoding);
    assertEquals(kind, e.kind(), e::detail);
    if (!e.detail().contains(inDetail)) {
      throw new AssertionError("detail \"" + e.detail() + "\" does not name " + inDetail);
    }
  }
}
