package org.peermesh.devp2p.discovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.devp2p.discovery.Discv4Vectors.EXPIRATION;
import static org.peermesh.devp2p.discovery.Discv4Vectors.KEY_A;
import static org.peermesh.devp2p.discovery.Discv4Vectors.KEY_B;
import static org.peermesh.devp2p.discovery.Discv4Vectors.hex;
import static org.peermesh.devp2p.discovery.Discv4Vectors.ip;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.peermesh.crypto.Keccak256;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

/**
 * The published discv4 datagrams (EIP-8's five, go-ethereum's v4wire_test.go) decode to the packets they were made
 * of, from key B; our packets round-trip; and bad datagrams are refused with the right kind.
 */
class Discv4PacketsTest {

  private static final NodeId SENDER_B = NodeId.ofPrivateKey(KEY_B);
  private static final Endpoint FROM_V4 = new Endpoint(ip("127.0.0.1"), 3322, 5544);
  private static final Endpoint TO_V6_LOCAL = new Endpoint(ip("::1"), 2222, 3333);
  private static final Endpoint FROM_V6 = new Endpoint(ip("2001:db8:3c4d:15::abcd:ef12"), 3322, 5544);
  private static final Endpoint TO_V6 = new Endpoint(ip("2001:db8:85a3:8d3:1319:8a2e:370:7348"), 2222, 33338);

  private static Discv4Packet decodePublished(String hex) {
    byte[] datagram = hex(hex);
    Discv4Packets.Decoded decoded = Discv4Packets.decode(datagram);
    assertEquals(SENDER_B, decoded.sender());
    assertArrayEquals(Arrays.copyOf(datagram, 32), decoded.hash());
    return decoded.packet();
  }

  @Test
  void eip8PingWithVersion4AndExtraElementsCarriesEnrSeq1() {
    assertEquals(new PingPacket(4, FROM_V4, TO_V6_LOCAL, EXPIRATION, OptionalLong.of(1)),
        decodePublished(Discv4Vectors.PING_V4));
  }

  @Test
  void eip8PingWithVersion555ListsAndTrailingDataIsAccepted() {
    assertEquals(new PingPacket(555, FROM_V6, TO_V6, EXPIRATION, OptionalLong.empty()),
        decodePublished(Discv4Vectors.PING_V555));
  }

  @Test
  void eip8PongWithExtraElementsAndTrailingData() {
    assertEquals(new PongPacket(TO_V6, hex("fbc914b16819237dcd8801d7e53f69e9719adecb3cc0e790c57e91ca4461c954"),
        EXPIRATION, OptionalLong.empty()), decodePublished(Discv4Vectors.PONG));
  }

  @Test
  void eip8FindNode() {
    assertEquals(new FindNodePacket(NodeId.fromHex("ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138"
        + "7574077f301b421bc84df7266c44e9e6d569fc56be00812904767bf5ccd1fc7f"), EXPIRATION),
        decodePublished(Discv4Vectors.FIND_NODE));
  }

  @Test
  void eip8Neighbors() {
    // The nodes as go-ethereum's v4wire_test.go lists them.
    List<Neighbor> nodes = List.of(
        new Neighbor(ip("99.33.22.55"), 4444, 4445, NodeId.fromHex("3155e1427f85f10a5c9a7755877748041af1bcd8d474ec06"
            + "5eb33df57a97babf54bfd2103575fa829115d224c523596b401065a97f74010610fce76382c0bf32")),
        new Neighbor(ip("1.2.3.4"), 1, 1, NodeId.fromHex("312c55512422cf9b8a4097e9a6ad79402e87a15ae909a4bfefa22398f03d"
            + "20951933beea1e4dfa6f968212385e829f04c2d314fc2d4e255e0d3bc08792b069db")),
        new Neighbor(ip("2001:db8:3c4d:15::abcd:ef12"), 3333, 3333, NodeId.fromHex("38643200b172dcfef857492156971f0e6a"
            + "a2c538d8b74010f8e140811d53b98c765dd2d96126051913f44582e8c199ad7c6d6819e9a56483f637feaac9448aac")),
        new Neighbor(ip("2001:db8:85a3:8d3:1319:8a2e:370:7348"), 999, 1000, NodeId.fromHex("8dcab8618c3253b558d459da"
            + "53bd8fa68935a719aff8b811197101a4b2b47dd2d47295286fc00cc081bb542d760717d1bdd6bec2c37cd72eca367d6dd3b9df73")));
    assertEquals(new NeighborsPacket(nodes, EXPIRATION), decodePublished(Discv4Vectors.NEIGHBORS));
  }

  @Test
  void gethPingWithoutExtras() {
    assertEquals(new PingPacket(4, FROM_V4, TO_V6_LOCAL, EXPIRATION, OptionalLong.empty()),
        decodePublished(Discv4Vectors.GETH_PING));
  }

  static List<Discv4Packet> samples() {
    return Discv4Vectors.samples();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void everyPacketTypeRoundTrips(Discv4Packet packet) {
    byte[] datagram = Discv4Packets.encode(packet, KEY_A);
    assertTrue(datagram.length <= Discv4Packets.MAX_PACKET_SIZE, () -> datagram.length + " bytes");
    Discv4Packets.Decoded decoded = Discv4Packets.decode(datagram);
    assertEquals(packet, decoded.packet());
    assertEquals(packet.hashCode(), decoded.packet().hashCode());
    assertEquals(NodeId.ofPrivateKey(KEY_A), decoded.sender());
    assertArrayEquals(Keccak256.hash(Arrays.copyOfRange(datagram, 32, datagram.length)), decoded.hash());
    assertArrayEquals(datagram, Discv4Packets.encode(packet, KEY_A), "deterministic signatures");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void everyTruncationOfTheDataIsRefused(Discv4Packet packet) {
    byte[] data = Rlp.encode(packet.toRlp());
    for (int length = 0; length < data.length; length++) {
      byte[] datagram = signed(packet.type(), Arrays.copyOf(data, length), KEY_A);
      Discv4Exception e = assertThrows(Discv4Exception.class, () -> Discv4Packets.decode(datagram));
      assertEquals(length == 0 ? "truncated" : "bad_rlp", e.kind(), e::detail);
    }
  }

  @Test
  void everyTruncationOfThePublishedDatagramsIsRefused() {
    for (String vector : Discv4Vectors.published()) {
      byte[] datagram = hex(vector);
      for (int length = 0; length < datagram.length; length++) {
        byte[] truncated = Arrays.copyOf(datagram, length);
        Discv4Exception e = assertThrows(Discv4Exception.class, () -> Discv4Packets.decode(truncated));
        assertTrue(e.kind().equals("truncated") || e.kind().equals("bad_hash"), e::detail);
      }
    }
  }

  @Test
  void aDatagramAbove1280BytesIsRefusedAndOneOf1280WithTrailingDataIsRead() {
    byte[] data = Rlp.encode(new EnrRequestPacket(EXPIRATION).toRlp());
    byte[] padded = Arrays.copyOf(data, Discv4Packets.MAX_PACKET_SIZE - Discv4Packets.HEADER_LENGTH);
    assertEquals(new EnrRequestPacket(EXPIRATION), Discv4Packets.decode(signed(5, padded, KEY_A)).packet());
    byte[] tooLong = signed(5, Arrays.copyOf(padded, padded.length + 1), KEY_A);
    assertEquals("too_large", assertThrows(Discv4Exception.class, () -> Discv4Packets.decode(tooLong)).kind());
  }

  @Test
  void aBadHashIsRefused() {
    byte[] datagram = hex(Discv4Vectors.PING_V4);
    datagram[5] ^= 1;
    assertEquals("bad_hash", assertThrows(Discv4Exception.class, () -> Discv4Packets.decode(datagram)).kind());
    byte[] changedData = hex(Discv4Vectors.PING_V4);
    changedData[changedData.length - 1] ^= 1;
    assertEquals("bad_hash", assertThrows(Discv4Exception.class, () -> Discv4Packets.decode(changedData)).kind());
  }

  @Test
  void aSignatureFromWhichNoKeyRecoversIsRefused() {
    byte[] datagram = hex(Discv4Vectors.GETH_PING);
    Arrays.fill(datagram, 32, 64, (byte) 0); // r = 0
    rehash(datagram);
    assertEquals("bad_signature", assertThrows(Discv4Exception.class, () -> Discv4Packets.decode(datagram)).kind());
  }

  @Test
  void aChangedSignatureGivesAnotherSender() {
    byte[] datagram = hex(Discv4Vectors.GETH_PING);
    datagram[32 + 64] ^= 1; // the other recovery id
    rehash(datagram);
    assertFalse(SENDER_B.equals(Discv4Packets.decode(datagram).sender()));
  }

  @Test
  void unknownTypesAndBadFieldsAreRefusedWithTheirKind() {
    byte[] request = Rlp.encode(new EnrRequestPacket(EXPIRATION).toRlp());
    assertKind("unknown_type", signed(7, request, KEY_A));
    assertKind("unknown_type", signed(0, request, KEY_A));
    RlpList endpoint3ByteIp = RlpList.of(RlpString.of(new byte[3]), RlpString.of(1), RlpString.of(2));
    RlpList goodEndpoint = WireFields.endpoint(FROM_V4);
    assertKind("bad_ip", signed(1, Rlp.encode(RlpList.of(RlpString.of(4), endpoint3ByteIp, goodEndpoint,
        RlpString.of(EXPIRATION))), KEY_A));
    RlpList port65536 = RlpList.of(RlpString.of(new byte[4]), RlpString.of(65536), RlpString.of(2));
    assertKind("bad_port", signed(1, Rlp.encode(RlpList.of(RlpString.of(4), goodEndpoint, port65536,
        RlpString.of(EXPIRATION))), KEY_A));
    assertKind("bad_length", signed(3, Rlp.encode(RlpList.of(RlpString.of(new byte[63]), RlpString.of(EXPIRATION))),
        KEY_A));
    assertKind("bad_length", signed(2, Rlp.encode(RlpList.of(goodEndpoint, RlpString.of(new byte[31]),
        RlpString.of(EXPIRATION))), KEY_A));
    assertKind("bad_rlp", signed(5, Rlp.encode(RlpString.of(EXPIRATION)), KEY_A));
    assertKind("bad_rlp", signed(5, Rlp.encode(RlpList.of(RlpString.of(new byte[9]))), KEY_A));
    assertKind("bad_enr", signed(6, Rlp.encode(RlpList.of(RlpString.of(new byte[32]),
        RlpList.of(RlpString.of(new byte[64]), RlpString.of(1)))), KEY_A));
  }

  @Test
  void twelveIpv6NeighborsFitAndThirteenAreNotSent() {
    List<Neighbor> nodes = IntStream.range(0, NeighborsPacket.MAX_NODES + 1)
        .mapToObj(i -> new Neighbor(ip("2001:db8::1"), 65535, 65535, Discv4Vectors.node(i))).toList();
    byte[] twelve = Discv4Packets.encode(new NeighborsPacket(nodes.subList(0, 12), Long.MAX_VALUE), KEY_A);
    assertTrue(twelve.length <= Discv4Packets.MAX_PACKET_SIZE, () -> twelve.length + " bytes");
    assertThrows(IllegalArgumentException.class,
        () -> Discv4Packets.encode(new NeighborsPacket(nodes, EXPIRATION), KEY_A));
  }

  @Test
  void expiration() {
    assertFalse(Discv4Packets.isExpired(EXPIRATION, EXPIRATION));
    assertTrue(Discv4Packets.isExpired(EXPIRATION, EXPIRATION + 1));
    assertFalse(Discv4Packets.isExpired(EXPIRATION + 20, EXPIRATION));
  }

  private static void assertKind(String kind, byte[] datagram) {
    Discv4Exception e = assertThrows(Discv4Exception.class, () -> Discv4Packets.decode(datagram));
    assertEquals(kind, e.kind(), e::detail);
  }

  /** A datagram of any type and data bytes, hashed and signed as the format says (independent of the encoder). */
  static byte[] signed(int type, byte[] data, byte[] key) {
    byte[] typeAndData = new byte[1 + data.length];
    typeAndData[0] = (byte) type;
    System.arraycopy(data, 0, typeAndData, 1, data.length);
    Secp256k1.RecoverableSignature signature = Secp256k1.signRecoverable(key, Keccak256.hash(typeAndData), null);
    byte[] datagram = new byte[32 + 65 + typeAndData.length];
    BigIntegers.asUnsignedByteArray(signature.r(), datagram, 32, 32);
    BigIntegers.asUnsignedByteArray(signature.s(), datagram, 64, 32);
    datagram[96] = (byte) signature.recoveryId();
    System.arraycopy(typeAndData, 0, datagram, 97, typeAndData.length);
    rehash(datagram);
    return datagram;
  }

  private static void rehash(byte[] datagram) {
    System.arraycopy(Keccak256.hash(Arrays.copyOfRange(datagram, 32, datagram.length)), 0, datagram, 0, 32);
  }

  @Test
  void nodeIdsAreTheKeysAndHashTheirKeccak() {
    NodeId id = NodeId.ofPrivateKey(KEY_B);
    assertArrayEquals(Secp256k1.publicKey64(KEY_B), id.bytes());
    assertArrayEquals(Keccak256.hash(id.bytes()), id.keccak());
    assertTrue(id.isValidPublicKey());
    assertFalse(NodeId.of(new byte[64]).isValidPublicKey());
    assertEquals(id, NodeId.fromHex(id.hex()));
    assertThrows(IllegalArgumentException.class, () -> NodeId.of(new byte[65]));
    assertEquals(id.hex().substring(0, 16), id.toString());
  }
}
