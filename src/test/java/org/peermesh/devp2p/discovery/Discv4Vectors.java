package org.peermesh.devp2p.discovery;

import org.peermesh.devp2p.enr.Enr;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

/**
 * Published discv4 datagrams, all signed with EIP-8's key B, and our own samples of every packet type; shared by
 * the unit tests and the fuzz seeds ({@code org.peermesh.fuzz.FuzzSeeds}).
 */
public final class Discv4Vectors {

  /** The signing key of all published packets: ethereum/EIPs EIPS/eip-8.md, "Static Key B". */
  public static final byte[] KEY_B = hex("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291");
  /** ethereum/EIPs EIPS/eip-8.md, "Static Key A"; signs our own samples. */
  public static final byte[] KEY_A = hex("49a7b37aa6f6645917e7b807e9d1c00d4fa71f18343b0d4122a4d2df64dd6fee");
  public static final long EXPIRATION = 1136239445;

  /** EIP-8: "ping packet with version 4, additional list elements" (read as enrSeq 1 and an extra 0x02). */
  public static final String PING_V4 = "e9614ccfd9fc3e74360018522d30e1419a143407ffcce748de3e22116b7e8dc92ff74788c0b6663a"
      + "aa3d67d641936511c8f8d6ad8698b820a7cf9e1be7155e9a241f556658c55428ec0563514365799a"
      + "4be2be5a685a80971ddcfa80cb422cdd0101ec04cb847f000001820cfa8215a8d790000000000000"
      + "000000000000000000018208ae820d058443b9a3550102";
  /** EIP-8: "ping packet with version 555, additional list elements and additional random data". */
  public static final String PING_V555 = "577be4349c4dd26768081f58de4c6f375a7a22f3f7adda654d1428637412c3d7fe917cadc56d4e5e"
      + "7ffae1dbe3efffb9849feb71b262de37977e7c7a44e677295680e9e38ab26bee2fcbae207fba3ff3"
      + "d74069a50b902a82c9903ed37cc993c50001f83e82022bd79020010db83c4d001500000000abcdef"
      + "12820cfa8215a8d79020010db885a308d313198a2e037073488208ae82823a8443b9a355c5010203"
      + "040531b9019afde696e582a78fa8d95ea13ce3297d4afb8ba6433e4154caa5ac6431af1b80ba7602"
      + "3fa4090c408f6b4bc3701562c031041d4702971d102c9ab7fa5eed4cd6bab8f7af956f7d565ee191"
      + "7084a95398b6a21eac920fe3dd1345ec0a7ef39367ee69ddf092cbfe5b93e5e568ebc491983c09c7"
      + "6d922dc3";
  /** EIP-8: "pong packet with additional list elements and additional random data". */
  public static final String PONG = "09b2428d83348d27cdf7064ad9024f526cebc19e4958f0fdad87c15eb598dd61d08423e0bf66b206"
      + "9869e1724125f820d851c136684082774f870e614d95a2855d000f05d1648b2d5945470bc187c2d2"
      + "216fbe870f43ed0909009882e176a46b0102f846d79020010db885a308d313198a2e037073488208"
      + "ae82823aa0fbc914b16819237dcd8801d7e53f69e9719adecb3cc0e790c57e91ca4461c9548443b9"
      + "a355c6010203c2040506a0c969a58f6f9095004c0177a6b47f451530cab38966a25cca5cb58f0555"
      + "42124e";
  /** EIP-8: "findnode packet with additional list elements and additional random data". */
  public static final String FIND_NODE = "c7c44041b9f7c7e41934417ebac9a8e1a4c6298f74553f2fcfdcae6ed6fe53163eb3d2b52e39fe91"
      + "831b8a927bf4fc222c3902202027e5e9eb812195f95d20061ef5cd31d502e47ecb61183f74a504fe"
      + "04c51e73df81f25c4d506b26db4517490103f84eb840ca634cae0d49acb401d8a4c6b6fe8c55b70d"
      + "115bf400769cc1400f3258cd31387574077f301b421bc84df7266c44e9e6d569fc56be0081290476"
      + "7bf5ccd1fc7f8443b9a35582999983999999280dc62cc8255c73471e0a61da0c89acdc0e035e260a"
      + "dd7fc0c04ad9ebf3919644c91cb247affc82b69bd2ca235c71eab8e49737c937a2c396";
  /** EIP-8: "neighbours packet with additional list elements and additional random data". */
  public static final String NEIGHBORS = "c679fc8fe0b8b12f06577f2e802d34f6fa257e6137a995f6f4cbfc9ee50ed3710faf6e66f932c4c8"
      + "d81d64343f429651328758b47d3dbc02c4042f0fff6946a50f4a49037a72bb550f3a7872363a83e1"
      + "b9ee6469856c24eb4ef80b7535bcf99c0004f9015bf90150f84d846321163782115c82115db84031"
      + "55e1427f85f10a5c9a7755877748041af1bcd8d474ec065eb33df57a97babf54bfd2103575fa8291"
      + "15d224c523596b401065a97f74010610fce76382c0bf32f84984010203040101b840312c55512422"
      + "cf9b8a4097e9a6ad79402e87a15ae909a4bfefa22398f03d20951933beea1e4dfa6f968212385e82"
      + "9f04c2d314fc2d4e255e0d3bc08792b069dbf8599020010db83c4d001500000000abcdef12820d05"
      + "820d05b84038643200b172dcfef857492156971f0e6aa2c538d8b74010f8e140811d53b98c765dd2"
      + "d96126051913f44582e8c199ad7c6d6819e9a56483f637feaac9448aacf8599020010db885a308d3"
      + "13198a2e037073488203e78203e8b8408dcab8618c3253b558d459da53bd8fa68935a719aff8b811"
      + "197101a4b2b47dd2d47295286fc00cc081bb542d760717d1bdd6bec2c37cd72eca367d6dd3b9df73"
      + "8443b9a355010203b525a138aa34383fec3d2719a0";
  /** go-ethereum p2p/discover/v4wire/v4wire_test.go, testPackets[0]: a ping with no extra elements. */
  public static final String GETH_PING = "71dbda3a79554728d4f94411e42ee1f8b0d561c10e1e5f5893367948c6a7d70bb87b235fa28a77"
      + "070271b6c164a2dce8c7e13a5739b53b5e96f2e5acb0e458a02902f5965d55ecbeb2ebb6cabb8b2b232896a36b737666c55265ad0a6841"
      + "2f250001ea04cb847f000001820cfa8215a8d790000000000000000000000000000000018208ae820d058443b9a355";

  private Discv4Vectors() {
  }

  /** Every published datagram, in hex. */
  public static List<String> published() {
    return List.of(PING_V4, PING_V555, PONG, FIND_NODE, NEIGHBORS, GETH_PING);
  }

  /** One packet of each type, with IPv4 and IPv6 endpoints, with and without enrSeq. */
  public static List<Discv4Packet> samples() {
    InetAddress v4 = ip("10.1.2.3");
    InetAddress v6 = ip("2001:db8::7");
    Endpoint from = new Endpoint(v4, 30303, 30304);
    Endpoint to = new Endpoint(v6, 30301, 0);
    NodeId target = NodeId.ofPrivateKey(KEY_B);
    List<Neighbor> nodes = new ArrayList<>();
    for (int i = 0; i < NeighborsPacket.MAX_NODES; i++) {
      nodes.add(new Neighbor(i % 2 == 0 ? v6 : v4, 30000 + i, 65535 - i, node(i)));
    }
    return List.of(new PingPacket(PingPacket.VERSION, from, to, EXPIRATION, OptionalLong.of(7)),
        new PingPacket(PingPacket.VERSION, to, from, 0, OptionalLong.empty()),
        new PongPacket(from, hex("fbc914b16819237dcd8801d7e53f69e9719adecb3cc0e790c57e91ca4461c954"), EXPIRATION,
            OptionalLong.of(Long.MAX_VALUE)),
        new PongPacket(to, new byte[32], EXPIRATION, OptionalLong.empty()),
        new FindNodePacket(target, EXPIRATION),
        new NeighborsPacket(nodes, EXPIRATION),
        new NeighborsPacket(List.of(), EXPIRATION),
        new EnrRequestPacket(EXPIRATION),
        new EnrResponsePacket(hex("c969a58f6f9095004c0177a6b47f451530cab38966a25cca5cb58f055542124e"),
            Enr.sign(KEY_B, 3, v4, 30303, 30301)));
  }

  /** A made-up node id (not a curve point: Neighbors packets may carry any 64 bytes). */
  public static NodeId node(int seed) {
    byte[] id = new byte[NodeId.LENGTH];
    for (int i = 0; i < id.length; i++) {
      id[i] = (byte) (seed * 31 + i * 7);
    }
    return NodeId.of(id);
  }

  public static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal); // an IP literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  public static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
