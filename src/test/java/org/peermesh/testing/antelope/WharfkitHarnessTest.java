package org.peermesh.testing.antelope;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.peermesh.testing.Interop;
import org.peermesh.testing.TestNodes;

import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.antelope.WharfkitEvents.message;
import static org.peermesh.testing.antelope.WharfkitEvents.named;

/**
 * The wharfkit harness against itself over loopback: the real wharfkit P2P client dials the nodeos stand-in, and
 * each checks the other as the tests of PeerMesh's Antelope protocol will have them check PeerMesh.
 */
@Interop
class WharfkitHarnessTest {

  private static final String EOS_MAINNET = "aca376f206b8fc25a6ed44dbdc66547c36c6c33e3a119ffbeaef943642f0e906";
  private static final String OTHER_CHAIN = "ab".repeat(32);
  private static final String ZERO_ID = "00".repeat(32);
  private static final int BLOCKS = 20;

  private static NodeosStandin standin;

  @BeforeAll
  static void startStandin() {
    standin = NodeosStandin.start(EOS_MAINNET, BLOCKS);
  }

  @AfterAll
  static void stopStandin() {
    if (standin != null) {
      standin.close();
    }
  }

  private static WharfkitClient connect(WharfkitClient.Options options) {
    return WharfkitClient.connect(standin.host(), standin.port(), options);
  }

  /** The stand-in's verdict on the first handshake of the client's connection. */
  private static JsonObject verdictOn(WharfkitClient client) {
    int connection = standin.awaitConnection(client.nodeId(), TestNodes.DEADLINE);
    return standin.awaitEvent(named("handshake").and(onConnection(connection)), TestNodes.DEADLINE);
  }

  private static Predicate<JsonObject> onConnection(int connection) {
    return event -> event.getInteger("connection") == connection;
  }

  @Test
  void handshakesBothWaysWithSignaturesThatRecoverTheirKeys() {
    try (WharfkitClient client = connect(WharfkitClient.Options.forChain(EOS_MAINNET))) {
      assertEquals("accepted", verdictOn(client).getString("result"));
      JsonObject received = standin.awaitEvent(message("handshake_message")
          .and(event -> client.nodeId().equals(event.getJsonObject("json").getString("nodeId"))), TestNodes.DEADLINE)
          .getJsonObject("json");
      assertEquals(client.publicKey(), received.getString("key"));
      assertEquals(1, received.getInteger("generation"));

      JsonObject handshake = client.awaitEvent(message("handshake_message"), TestNodes.DEADLINE)
          .getJsonObject("json");
      assertEquals(EOS_MAINNET, handshake.getString("chainId"));
      assertEquals(standin.nodeId(), handshake.getString("nodeId"));
      assertEquals(standin.publicKey(), handshake.getString("key"));
      int head = handshake.getInteger("headNum");
      int lib = handshake.getInteger("lastIrreversibleBlockNumber");
      assertTrue(head >= BLOCKS && lib == head - 1, "head " + head + ", lib " + lib);
      assertEquals(standin.blockId(head), handshake.getString("headId"));
      assertEquals(standin.blockId(lib), handshake.getString("lastIrreversibleBlockId"));
      JsonObject verified = client.awaitEvent(named("handshake_verified"), TestNodes.DEADLINE);
      assertEquals(true, verified.getBoolean("ok"), verified.encode());
      assertEquals(standin.publicKey(), verified.getString("recovered"));
    }
  }

  @Test
  void answersEachOthersPingsAsNodeosDoes() {
    try (WharfkitClient client = connect(WharfkitClient.Options.forChain(EOS_MAINNET))) {
      int connection = standin.awaitConnection(client.nodeId(), TestNodes.DEADLINE);
      JsonObject ping = client.awaitEvent(message("time_message"), TestNodes.DEADLINE).getJsonObject("json");
      assertEquals("0", String.valueOf(ping.getValue("org")));
      String pingXmt = ping.getString("xmt");

      JsonObject pong = standin.awaitEvent(message("time_message").and(onConnection(connection)), TestNodes.DEADLINE)
          .getJsonObject("json");
      assertEquals(pingXmt, pong.getString("org"));
      assertEquals("0", String.valueOf(pong.getValue("dst")));
      assertTrue(Long.parseLong(pong.getString("xmt")) >= Long.parseLong(pong.getString("rec")), pong.encode());

      client.sendMessage("time_message", new JsonObject().put("org", 0).put("rec", 0).put("xmt", "1700000000000000000")
          .put("dst", 0));
      JsonObject answer = client.awaitEvent(message("time_message")
          .and(event -> "1700000000000000000".equals(event.getJsonObject("json").getString("org"))),
          TestNodes.DEADLINE).getJsonObject("json");
      assertEquals("0", String.valueOf(answer.getValue("dst")));
    }
  }

  @Test
  void streamsTheBlocksASyncRequestAsksForLinkedAsTheChainIs() {
    try (WharfkitClient client = connect(WharfkitClient.Options.forChain(EOS_MAINNET))) {
      assertEquals("accepted", verdictOn(client).getString("result"));
      client.sendMessage("sync_request_message", new JsonObject().put("startBlock", 1).put("endBlock", 5));

      List<JsonObject> blocks = client.awaitEvents(message("signed_block"), 5, TestNodes.DEADLINE);
      List<String> chain = standin.chain();
      for (int num = 1; num <= 5; num++) {
        JsonObject block = blocks.get(num - 1);
        assertEquals(chain.get(num - 1), block.getString("blockId"), "block " + num);
        assertEquals(num == 1 ? ZERO_ID : chain.get(num - 2), block.getJsonObject("json").getString("previous"));
        assertEquals("eosio", block.getJsonObject("json").getString("producer"));
      }
      JsonArray receipts = blocks.get(2).getJsonObject("json").getJsonArray("transactions");
      assertEquals(1, receipts.size(), "block 3 carries a transaction");
      assertEquals("packed_transaction", receipts.getJsonObject(0).getJsonArray("trx").getString(0));
    }
  }

  @Test
  void answersASyncRequestPastItsHeadWithItsLastBlocksThenGoAwayBenignOther() {
    try (WharfkitClient client = connect(WharfkitClient.Options.forChain(EOS_MAINNET))) {
      assertEquals("accepted", verdictOn(client).getString("result"));
      int head = standin.headNum();
      client.sendMessage("sync_request_message", new JsonObject().put("startBlock", head - 1)
          .put("endBlock", head + 10));

      JsonObject goAway = client.awaitEvent(message("go_away_message"), TestNodes.DEADLINE);
      List<String> received = client.events().matching(message("signed_block")).stream()
          .map(block -> block.getString("blockId")).toList();
      assertEquals(standin.chain().subList(head - 2, head), received);
      assertEquals(9, goAway.getJsonObject("json").getInteger("reason"));
      assertEquals(nodeosGoAway(9), goAway.getString("hex"));
      client.awaitEvent(named("close"), TestNodes.DEADLINE);
    }
  }

  @Test
  void sendsAProducedBlockToItsPeersLive() {
    try (WharfkitClient client = connect(WharfkitClient.Options.forChain(EOS_MAINNET))) {
      assertEquals("accepted", verdictOn(client).getString("result"));
      String previousHead = standin.blockId(standin.headNum());

      String produced = standin.produce(1).get(0);

      JsonObject block = client.awaitEvent(message("signed_block"), TestNodes.DEADLINE);
      assertEquals(produced, block.getString("blockId"));
      assertEquals(previousHead, block.getJsonObject("json").getString("previous"));
    }
  }

  @Test
  void sendsGoAwayWrongChainInNodeosFormToAnotherChainsHandshake() {
    try (WharfkitClient client = connect(WharfkitClient.Options.forChain(OTHER_CHAIN))) {
      JsonObject verdict = verdictOn(client);
      assertEquals("wrong_chain", verdict.getString("result"));
      assertEquals(3, verdict.getInteger("reason"));

      JsonObject goAway = client.awaitEvent(message("go_away_message"), TestNodes.DEADLINE);
      assertEquals(3, goAway.getJsonObject("json").getInteger("reason"));
      // 37 bytes: variant index 2, the reason as a u32 LE, node_id (zero, as nodeos leaves it for wrong_chain).
      assertEquals(nodeosGoAway(3), goAway.getString("hex"));
      client.awaitEvent(named("close"), TestNodes.DEADLINE);
      assertTrue(client.events().matching(message("handshake_message")).isEmpty(), "no handshake in answer");
    }
  }

  @Test
  void sendsGoAwayAuthenticationWhenTheSignatureDoesNotRecoverTheKey() {
    JsonObject someoneElsesKey = new JsonObject().put("key", standin.publicKey());
    try (WharfkitClient client = connect(WharfkitClient.Options.forChain(EOS_MAINNET).withHandshake(someoneElsesKey))) {
      assertEquals("authentication", verdictOn(client).getString("result"));
      JsonObject goAway = client.awaitEvent(message("go_away_message"), TestNodes.DEADLINE);
      assertEquals(nodeosGoAway(11), goAway.getString("hex"));
    }
  }

  @Test
  void acceptsAnUnsignedHandshake() {
    try (WharfkitClient client = connect(WharfkitClient.Options.forChain(EOS_MAINNET).unsigned())) {
      assertEquals("accepted", verdictOn(client).getString("result"));
      assertEquals(EOS_MAINNET, client.awaitEvent(message("handshake_message"), TestNodes.DEADLINE)
          .getJsonObject("json").getString("chainId"));
    }
  }

  /** go_away's payload as nodeos writes it with a zero node_id: index 2, the reason as a u32 LE, 32 zero bytes. */
  private static String nodeosGoAway(int reason) {
    return String.format("02%02x000000", reason) + ZERO_ID;
  }
}
