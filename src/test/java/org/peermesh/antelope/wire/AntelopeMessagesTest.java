package org.peermesh.antelope.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.peermesh.antelope.crypto.KeyType;

/** Round trips of every type, and bad payloads refused with the right kind and nothing but AntelopeWireException. */
class AntelopeMessagesTest {

  private static final HexFormat HEX = HexFormat.of();

  static List<AntelopeMessage> samples() {
    return AntelopeSamples.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void everyTypeRoundTripsThroughBytesAndJson(AntelopeMessage message) {
    Buffer frame = Buffer.buffer();
    AntelopeMessages.encode(message, frame);
    assertEquals(frame.length() - AntelopeMessages.LENGTH_PREFIX_SIZE, frame.getIntLE(0));
    Buffer payload = frame.getBuffer(AntelopeMessages.LENGTH_PREFIX_SIZE, frame.length());
    assertEquals(payload, AntelopeMessages.payload(message));
    AntelopeMessage decoded = AntelopeMessages.decode(payload);
    assertEquals(message, decoded);
    assertEquals(message.hashCode(), decoded.hashCode());
    assertEquals(message.typeName(), AntelopeMessages.typeNames().get(message.variant()));
    JsonObject json = new JsonObject(message.toJson().encode());
    assertEquals(message, AntelopeMessages.fromJson(message.typeName(), json));
  }

  @Test
  void blockAndTransactionDerivedValues() {
    SignedBlock block = AntelopeSamples.block();
    assertEquals(0x40414243L + 1, block.blockNum());
    assertEquals(block.blockNum(), block.id().blockNumOfId());
    PackedTransaction zlib = AntelopeSamples.zlibTransaction();
    byte[] trx = "a transaction, compressed".repeat(10).getBytes(StandardCharsets.UTF_8);
    assertEquals(Checksum256.sha256(trx), zlib.id());
    Checksum256 chainId = AntelopeSamples.checksum(0);
    assertEquals(Checksum256.sha256(chainId.bytes(), trx,
        Checksum256.sha256("context free data".getBytes(StandardCharsets.UTF_8)).bytes()),
        zlib.signingDigest(chainId));
    assertEquals(zlib.id(), block.transactions().get(2).transactionId());
    JsonObject json = block.toJson();
    assertEquals("producer.a1j", json.getJsonObject("new_producers").getJsonArray("producers").getJsonObject(1)
        .getString("producer_name"));
    assertEquals("packed_transaction", json.getJsonArray("transactions").getJsonObject(1).getJsonArray("trx")
        .getString(0));
  }

  static Stream<JsonObject> decodableVectors() {
    return AntelopeVectors.vectors().stream().filter(AntelopeVectors::decodes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodableVectors")
  void everyTruncationIsRefusedCleanly(JsonObject vector) {
    byte[] payload = AntelopeVectors.payload(vector).getBytes();
    for (int length = 0; length < payload.length; length++) {
      Buffer truncated = Buffer.buffer(Arrays.copyOf(payload, length));
      if (vector.getInteger("variant") == NetMessageType.GO_AWAY.index() && length == 1 + 1 + Checksum256.LENGTH) {
        // nodeos' go_away cut to wharfkit's length is wharfkit's form: it decodes, to another node id
        assertInstanceOf(GoAwayMessage.class, AntelopeMessages.decode(truncated));
        continue;
      }
      assertThrows(AntelopeWireException.class, () -> AntelopeMessages.decode(truncated),
          vector.getString("name") + " cut to " + length);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodableVectors")
  void trailingBytesAreRefused(JsonObject vector) {
    Buffer payload = AntelopeVectors.payload(vector).appendByte((byte) 0);
    String expected = vector.getInteger("variant") == NetMessageType.GO_AWAY.index() ? "bad_length" : "trailing_bytes";
    assertEquals(expected, kindOf(payload));
  }

  @Test
  void vectorCountsAreCheckedBeforeAllocating() {
    // notice: known_trx{mode, pending, ids count 2^20 + 1}
    assertEquals("too_many_elements", kindOf(hex("04" + "00000000" + "00000000" + "8180c000")));
    // two ids claimed, one present
    assertEquals("too_many_elements", kindOf(hex("04" + "00000000" + "00000000" + "02" + "11".repeat(32))));
    // the largest varuint32 as a count
    assertEquals("too_many_elements", kindOf(hex("04" + "00000000" + "00000000" + "ffffffff0f")));
  }

  @Test
  void varuintsPast32BitsOrFiveBytesAreRefused() {
    assertEquals("varuint_too_long", kindOf(hex("ffffffffff01")));
    assertEquals("varuint_too_long", kindOf(hex("ffffffff1f")));
    assertEquals("varuint_too_long", kindOf(hex("8080808080")));
  }

  @Test
  void unknownVariantsAreRefused() {
    assertEquals("unknown_variant", kindOf(hex("0e")));
    assertEquals("unknown_variant", kindOf(hex("8080808008"))); // 2^31
    assertEquals("unknown_variant", kindOf(hex("ffffffff0f")));
    assertEquals("truncated", kindOf(Buffer.buffer()));
  }

  @Test
  void passThroughVariantsKeepTheirBody() {
    assertEquals(new UnknownMessage(13, HEX.parseHex("0102")), AntelopeMessages.decode(hex("0d0102")));
    assertEquals(new UnknownMessage(9, new byte[0]), AntelopeMessages.decode(hex("09")));
    assertEquals("vote_message", AntelopeMessages.decode(hex("09")).typeName());
  }

  @Test
  void keyTypesOtherThanK1AndR1AreRefused() {
    Buffer handshake = AntelopeMessages.payload(AntelopeSamples.handshake());
    int keyTypeOffset = 1 + 2 + 32 + 32;
    for (int type : new int[] {2, 7}) {
      Buffer bad = handshake.copy().setByte(keyTypeOffset, (byte) type);
      assertEquals("bad_key_type", kindOf(bad));
    }
    Buffer r1 = handshake.copy().setByte(keyTypeOffset, (byte) KeyType.R1.index());
    assertEquals(KeyType.R1, assertInstanceOf(HandshakeMessage.class, AntelopeMessages.decode(r1)).key().type());
  }

  @Test
  void stringsLongerThanTheFrameOrTheCapAreRefused() {
    HandshakeMessage sample = AntelopeSamples.handshake();
    Buffer prefix = new FcWriter().varuint32(0).u16(1).checksum256(Checksum256.ZERO).checksum256(Checksum256.ZERO)
        .publicKey(sample.key()).i64(0).checksum256(Checksum256.ZERO).signature(sample.sig()).buffer();
    assertEquals("truncated", kindOf(prefix.copy().appendBuffer(new FcWriter().varuint32(1000).buffer())
        .appendString("x".repeat(10))));
    assertEquals("bad_length", kindOf(prefix.copy().appendBuffer(new FcWriter()
        .varuint32(HandshakeMessage.MAX_STRING_BYTES + 1).buffer()).appendString("x".repeat(2000))));
    assertEquals("bad_utf8", kindOf(prefix.copy().appendBuffer(hex("02c328"))));
  }

  @Test
  void fieldValuesFcRefusesAreRefused() {
    Buffer block = AntelopeMessages.payload(AntelopeSamples.block());
    int newProducersFlag = 1 + 4 + 8 + 2 + 32 * 3 + 4;
    assertEquals("bad_bool", kindOf(block.copy().setByte(newProducersFlag, (byte) 2)));

    Buffer transaction = AntelopeMessages.payload(AntelopeSamples.uncompressedTransaction());
    int compression = 1 + 1 + 2 * 66;
    assertEquals("bad_compression", kindOf(transaction.copy().setByte(compression, (byte) 2)));
    assertEquals("bad_compression", kindOf(transaction.copy().setByte(compression, (byte) 1))); // not zlib data

    Buffer receipt = new FcWriter().varuint32(NetMessageType.SIGNED_BLOCK.index()).buffer();
    AntelopeSamples.block().header().encode(new FcWriter(receipt));
    new FcWriter(receipt).signature(AntelopeSamples.signature(KeyType.K1, 1)).varuint32(1).u8(0).u32(0)
        .varuint32(0).varuint32(2).checksum256(Checksum256.ZERO).varuint32(0);
    assertEquals("unknown_variant", kindOf(receipt));
  }

  @Test
  void goAwayOfAnotherLengthIsRefused() {
    assertEquals("bad_length", kindOf(hex("02" + "03000000" + "00".repeat(31))));
    assertEquals("bad_length", kindOf(hex("02")));
  }

  @Test
  void jsonErrorsNameTheField() {
    JsonObject handshake = AntelopeSamples.handshake().toJson();
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
        () -> AntelopeMessages.fromJson("handshake_message", handshake.copy().put("generation", 40000)));
    assertTrue(range.getMessage().contains("generation"), range.getMessage());
    IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
        () -> AntelopeMessages.fromJson("handshake_message", handshake.copy().put("key", "PUB_K1_nope")));
    assertTrue(key.getMessage().startsWith("key "), key.getMessage());
    JsonObject block = AntelopeSamples.block().toJson();
    block.getJsonArray("transactions").getJsonObject(1).getJsonArray("trx").set(0, "other");
    IllegalArgumentException trx = assertThrows(IllegalArgumentException.class,
        () -> AntelopeMessages.fromJson("signed_block", block));
    assertTrue(trx.getMessage().startsWith("transactions[1].trx[0]"), trx.getMessage());
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> AntelopeMessages.fromJson("nonsense_message", new JsonObject()));
    assertTrue(type.getMessage().contains("nonsense_message"), type.getMessage());
    assertEquals(new TimeMessage(1, 2, 3, 4), AntelopeMessages.fromJson("time_message",
        new JsonObject().put("org", "1").put("rec", 2).put("xmt", 3L).put("dst", "4")));
    assertEquals(new UnknownMessage(12, HEX.parseHex("ab")), AntelopeMessages.fromJson("gossip_bp_peers_message",
        new JsonObject().put("body", "ab")));
  }

  private static String kindOf(Buffer payload) {
    return assertThrows(AntelopeWireException.class, () -> AntelopeMessages.decode(payload)).kind();
  }

  private static Buffer hex(String hex) {
    return Buffer.buffer(HEX.parseHex(hex));
  }
}
