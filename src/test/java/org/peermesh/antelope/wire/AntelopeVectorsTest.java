package org.peermesh.antelope.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.peermesh.antelope.crypto.AntelopePublicKey;
import org.peermesh.antelope.crypto.AntelopeSignature;

/** Every vector of antelope-vectors.json decodes to the fields and JSON it was built from, and back to its bytes. */
class AntelopeVectorsTest {

  /** Fields this codec adds to wharfkit's JSON for its consumers. */
  private static final Set<String> DERIVED = Set.of("id", "blockNum", "reasonName");
  private static final Checksum256 EOS_CHAIN_ID =
      Checksum256.fromHex("aca376f206b8fc25a6ed44dbdc66547c36c6c33e3a119ffbeaef943642f0e906");
  private static final Checksum256 NODE_ID =
      Checksum256.fromHex("db710bbebe42a33228f6011c0be483e9fefe25501d011837be8a1d59755452fb");

  static Stream<JsonObject> decodable() {
    return AntelopeVectors.vectors().stream().filter(AntelopeVectors::decodes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodable")
  void decodesToItsJsonAndBackToItsBytes(JsonObject vector) {
    Buffer envelope = AntelopeVectors.envelope(vector);
    assertEquals(vector.getInteger("bodyLen"), envelope.getIntLE(0));
    AntelopeMessage message = AntelopeMessages.decode(AntelopeVectors.payload(vector));
    assertEquals(vector.getInteger("variant"), message.variant());

    JsonArray json = vector.getJsonArray("json"); // the nodeos-only vectors have none: wharfkit misreads them
    if (json != null) {
      assertEquals(json.getString(0), message.typeName());
      assertEquals(normalised(json.getJsonObject(1)), normalised(withoutDerived(message.toJson())));
      assertEquals(message, AntelopeMessages.fromJson(json.getString(0), json.getJsonObject(1)));
    }
    assertEquals(message, AntelopeMessages.fromJson(message.typeName(), message.toJson()));

    Buffer encoded = Buffer.buffer();
    AntelopeMessages.encode(message, encoded);
    String name = vector.getString("name");
    if (name.equals("go_away_wharfkit")) {
      assertEquals(AntelopeVectors.named("go_away_nodeos").getString("envelope"), hex(encoded));
    } else {
      assertTrue(vector.getBoolean("roundTrip", false) || name.contains("_nodeos"), name);
      assertEquals(vector.getString("envelope"), hex(encoded));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wharfkitOnly")
  void wharfkitNoticeAndRequestLayoutsAreRefusedCleanly(JsonObject vector) {
    AntelopeWireException e = assertThrows(AntelopeWireException.class,
        () -> AntelopeMessages.decode(AntelopeVectors.payload(vector)));
    assertTrue(Set.of("truncated", "too_many_elements").contains(e.kind()), e.kind());
  }

  static Stream<JsonObject> wharfkitOnly() {
    return AntelopeVectors.WHARFKIT_ONLY.stream().map(AntelopeVectors::named);
  }

  @Test
  void signedHandshakeFields() {
    HandshakeMessage handshake = decode("handshake_signed", HandshakeMessage.class);
    JsonObject k1 = AntelopeVectors.all().getJsonObject("k1");
    assertEquals(0x04bc, handshake.networkVersion());
    assertEquals(EOS_CHAIN_ID, handshake.chainId());
    assertEquals(NODE_ID, handshake.nodeId());
    assertEquals(AntelopePublicKey.parse(k1.getString("pub_k1")), handshake.key());
    assertEquals(1_700_000_000_000_000_000L, handshake.time());
    assertEquals(Checksum256.fromHex(k1.getString("hs_token")), handshake.token());
    assertEquals(Checksum256.sha256(Buffer.buffer().appendLongLE(handshake.time()).getBytes()), handshake.token());
    assertEquals(AntelopeSignature.parse(k1.getString("hs_sig")), handshake.sig());
    assertEquals("127.0.0.1:9876 - db710bb", handshake.p2pAddress());
    assertEquals(100, handshake.lastIrreversibleBlockNum());
    assertEquals(100, handshake.lastIrreversibleBlockId().blockNumOfId());
    assertEquals(120, handshake.headNum());
    assertEquals(120, handshake.headId().blockNumOfId());
    assertEquals("linux", handshake.os());
    assertEquals("\"PeerMesh\"", handshake.agent());
    assertEquals(1, handshake.generation());
  }

  @Test
  void unsignedHandshakeCarriesZeroKeyAndSignature() {
    HandshakeMessage handshake = decode("handshake_unsigned", HandshakeMessage.class);
    assertEquals(0x04c0, handshake.networkVersion());
    assertEquals(AntelopePublicKey.ZERO_K1, handshake.key());
    assertEquals(AntelopeSignature.ZERO_K1, handshake.sig());
    assertTrue(handshake.token().isZero());
    assertEquals(2, handshake.generation());
  }

  @Test
  void goAwayInWharfkitFormReadsTheReasonAndNodeId() {
    GoAwayMessage wharfkit = decode("go_away_wharfkit", GoAwayMessage.class);
    assertEquals(new GoAwayMessage(3, NODE_ID), wharfkit);
    assertEquals(Optional.of(GoAwayReason.WRONG_CHAIN), wharfkit.reason());
    assertEquals(wharfkit, decode("go_away_nodeos", GoAwayMessage.class));
    GoAwayMessage fatal = decode("go_away_nodeos_no_nodeid", GoAwayMessage.class);
    assertEquals(GoAwayMessage.of(GoAwayReason.FATAL_OTHER, Checksum256.ZERO), fatal);
    assertEquals("fatal_other", fatal.toJson().getString("reasonName"));
  }

  @Test
  void nodeosNoticesAndRequests() {
    NoticeMessage catchUp = decode("notice_nodeos_catch_up", NoticeMessage.class);
    Checksum256 head = Checksum256.fromHex("00000078bb8a39ff6c058ca55f7979c3a168c9cc044b58102796e6f95b278499");
    assertEquals(new NoticeMessage(SelectIds.of(IdListMode.NONE, 0, List.of()),
        SelectIds.of(IdListMode.CATCH_UP, 120, List.of(head))), catchUp);
    NoticeMessage range = decode("notice_nodeos_lib_catch_up_range", NoticeMessage.class);
    assertEquals(Optional.of(IdListMode.LAST_IRR_CATCH_UP), range.knownTrx().idListMode());
    assertEquals(100, range.knownTrx().pending());
    assertEquals(List.of(head, Checksum256.fromHex(
        "00000001709fa672374b463bbd8d5946ff4f530c5e65be07bf17ef8473ec96e9")), range.knownBlocks().ids());
    assertEquals(new RequestMessage(SelectIds.of(IdListMode.NONE, 0, List.of()),
        SelectIds.of(IdListMode.CATCH_UP, 0, List.of())), decode("request_nodeos_catch_up", RequestMessage.class));
    assertEquals(new JsonObject().put("mode", 1).put("pending", 120).put("ids", new JsonArray().add(head.toHex())),
        catchUp.toJson().getJsonObject("knownBlocks"));
  }

  @Test
  void packedTransactionIdAndSigningDigestAreTheNotes() {
    PackedTransaction transaction = decode("packed_transaction", PackedTransaction.class);
    assertEquals("948b884b1809cafa48b13861b2f3a3c62679c02170c42aa925ea9e9f1012f729", transaction.id().toHex());
    assertEquals("9f7e7eb5e98008854e6d06b6be8cf01c3dc32677743aec491af7f4741fcc5eec",
        transaction.signingDigest(EOS_CHAIN_ID).toHex());
    assertEquals(transaction.id().toHex(), transaction.toJson().getString("id"));
  }

  @Test
  void signedBlockIdAndReceipts() {
    SignedBlock block = decode("signed_block", SignedBlock.class);
    assertEquals("0000007908b058bc0cfc5cbe0c99461196c4f1a2c89cf416cc9dd3b9a5ee086b", block.id().toHex());
    assertEquals(121, block.blockNum());
    assertEquals("eosio", AntelopeName.toText(block.header().producer()));
    assertEquals(1_400_000_000L, block.header().timestamp());
    assertEquals(2, block.transactions().size());
    TransactionReceipt byId = block.transactions().get(0);
    TransactionReceipt packed = block.transactions().get(1);
    assertEquals(Optional.empty(), byId.packed());
    assertEquals(decode("packed_transaction", PackedTransaction.class), packed.packed().orElseThrow());
    assertEquals(byId.transactionId(), packed.transactionId());
    assertEquals(150, byId.cpuUsageUs());
    assertEquals(17, packed.netUsageWords());
    JsonObject json = block.toJson();
    assertEquals(block.id().toHex(), json.getString("id"));
    assertEquals(121L, json.getLong("blockNum"));
  }

  @Test
  void theResourceIsACopyOfTheSharedVectors() throws IOException {
    Path shared = Path.of("..", "shared", "protocols", "antelope-vectors.json");
    assumeTrue(Files.exists(shared), "no " + shared + " beside the project");
    assertEquals(new JsonObject(Files.readString(shared)), AntelopeVectors.all());
  }

  private static <T extends AntelopeMessage> T decode(String vector, Class<T> type) {
    return assertInstanceOf(type, AntelopeMessages.decode(AntelopeVectors.payload(AntelopeVectors.named(vector))));
  }

  private static String hex(Buffer buffer) {
    return HexFormat.of().formatHex(buffer.getBytes());
  }

  /** {@code json} without the fields this codec derives, at any depth. */
  private static Object withoutDerived(Object json) {
    if (json instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      object.forEach(entry -> {
        if (!DERIVED.contains(entry.getKey())) {
          copy.put(entry.getKey(), withoutDerived(entry.getValue()));
        }
      });
      return copy;
    }
    if (json instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(withoutDerived(item)));
      return copy;
    }
    return json;
  }

  /** Numbers as their decimal text, as wharfkit writes a 64-bit value as a number or a string by its size. */
  private static Object normalised(Object json) {
    if (json instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      object.forEach(entry -> copy.put(entry.getKey(), normalised(entry.getValue())));
      return copy;
    }
    if (json instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(normalised(item)));
      return copy;
    }
    return json instanceof Number number ? number.toString() : json;
  }
}
