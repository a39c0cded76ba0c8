package org.peermesh.bitcoin.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.bitcoin.wire.TestFrames.decodeAll;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.bitcoin.wire.BitcoinWireException.Reason;

/**
 * Decoding published bytes and checking the published meaning of each field; re-encoding must give
 * the same bytes. Every expected value comes from the cited source, never from this code.
 */
class PublishedVectorsTest {

  // Bitcoin wiki, Protocol_documentation, "version" example (protocol 60002); the same hex is in
  // NBitcoin's ProtocolTests.CanParseMessages, which asserts the user agent and start height 0x33EC0.
  private static final String WIKI_VERSION_FRAME = "f9beb4d976657273696f6e000000000064000000358d4932"
      + "62ea0000010000000000000011b2d05000000000010000000000000000000000000000000000ffff000000000000"
      + "000000000000000000000000000000000000ffff0000000000003b2eb35d8ce617650f2f5361746f7368693a302e"
      + "372e322fc03e0300";

  // Bitcoin wiki, Protocol_documentation, "verack" example; also Dash's message header docs.
  private static final String WIKI_VERACK_FRAME = "f9beb4d976657261636b000000000000000000005df6e0e2";

  // Bitcoin wiki, Protocol_documentation, "addr" example; its checksum ed52399b is confirmed on the
  // wiki's talk page, and NBitcoin asserts the time as Mon Dec 20 21:50:10 EST 2010.
  private static final String WIKI_ADDR_FRAME = "f9beb4d96164647200000000000000001f000000ed52399b"
      + "01e215104d010000000000000000000000000000000000ffff0a000001208d";

  // Mainnet genesis block (Core's chainparams; wiki "Genesis block"; rust-bitcoin and others carry the
  // same raw hex).
  private static final String GENESIS_COINBASE = "01000000010000000000000000000000000000000000000000000000000000"
      + "000000000000ffffffff4d04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c"
      + "6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a"
      + "01000000434104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f3"
      + "5504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000";
  private static final String MAINNET_GENESIS = "010000000000000000000000000000000000000000000000000000000000000000"
      + "0000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c01"
      + GENESIS_COINBASE;
  // Regtest genesis: same coinbase, Core's chainparams time 1296688602, bits 0x207fffff, nonce 2.
  private static final String REGTEST_GENESIS = "010000000000000000000000000000000000000000000000000000000000000000"
      + "0000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4adae5494dffff7f200200000001"
      + GENESIS_COINBASE;

  // Mainnet block 170, the first with a transaction between people (Satoshi to Hal Finney), from the
  // test fixture of a Python block parser (blk*.dat form, magic and size stripped here); its header and
  // the spend f4184fc5... are also in other public tests, which assert the txids used below.
  private static final String BLOCK_170 = "0100000055bd840a78798ad0da853f68974f3d183e2bd1db6a842c1feecf222a00"
      + "000000ff104ccb05421ab93e63f8c3ce5c2c2e9dbb37de2764b3a3175c8166562cac7d51b96a49ffff001d283e9e7002"
      + "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff0704ffff001d01"
      + "02ffffffff0100f2052a01000000434104d46c4968bde02899d2aa0963367c7a6ce34eec332b32e42e5f3407e052d64a"
      + "c625da6f0718e7b302140434bd725706957c092db53805b821a85b23a7ac61725bac00000000"
      + "0100000001c997a5e56e104102fa209c6a852dd90660a20b2d9c352423edce25857fcd3704000000004847304402204e"
      + "45e16932b8af514961a1d3a1a25fdf3f4f7732e9d624c6c61548ab5fb8cd410220181522ec8eca07de4860a4acdd1290"
      + "9d831cc56cbbac4622082221a8768d1d0901ffffffff0200ca9a3b00000000434104ae1a62fe09c5f51b13905f07f06b"
      + "99a2f7159b2225f374cd378d71302fa28414e7aab37397f554a7df5f142c21c1b7303b8a0626f1baded5c72a704f7e6c"
      + "d84cac00286bee0000000043410411db93e1dcdb8a016b49840f8c53bc1eb68a382e97b1482ecad7b148a6909a5cb2e0"
      + "eaddfb84ccf9744464f82e160bfa9b8b64f9d4c03f999b8643f656b412a3ac00000000";

  // rust-bitcoin transaction.rs test_segwit_tx_decode: testnet 4be105f1..., "the first BIP144-encoded
  // transaction I encountered"; bitcoin_slices checks the same txid and a 222-byte length.
  private static final String TESTNET_SEGWIT_COINBASE = "010000000001010000000000000000000000000000000000000000"
      + "000000000000000000000000ffffffff3603da1b0e00045503bd5704c7dd8a0d0ced13bb5785010800000000000a636b70"
      + "6f6f6c122f4e696e6a61506f6f6c2f5345475749542fffffffff02b4e5a212000000001976a914876fbb82ec05caa6af"
      + "7a3b5e5a983aae6c6cc6d688ac0000000000000000266a24aa21a9edf91c46b49eb8a29089980f02ee6b57e7d63d33b1"
      + "8b4fddac2bcd7db2a39837040120000000000000000000000000000000000000000000000000000000000000000000000"
      + "000";

  // rust-bitcoin transaction.rs test_txid: "non-segwit tx from my mempool", txid = wtxid = 971ed48a...
  private static final String LEGACY_TX = "01000000010c7196428403d8b0c88fcb3ee8d64f56f55c8973c9ab7dd106bb4f3527"
      + "f5888d000000006a4730440220503a696f55f2c00eee2ac5e65b17767cd88ed04866b5637d3c1d5d996a70656d02202c9a"
      + "ff698f343abb6d176704beda63fcdec503133ea4f6a5216b7f925fa9910c0121024d89b5a13d6521388969209df27a84"
      + "69bd565aff10e8d42cef931fad5121bfb8ffffffff02b825b404000000001976a914ef79e7ee9fff98bcfd08473d2b76"
      + "b02a48f8c69088ac0000000000000000296a2732363030393438363937313732333132373633313032313332353630"
      + "353838373931323132373000000000";

  // Bitcoin Core src/test/netbase_tests.cpp: stream_addrv1_hex and stream_addrv2_hex, both the
  // serialization of fixture_addresses (::1 with three edge-case times, services and ports).
  private static final String CORE_ADDR_V1 = "03"
      + "61bc6649" + "0000000000000000" + "00000000000000000000000000000001" + "0000"
      + "79627683" + "0100000000000000" + "00000000000000000000000000000001" + "00f1"
      + "ffffffff" + "4804000000000000" + "00000000000000000000000000000001" + "f1f2";
  private static final String CORE_ADDR_V2 = "03"
      + "61bc6649" + "00" + "02" + "10" + "00000000000000000000000000000001" + "0000"
      + "79627683" + "01" + "02" + "10" + "00000000000000000000000000000001" + "00f1"
      + "ffffffff" + "fd4804" + "02" + "10" + "00000000000000000000000000000001" + "f1f2";

  @Test
  void wikiVersionMessage() {
    BitcoinFrameDecoder decoder = new BitcoinFrameDecoder(BitcoinNetwork.MAINNET.magic(), 1000);
    List<BitcoinMessage> messages = decodeAll(decoder, Hex.buffer(WIKI_VERSION_FRAME));

    VersionMessage version = assertInstanceOf(VersionMessage.class, messages.get(0));
    assertEquals(60002, version.protocolVersion());
    assertEquals(1, version.services());
    assertEquals(1355854353L, version.timestamp()); // 0x50d0b211, Tue Dec 18 18:12:33 UTC 2012
    assertEquals(new NetworkAddress(1, new byte[4], 0), version.receiver());
    assertEquals("0.0.0.0", version.receiver().host());
    assertEquals(new NetworkAddress(0, new byte[4], 0), version.sender());
    assertEquals(0x6517e68c5db32e3bL, version.nonce());
    assertEquals("/Satoshi:0.7.2/", version.userAgent());
    assertEquals(0x33EC0, version.startHeight());
    assertTrue(version.relay(), "no relay byte before 70001 means relay (BIP37)");
    assertEquals(WIKI_VERSION_FRAME, Hex.of(BitcoinFrames.encode(BitcoinNetwork.MAINNET.magic(), version)));
  }

  @Test
  void wikiVerackFrame() {
    assertEquals(WIKI_VERACK_FRAME, Hex.of(BitcoinFrames.encode(BitcoinNetwork.MAINNET.magic(), new VerackMessage())));
    List<BitcoinMessage> messages = decodeAll(
        new BitcoinFrameDecoder(BitcoinNetwork.MAINNET.magic(), 0), Hex.buffer(WIKI_VERACK_FRAME));
    assertEquals(List.of(new VerackMessage()), messages);
    assertEquals("5df6e0e2", Hex.of(BitcoinFrames.checksum(Buffer.buffer())));
  }

  @Test
  void wikiAddrMessage() {
    List<BitcoinMessage> messages = decodeAll(
        new BitcoinFrameDecoder(BitcoinNetwork.MAINNET.magic(), 1000), Hex.buffer(WIKI_ADDR_FRAME));

    AddrMessage addr = assertInstanceOf(AddrMessage.class, messages.get(0));
    assertEquals(1, addr.addresses().size());
    TimestampedAddress entry = addr.addresses().get(0);
    assertEquals(1292899810L, entry.time()); // Mon Dec 20 21:50:10 EST 2010
    assertEquals(1, entry.address().services());
    assertEquals("10.0.0.1", entry.address().host());
    assertEquals(8333, entry.address().port());
    assertEquals(WIKI_ADDR_FRAME, Hex.of(BitcoinFrames.encode(BitcoinNetwork.MAINNET.magic(), addr)));
  }

  @Test
  void mainnetGenesisBlock() {
    BlockMessage block = BlockMessage.decode(Hex.buffer(MAINNET_GENESIS));

    assertEquals(Sha256Hash.fromHex("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f"), block.hash());
    BlockHeader header = block.header();
    assertEquals(1, header.version());
    assertEquals(Sha256Hash.ZERO, header.prevBlock());
    Sha256Hash merkleRoot = Sha256Hash.fromHex("4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");
    assertEquals(merkleRoot, header.merkleRoot());
    assertEquals(1231006505L, header.time()); // 2009-01-03 18:15:05 UTC
    assertEquals(0x1d00ffffL, header.bits());
    assertEquals(2083236893L, header.nonce());

    assertEquals(1, block.transactions().size());
    Transaction coinbase = block.transactions().get(0);
    assertEquals(merkleRoot, coinbase.txid(), "with one transaction the merkle root is its txid");
    assertEquals(coinbase.txid(), coinbase.wtxid());
    assertEquals(Sha256Hash.ZERO, coinbase.inputs().get(0).prevTxid());
    assertEquals(0xFFFF_FFFFL, coinbase.inputs().get(0).prevIndex());
    assertTrue(new String(coinbase.inputs().get(0).scriptSig(), StandardCharsets.ISO_8859_1)
        .endsWith("The Times 03/Jan/2009 Chancellor on brink of second bailout for banks"));
    assertEquals(50 * 100_000_000L, coinbase.outputs().get(0).value());

    assertEquals(MAINNET_GENESIS, Hex.of(block.payload()));
  }

  @Test
  void regtestGenesisBlock() {
    BlockMessage block = BlockMessage.decode(Hex.buffer(REGTEST_GENESIS));

    assertEquals(Sha256Hash.fromHex("0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206"), block.hash());
    assertEquals(1296688602L, block.header().time());
    assertEquals(2, block.header().nonce());
    assertEquals(0x207fffffL, block.header().bits());
    assertEquals(REGTEST_GENESIS, Hex.of(block.payload()));
  }

  @Test
  void block170WithTwoTransactions() {
    BlockMessage block = BlockMessage.decode(Hex.buffer(BLOCK_170));

    assertEquals(Sha256Hash.fromHex("00000000d1145790a8694403d4063f323d499e655c83426834d4ce2f8dd4a2ee"), block.hash());
    assertEquals(Sha256Hash.fromHex("000000002a22cfee1f2c846adbd12b3e183d4f97683f85dad08a79780a84bd55"),
        block.header().prevBlock());
    assertEquals(1231731025L, block.header().time()); // 2009-01-12 03:30:25 UTC
    assertEquals(1889418792L, block.header().nonce());

    List<Transaction> transactions = block.transactions();
    assertEquals(2, transactions.size());
    assertEquals(Sha256Hash.fromHex("b1fea52486ce0c62bb442b530a3f0132b826c74e473d1f2c220bfa78111c5082"),
        transactions.get(0).txid());
    Transaction spend = transactions.get(1);
    assertEquals(Sha256Hash.fromHex("f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16"), spend.txid());
    assertEquals(Sha256Hash.fromHex("0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9"),
        spend.inputs().get(0).prevTxid());
    assertEquals(0, spend.inputs().get(0).prevIndex());
    assertEquals(10 * 100_000_000L, spend.outputs().get(0).value());
    assertEquals(40 * 100_000_000L, spend.outputs().get(1).value());

    // The published merkle root commits to both txids: SHA-256d of their concatenation.
    Buffer pair = Buffer.buffer().appendBytes(transactions.get(0).txid().bytes()).appendBytes(spend.txid().bytes());
    assertEquals(Sha256Hash.fromHex("7dac2c5666815c17a3b36427de37bb9d2e2c5ccec3f8633eb91a4205cb4c10ff"),
        Sha256Hash.hashTwice(pair));
    assertEquals(block.header().merkleRoot(), Sha256Hash.hashTwice(pair));

    assertEquals(BLOCK_170, Hex.of(block.payload()));
  }

  @Test
  void segwitTransactionTxidAndWtxid() {
    Buffer raw = Hex.resource("liquid-segwit-tx.hex");
    Transaction tx = TxMessage.decode(raw).transaction();

    assertEquals(Sha256Hash.fromHex("9652aa62b0e748caeec40c4cb7bc17c6792435cc3dfe447dd1ca24f912a1c6ec"), tx.txid());
    assertEquals(Sha256Hash.fromHex("d6ac4a5e61657c4c604dcde855a1db74ec6b3e54f32695d72c5e11c7761ea1b4"), tx.wtxid());
    assertTrue(tx.hasWitness());
    assertEquals(2, tx.inputs().size());
    assertEquals(5, tx.inputs().get(0).witness().size());
    // BIP141 weight: 3 x size without witness + size with it; rust-bitcoin asserts 2718.
    PayloadWriter stripped = new PayloadWriter();
    tx.writeTo(stripped, false);
    assertEquals(2718, 3 * stripped.buffer().length() + raw.length());

    assertEquals(Hex.of(raw), Hex.of(tx.serialize()));
  }

  @Test
  void firstTestnetSegwitTransaction() {
    Buffer raw = Hex.buffer(TESTNET_SEGWIT_COINBASE);
    assertEquals(222, raw.length());
    Transaction tx = Transaction.decode(raw);

    assertEquals(Sha256Hash.fromHex("4be105f158ea44aec57bf12c5817d073a712ab131df6f37786872cfc70734188"), tx.txid());
    assertEquals(1, tx.version());
    assertEquals(0, tx.lockTime());
    assertEquals(1, tx.inputs().get(0).witness().size());
    assertEquals(32, tx.inputs().get(0).witness().get(0).length);
    assertEquals(TESTNET_SEGWIT_COINBASE, Hex.of(tx.serialize()));
  }

  @Test
  void legacyTransactionHasTxidAsWtxid() {
    Transaction tx = Transaction.decode(Hex.buffer(LEGACY_TX));

    Sha256Hash expected = Sha256Hash.fromHex("971ed48a62c143bbd9c87f4bafa2ef213cfa106c6e140f111931d0be307468dd");
    assertEquals(expected, tx.txid());
    assertEquals(expected, tx.wtxid());
    assertFalse(tx.hasWitness());
    assertEquals(LEGACY_TX, Hex.of(tx.serialize()));
  }

  @Test
  void coreAddrV1Stream() {
    AddrMessage addr = AddrMessage.decode(Hex.buffer(CORE_ADDR_V1));

    assertEquals(List.of(
        new TimestampedAddress(0x4966bc61L, NetworkAddress.of(0, "::1", 0)),
        new TimestampedAddress(0x83766279L, NetworkAddress.of(1, "::1", 0x00f1)),
        new TimestampedAddress(0xffffffffL, NetworkAddress.of(8 | 64 | 1024, "::1", 0xf1f2))),
        addr.addresses());
    assertEquals(CORE_ADDR_V1, Hex.of(addr.payload()));
  }

  @Test
  void coreAddrV2Stream() {
    AddrV2Message addr = AddrV2Message.decode(Hex.buffer(CORE_ADDR_V2));

    byte[] loopback = Hex.buffer("00000000000000000000000000000001").getBytes();
    assertEquals(List.of(
        new AddrV2Entry(0x4966bc61L, 0, Bip155Network.IPV6, loopback, 0),
        new AddrV2Entry(0x83766279L, 1, Bip155Network.IPV6, loopback, 0x00f1),
        new AddrV2Entry(0xffffffffL, 8 | 64 | 1024, Bip155Network.IPV6, loopback, 0xf1f2)),
        addr.addresses());
    assertEquals(Optional.of("::1"), addr.addresses().get(0).host());
    assertEquals(CORE_ADDR_V2, Hex.of(addr.payload()));
  }

  /**
   * Bitcoin Core src/test/net_tests.cpp cnetaddr_unserialize_v2: the network id, length and address
   * bytes of each case and the ToStringAddr Core expects, here inside a one-entry addrv2 message
   * (time 0, services 0, port 8333).
   */
  @ParameterizedTest
  @CsvSource({
      "01, 04, 01020304, IPV4, 1.2.3.4",
      "02, 10, 0102030405060708090a0b0c0d0e0f10, IPV6, 102:304:506:708:90a:b0c:d0e:f10",
      "04, 20, 79bcc625184b05194975c28b66b66b0469f7f6556fb1ac3189a79b40dda32f1f, TORV3, "
          + "pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion",
      "05, 20, a2894dabaec08c0051a481a6dac88b64f98232ae42d4b6fd2fa81952dfe36a87, I2P, "
          + "ukeu3k5oycgaauneqgtnvselmt4yemvoilkln7jpvamvfx7dnkdq.b32.i2p",
      "06, 10, fc000001000200030004000500060007, CJDNS, fc00:1:2:3:4:5:6:7",
  })
  void coreAddrV2Addresses(String networkId, String length, String address, Bip155Network network, String host) {
    String payload = "01" + "00000000" + "00" + networkId + length + address + "208d";
    AddrV2Message message = AddrV2Message.decode(Hex.buffer(payload));

    AddrV2Entry entry = message.addresses().get(0);
    assertEquals(Optional.of(network), entry.network());
    assertEquals(address, Hex.of(entry.address()));
    assertEquals(Optional.of(host), entry.host());
    assertEquals(8333, entry.port());
    assertEquals(payload, Hex.of(message.payload()));
    assertEquals(message, AddrV2Message.fromJson(message.toJson()), "the host text parses back to the bytes");
  }

  /** Core's cases it consumes without failing but marks not valid: TORv2 (deprecated), unknown networks. */
  @ParameterizedTest
  @CsvSource({
      "03, 0a, f1f2f3f4f5f6f7f8f9fa",
      "aa, 04, 01020304",
      "aa, 00, ''",
  })
  void coreAddrV2AddressesKeptThoughNotUsable(String networkId, String length, String address) {
    String payload = "01" + "00000000" + "00" + networkId + length + address + "208d";
    AddrV2Message message = AddrV2Message.decode(Hex.buffer(payload));

    AddrV2Entry entry = message.addresses().get(0);
    assertEquals(Integer.parseInt(networkId, 16), entry.networkId());
    assertEquals(address, Hex.of(entry.address()));
    assertEquals(payload, Hex.of(message.payload()));
    assertEquals(message, AddrV2Message.fromJson(message.toJson()));
  }

  /** Core's rejected cases of cnetaddr_unserialize_v2, with the gist of the reason Core gives. */
  @ParameterizedTest
  @CsvSource({
      "01 04 0102, TRUNCATED, end of data",
      "01 05 01020304, INVALID_FIELD, BIP155 IPV4 address with length 5 (should be 4)",
      "01 fd0102 01020304, INVALID_FIELD, exceeds the maximum of 512",
      "02 04 00, INVALID_FIELD, BIP155 IPV6 address with length 4 (should be 16)",
      "04 00 00, INVALID_FIELD, BIP155 TORV3 address with length 0 (should be 32)",
      "05 03 00, INVALID_FIELD, BIP155 I2P address with length 3 (should be 32)",
      "06 01 00, INVALID_FIELD, BIP155 CJDNS address with length 1 (should be 16)",
      "aa fe00000002 01020304050607, INVALID_FIELD, exceeds the maximum of 512",
  })
  void coreAddrV2RejectedAddresses(String entry, Reason reason, String detail) {
    Buffer payload = Hex.buffer("01" + "00000000" + "00" + entry + "208d"); // + port
    BitcoinWireException e = assertThrows(BitcoinWireException.class, () -> AddrV2Message.decode(payload));
    assertEquals(reason, e.reason(), e.getMessage());
    if (reason == Reason.INVALID_FIELD) {
      assertTrue(e.getMessage().contains(detail), e.getMessage());
      assertTrue(e.getMessage().startsWith("addrv2 payload: "), e.getMessage());
    }
  }
}
