package org.peermesh.bitcoin.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.bitcoin.wire.BitcoinWireException.Reason;

class BitcoinMessagesTest {

  static Stream<BitcoinMessage> samples() {
    return SampleMessages.all().stream();
  }

  @Test
  void samplesCoverEveryKnownCommand() {
    Set<String> sampled = samples().map(BitcoinMessage::command).collect(Collectors.toSet());
    assertTrue(sampled.containsAll(BitcoinMessages.knownCommands()), "no sample for some known command");
    assertEquals(22, BitcoinMessages.knownCommands().size());
  }

  @ParameterizedTest
  @MethodSource("samples")
  void payloadRoundTrip(BitcoinMessage message) {
    Buffer payload = message.payload();
    BitcoinMessage decoded = BitcoinMessages.decode(message.command(), payload);

    assertEquals(message, decoded);
    assertEquals(message.hashCode(), decoded.hashCode());
    assertEquals(Hex.of(payload), Hex.of(decoded.payload()));
  }

  @ParameterizedTest
  @MethodSource("samples")
  void frameRoundTrip(BitcoinMessage message) {
    Buffer frame = BitcoinFrames.encode(BitcoinNetwork.REGTEST.magic(), message);
    BitcoinMessage decoded = TestFrames.decodeAll(
        new BitcoinFrameDecoder(BitcoinNetwork.REGTEST.magic(), BitcoinFrames.MAX_PROTOCOL_MESSAGE_LENGTH), frame).get(0);
    assertEquals(message, decoded);
  }

  /** Through JSON text, as the event bus and the node API carry it. */
  @ParameterizedTest
  @MethodSource("samples")
  void jsonRoundTrip(BitcoinMessage message) {
    JsonObject json = new JsonObject(message.toJson().encode());
    assertEquals(message, BitcoinMessages.fromJson(message.command(), json), json.encodePrettily());
  }

  /** Every strict prefix of a payload is TRUNCATED, save where a field may be left out. */
  @ParameterizedTest
  @MethodSource("samples")
  void everyPrefixIsTruncated(BitcoinMessage message) {
    if (message instanceof RawMessage || message instanceof RejectMessage reject && reject.data().length > 0) {
      return; // raw bytes and reject's trailing data have no length of their own
    }
    Buffer payload = message.payload();
    for (int length = 0; length < payload.length(); length++) {
      Buffer prefix = payload.getBuffer(0, length);
      if (message instanceof VersionMessage version && version.protocolVersion() >= VersionMessage.RELAY_FIELD_VERSION
          && length == payload.length() - 1) {
        VersionMessage withoutRelay = (VersionMessage) BitcoinMessages.decode(message.command(), prefix);
        assertTrue(withoutRelay.relay(), "BIP37: a missing relay byte means relay");
        continue;
      }
      BitcoinWireException e = assertThrows(BitcoinWireException.class,
          () -> BitcoinMessages.decode(message.command(), prefix), "prefix of " + length);
      assertEquals(Reason.TRUNCATED, e.reason(), e.getMessage());
      assertTrue(e.getMessage().startsWith(message.command() + " payload: "), e.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("samples")
  void trailingBytesAreRefused(BitcoinMessage message) {
    if (message instanceof RawMessage || message instanceof RejectMessage) {
      return; // their last field is the rest of the payload
    }
    if (message instanceof VersionMessage version && version.protocolVersion() < VersionMessage.RELAY_FIELD_VERSION) {
      return; // as Core does, a byte after startHeight is read as relay whatever the version
    }
    Buffer payload = message.payload().appendByte((byte) 0);
    BitcoinWireException e = assertThrows(BitcoinWireException.class,
        () -> BitcoinMessages.decode(message.command(), payload));
    assertEquals(Reason.TRAILING_BYTES, e.reason());
    assertTrue(e.getMessage().contains("1 trailing bytes at offset " + (payload.length() - 1)), e.getMessage());
  }

  @Test
  void truncationNamesMessageFieldAndOffset() {
    Buffer payload = new InvMessage(List.of(new InventoryItem(InventoryType.MSG_TX, SampleMessages.HASH_A),
        new InventoryItem(InventoryType.MSG_TX, SampleMessages.HASH_B))).payload();
    Buffer cut = payload.getBuffer(0, payload.length() - 3);
    BitcoinWireException e = assertThrows(BitcoinWireException.class, () -> InvMessage.decode(cut));
    assertEquals("inv payload: items count 2 at offset 0 needs at least 72 bytes, 69 remain", e.getMessage());

    Buffer badHash = Hex.buffer("01" + "01000000" + "00");
    e = assertThrows(BitcoinWireException.class, () -> GetDataMessage.decode(badHash));
    assertEquals(Reason.TRUNCATED, e.reason());

    Buffer shortAddress = Hex.buffer("01" + "00000000" + "0100000000000000" + "00000000");
    e = assertThrows(BitcoinWireException.class, () -> AddrMessage.decode(shortAddress));
    assertEquals("addr payload: addresses count 1 at offset 0 needs at least 30 bytes, 16 remain", e.getMessage());
  }

  @Test
  void unknownCommandIsKeptRaw() {
    Buffer payload = Hex.buffer("deadbeef");
    RawMessage raw = assertInstanceOf(RawMessage.class, BitcoinMessages.decode("cfcheckpt", payload));
    assertEquals("cfcheckpt", raw.command());
    assertEquals(payload, raw.payload());
    assertEquals(new JsonObject().put("payload", "deadbeef"), raw.toJson());
    assertEquals(raw, BitcoinMessages.fromJson("cfcheckpt", new JsonObject().put("payload", "deadbeef")));
  }

  /** The limits of Core: MAX_INV_SZ, MAX_ADDR_TO_SEND, MAX_HEADERS_RESULTS, MAX_LOCATOR_SZ, MAX_SUBVERSION_LENGTH. */
  @ParameterizedTest
  @CsvSource({
      "inv, fd51c3, items count 50001 at offset 0 exceeds the maximum of 50000",
      "getdata, fd51c3, items count 50001",
      "notfound, fd51c3, items count 50001",
      "addr, fde903, addresses count 1001 at offset 0 exceeds the maximum of 1000",
      "addrv2, fde903, addresses count 1001",
      "headers, fdd107, headers count 2001 at offset 0 exceeds the maximum of 2000",
      "getheaders, 8011010066, locator count 102 at offset 4 exceeds the maximum of 101",
      "getblocks, 8011010066, locator count 102",
  })
  void countsOverTheProtocolLimit(String command, String payloadHex, String detail) {
    BitcoinWireException e = assertThrows(BitcoinWireException.class,
        () -> BitcoinMessages.decode(command, Hex.buffer(payloadHex)));
    assertEquals(Reason.INVALID_FIELD, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains(detail), e.getMessage());
  }

  @Test
  void constructorsRefuseListsOverTheLimit() {
    InventoryItem item = new InventoryItem(InventoryType.MSG_TX, SampleMessages.HASH_A);
    assertThrows(IllegalArgumentException.class, () -> new InvMessage(Collections.nCopies(50_001, item)));
    assertThrows(IllegalArgumentException.class,
        () -> new GetHeadersMessage(1, Collections.nCopies(102, SampleMessages.HASH_A), Sha256Hash.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> new HeadersMessage(Collections.nCopies(2001, SampleMessages.header())));
    assertEquals(50_000, new InvMessage(Collections.nCopies(50_000, item)).items().size());
  }

  @Test
  void userAgentOverCoreLimit() {
    VersionMessage version = SampleMessages.version();
    assertThrows(IllegalArgumentException.class, () -> new VersionMessage(70016, 0, 0, version.receiver(),
        version.sender(), 0, "x".repeat(257), 0, true));
    Buffer payload = Hex.buffer("80110100" + "00".repeat(8 + 8 + 26 + 26 + 8) + "fd0101" + "78".repeat(257) + "00000000");
    BitcoinWireException e = assertThrows(BitcoinWireException.class, () -> VersionMessage.decode(payload));
    assertEquals(Reason.INVALID_FIELD, e.reason());
    assertEquals("version payload: userAgent length 257 at offset 80 exceeds the maximum of 256", e.getMessage());
  }

  @Test
  void rejectReasonOverCoreLimit() {
    Buffer payload = Hex.buffer("02" + "7478" + "10" + "70" + "61".repeat(112));
    BitcoinWireException e = assertThrows(BitcoinWireException.class, () -> RejectMessage.decode(payload));
    assertEquals(Reason.INVALID_FIELD, e.reason());
  }

  @Test
  void invalidUtf8UserAgent() {
    Buffer payload = Hex.buffer("80110100" + "00".repeat(8 + 8 + 26 + 26 + 8) + "01" + "ff" + "00000000");
    BitcoinWireException e = assertThrows(BitcoinWireException.class, () -> VersionMessage.decode(payload));
    assertEquals(Reason.INVALID_FIELD, e.reason());
    assertTrue(e.getMessage().contains("userAgent at offset 80 is not valid UTF-8"), e.getMessage());
  }

  static Stream<Arguments> countsBeyondTheRemainingBytes() {
    return Stream.of(
        Arguments.of("inv", "02" + "01000000" + "00".repeat(32)),
        Arguments.of("headers", "fdd007"),
        Arguments.of("block", "00".repeat(80) + "fe00000010"),
        Arguments.of("tx", "01000000" + "fe00000010"),
        Arguments.of("tx", "01000000" + "01" + "00".repeat(36) + "00" + "ffffffff" + "feffffff7f"),
        Arguments.of("addrv2", "02" + "00000000" + "00" + "01" + "04" + "01020304" + "208d"));
  }

  /** Counts that claim more elements than the bytes left could hold fail before any list is made. */
  @ParameterizedTest
  @MethodSource("countsBeyondTheRemainingBytes")
  void countBeyondTheRemainingBytes(String command, String payloadHex) {
    BitcoinWireException e = assertThrows(BitcoinWireException.class,
        () -> BitcoinMessages.decode(command, Hex.buffer(payloadHex)));
    assertEquals(Reason.TRUNCATED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("needs at least"), e.getMessage());
  }

  @Test
  void headerWithTransactionsIsRefused() {
    Buffer payload = Buffer.buffer().appendByte((byte) 1).appendBuffer(SampleMessages.header().serialize())
        .appendByte((byte) 1);
    BitcoinWireException e = assertThrows(BitcoinWireException.class, () -> HeadersMessage.decode(payload));
    assertEquals(Reason.INVALID_FIELD, e.reason());
    assertEquals("headers payload: headers[0].txCount at offset 81 is 1, must be 0", e.getMessage());
  }

  /** Core refuses a witness flag whose stacks are all empty, and flags it does not know. */
  @ParameterizedTest
  @CsvSource({
      "0001, 00, superfluous witness record",
      "0002, '', unknown optional data flags 0x2",
      "0003, 01" + "00, unknown optional data flags 0x2",
  })
  void transactionFlagsFollowCore(String markerAndFlags, String witness, String detail) {
    String input = "00".repeat(32) + "00000000" + "00" + "ffffffff";
    String output = "0000000000000000" + "00";
    Buffer payload = Hex.buffer("01000000" + markerAndFlags + "01" + input + "01" + output + witness + "00000000");
    BitcoinWireException e = assertThrows(BitcoinWireException.class, () -> TxMessage.decode(payload));
    assertEquals(Reason.INVALID_FIELD, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains(detail), e.getMessage());
  }

  @Test
  void nonCanonicalCountInAMessage() {
    BitcoinWireException e = assertThrows(BitcoinWireException.class, () -> InvMessage.decode(Hex.buffer("fd0100")));
    assertEquals(Reason.INVALID_FIELD, e.reason());
    assertTrue(e.getMessage().startsWith("inv payload: items count at offset 0: non-canonical CompactSize"),
        e.getMessage());
  }

  @Test
  void emptyTransactionIsNotSegwit() {
    Transaction empty = new Transaction(1, List.of(), List.of(), 0);
    assertEquals("01000000" + "00" + "00" + "00000000", Hex.of(empty.serialize()));
    assertEquals(empty.txid(), empty.wtxid());
  }

  @Test
  void versionJsonShape() {
    JsonObject json = SampleMessages.version().toJson();
    assertEquals(Set.of("version", "services", "timestamp", "receiver", "sender", "nonce", "userAgent",
        "startHeight", "relay"), json.fieldNames());
    assertEquals("18446744073709551615", json.getString("nonce"), "u64 max as an unsigned decimal string");
    assertEquals(new JsonObject().put("host", "127.0.0.1").put("port", 8333).put("services", 0), json.getJsonObject("receiver"));
    assertEquals("9223372036854775808", json.getJsonObject("sender").getValue("services").toString());
    assertEquals("2001:db8::1", json.getJsonObject("sender").getString("host"));
  }

  @Test
  void inventoryJsonNamesKnownTypes() {
    JsonArray items = ((InvMessage) SampleMessages.all().stream().filter(InvMessage.class::isInstance).findFirst()
        .orElseThrow()).toJson().getJsonArray("items");
    assertEquals("MSG_WITNESS_BLOCK", items.getJsonObject(0).getValue("type"));
    assertEquals(SampleMessages.HASH_A.toString(), items.getJsonObject(0).getString("hash"));
    assertEquals(2147483655L, ((Number) items.getJsonObject(2).getValue("type")).longValue());
  }

  @Test
  void blockJsonHasHeaderFieldsHashAndTransactions() {
    BlockMessage block = new BlockMessage(SampleMessages.header(), List.of(SampleMessages.coinbase()));
    JsonObject json = block.toJson();
    assertEquals(Set.of("hash", "version", "prevBlock", "merkleRoot", "time", "bits", "nonce", "transactions"),
        json.fieldNames());
    assertEquals(block.hash().toString(), json.getString("hash"));
    JsonObject tx = json.getJsonArray("transactions").getJsonObject(0);
    assertEquals(Set.of("txid", "wtxid", "version", "inputs", "outputs", "lockTime"), tx.fieldNames());
    assertEquals(5_000_000_000L, tx.getJsonArray("outputs").getJsonObject(0).getLong("value"));
    assertEquals("04ffff001d0104", tx.getJsonArray("inputs").getJsonObject(0).getString("scriptSig"));
  }

  @Test
  void badJsonNamesTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BitcoinMessages.fromJson("ping", new JsonObject()));
    assertEquals("nonce is missing", e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> BitcoinMessages.fromJson("ping", new JsonObject().put("nonce", "-1")));
    assertTrue(e.getMessage().startsWith("nonce must be an unsigned 64-bit decimal string"), e.getMessage());

    JsonObject tx = new TxMessage(SampleMessages.segwitTransaction()).toJson();
    tx.getJsonArray("inputs").getJsonObject(1).put("scriptSig", "xyz");
    e = assertThrows(IllegalArgumentException.class, () -> BitcoinMessages.fromJson("tx", tx));
    assertTrue(e.getMessage().startsWith("inputs[1].scriptSig: must be hex"), e.getMessage());

    JsonObject version = SampleMessages.version().toJson();
    version.getJsonObject("receiver").put("host", "example.com");
    e = assertThrows(IllegalArgumentException.class, () -> BitcoinMessages.fromJson("version", version));
    assertTrue(e.getMessage().startsWith("receiver.host: not a dotted IPv4 address"), e.getMessage());

    JsonObject inv = new JsonObject().put("items", new JsonArray().add(new JsonObject().put("type", "MSG_NOPE")
        .put("hash", SampleMessages.HASH_A.toString())));
    e = assertThrows(IllegalArgumentException.class, () -> BitcoinMessages.fromJson("inv", inv));
    assertTrue(e.getMessage().startsWith("items[0].type: "), e.getMessage());

    JsonObject addrv2 = new JsonObject().put("addresses", new JsonArray().add(new JsonObject().put("time", 0)
        .put("services", 0).put("network", "TORV3").put("port", 1)
        .put("host", "pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscrya.onion")));
    e = assertThrows(IllegalArgumentException.class, () -> BitcoinMessages.fromJson("addrv2", addrv2));
    assertTrue(e.getMessage().contains("bad Tor v3 checksum"), e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> BitcoinMessages.fromJson("verack", null));
    assertTrue(e.getMessage().contains("must be an object"), e.getMessage());
  }

  @Test
  void messagesCopyWhatTheyAreGivenAndWhatTheyReturn() {
    byte[] script = SampleMessages.bytes("51");
    TransactionOutput output = new TransactionOutput(1, script);
    script[0] = 0;
    output.scriptPubKey()[0] = 0;
    assertArrayEquals(SampleMessages.bytes("51"), output.scriptPubKey());

    Buffer payload = Hex.buffer("0102");
    RawMessage raw = new RawMessage("x", payload);
    payload.setByte(0, (byte) 9);
    raw.payload().setByte(0, (byte) 9);
    assertEquals("0102", Hex.of(raw.payload()));

    TransactionInput input = SampleMessages.segwitTransaction().inputs().get(1);
    input.witness().get(0)[0] = 0;
    assertEquals("3044022001", Hex.of(input.witness().get(0)));
    assertThrows(UnsupportedOperationException.class, () -> SampleMessages.segwitTransaction().inputs().clear());
  }

  @Test
  void rejectHashForBlockAndTransactionRejects() {
    RejectMessage reject = new RejectMessage("tx", 0x10, "bad-txns", SampleMessages.HASH_B.bytes());
    assertEquals(SampleMessages.HASH_B, reject.hash().orElseThrow());
    assertTrue(new RejectMessage("version", 0x11, "", SampleMessages.HASH_B.bytes()).hash().isEmpty());
  }

  @Test
  void versionBeforeBip37HasNoRelayByte() {
    VersionMessage old = new VersionMessage(60002, 1, 0, SampleMessages.version().receiver(),
        SampleMessages.version().sender(), 0, "", 0, true);
    VersionMessage current = new VersionMessage(70001, 1, 0, old.receiver(), old.sender(), 0, "", 0, true);
    assertEquals(old.payload().length() + 1, current.payload().length());
    assertNotEquals(old, current);
  }
}
