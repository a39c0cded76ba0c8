package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * One or more instances of every message type, with edge values (u64 high bits, unknown types): the codec's tests
 * and the fuzz tests' seeds.
 */
public final class SampleMessages {

  static final Sha256Hash HASH_A =
      Sha256Hash.fromHex("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
  static final Sha256Hash HASH_B =
      Sha256Hash.fromHex("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");

  private SampleMessages() {
  }

  public static VersionMessage version() {
    return new VersionMessage(70016, 0x409, 1_700_000_000L, NetworkAddress.of(0, "127.0.0.1", 8333),
        NetworkAddress.of(Long.MIN_VALUE, "2001:db8::1", 18444), -1L, "/PeerMesh:0.1.0/", 800_000, false);
  }

  /** Two entries: a plain IPv4 one, and one of all-ones time and services on the highest port. */
  static AddrMessage addr() {
    return new AddrMessage(List.of(
        new TimestampedAddress(0, NetworkAddress.of(1, "1.2.3.4", 8333)),
        new TimestampedAddress(0xFFFF_FFFFL, NetworkAddress.of(-1L, "fc00::1", 65535))));
  }

  /** A legacy input, then a segwit one with a two-item witness stack (one item empty). */
  static Transaction segwitTransaction() {
    return new Transaction(2,
        List.of(
            new TransactionInput(HASH_A, 0, bytes("483045"), 0xFFFF_FFFEL, List.of()),
            new TransactionInput(HASH_B, 7, new byte[0], 0xFFFF_FFFFL, List.of(bytes("3044022001"), new byte[0]))),
        List.of(new TransactionOutput(50_000, bytes("0014751e76e8199196d454941c45d1b3a323f1433bd6")),
            new TransactionOutput(0, bytes("6a"))),
        0xFFFF_FFFFL);
  }

  static Transaction coinbase() {
    return new Transaction(1, List.of(new TransactionInput(Sha256Hash.ZERO, 0xFFFF_FFFFL, bytes("04ffff001d0104"),
        0xFFFF_FFFFL, List.of())), List.of(new TransactionOutput(5_000_000_000L, bytes("ac"))), 0);
  }

  static BlockHeader header() {
    return new BlockHeader(0x20000000, HASH_A, HASH_B, 0xFFFF_FFFFL, 0x1d00ffffL, 0x8000_0000L);
  }

  public static List<BitcoinMessage> all() {
    List<InventoryItem> inventory = List.of(
        new InventoryItem(InventoryType.MSG_WITNESS_BLOCK, HASH_A),
        new InventoryItem(InventoryType.MSG_TX, HASH_B),
        new InventoryItem(0x80000007, HASH_B)); // unknown, high bit set
    List<Sha256Hash> locator = List.of(HASH_A, HASH_B);
    return List.of(
        version(),
        new VersionMessage(31900, 1, 0, NetworkAddress.of(1, "10.0.0.1", 8333), NetworkAddress.of(1, "10.0.0.2", 8333),
            0x1357B43A2C209DDDL, "", 98645, true),
        new VerackMessage(),
        new PingMessage(-1L),
        new PongMessage(0x8000_0000_0000_0000L),
        new GetAddrMessage(),
        addr(),
        new AddrV2Message(List.of(
            new AddrV2Entry(1, 1, Bip155Network.IPV4, bytes("01020304"), 8333),
            new AddrV2Entry(2, 1L << 40, Bip155Network.IPV6, bytes("20010db8000000000000000000000001"), 8333),
            new AddrV2Entry(3, 0, Bip155Network.TORV2, bytes("f1f2f3f4f5f6f7f8f9fa"), 9050),
            new AddrV2Entry(4, -1L, Bip155Network.TORV3,
                bytes("79bcc625184b05194975c28b66b66b0469f7f6556fb1ac3189a79b40dda32f1f"), 8333),
            new AddrV2Entry(5, 0x448, Bip155Network.I2P,
                bytes("a2894dabaec08c0051a481a6dac88b64f98232ae42d4b6fd2fa81952dfe36a87"), 0),
            new AddrV2Entry(6, 0, Bip155Network.CJDNS, bytes("fc000001000200030004000500060007"), 8333),
            new AddrV2Entry(7, 0, 0xaa, bytes("0102030405"), 1))),
        new SendAddrV2Message(),
        new InvMessage(inventory),
        new GetDataMessage(inventory.subList(0, 1)),
        new NotFoundMessage(List.of()),
        new GetHeadersMessage(70016, locator, Sha256Hash.ZERO),
        new GetBlocksMessage(0xFFFF_FFFFL, List.of(), HASH_B),
        new HeadersMessage(List.of(header(), new BlockHeader(1, Sha256Hash.ZERO, HASH_B, 1231006505, 0x1d00ffff,
            2083236893))),
        new BlockMessage(header(), List.of(coinbase(), segwitTransaction())),
        new BlockMessage(header(), List.of()),
        new TxMessage(segwitTransaction()),
        new TxMessage(new Transaction(1, List.of(), List.of(), 0)),
        new SendHeadersMessage(),
        new SendCmpctMessage(true, 2),
        new SendCmpctMessage(false, -1L),
        new FeeFilterMessage(1000),
        new WtxidRelayMessage(),
        new MempoolMessage(),
        new RejectMessage("tx", 0x10, "bad-txns-inputs-missingorspent", HASH_B.bytes()),
        new RejectMessage("version", 0x11, "", new byte[0]),
        new RawMessage("cmpctblock", Buffer.buffer(bytes("00112233"))),
        new RawMessage("filterclear", Buffer.buffer()));
  }

  static byte[] bytes(String hex) {
    return Hex.buffer(hex).getBytes();
  }
}
