package org.peermesh.antelope.peer;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.BusAddresses;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.Interop;
import org.peermesh.testing.TestNodes;
import org.peermesh.testing.antelope.WharfkitClient;
import org.peermesh.testing.antelope.WharfkitEvents;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;

/**
 * PeerMesh as an Antelope relay, dialed by real wharfkit code: @wharfkit/antelope 1.2.0's P2PClient with its
 * SimpleEnvelopeP2PProvider ({@code src/interop/wharfkit/p2p-client.js}), doing what wharfkit's P2P guide shows. Each
 * client checks PeerMesh's handshake signature with wharfkit's own recovery.
 */
@Interop
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AntelopeInteropTest {

  /** EOS mainnet's chain id. */
  static final String CHAIN_ID = "aca376f206b8fc25a6ed44dbdc66547c36c6c33e3a119ffbeaef943642f0e906";
  private static final String OTHER_CHAIN = "73e4385a2708e6d7048834fbc1079f2fabb17b3c125b146af438971e90716c4d";
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  /** A packed transaction as the vectors file has it (its id, sha256 of packed_trx, from the vector's note). */
  private static final String PACKED_TRX = "00f15365780004030201000000000100a6823403ea3055000000572d3ccdcd01000000"
      + "0000855c3400000000a8ed3232250000000000855c340000000000000e3d102700000000000004454f5300000000047465737400";

  private Vertx vertx;
  private TestNodes nodes;
  private PeerMeshNode node;
  private BusAddresses addresses;
  private List<JsonObject> handshakes;
  private List<JsonObject> transactions;
  private List<JsonObject> blocks;

  @BeforeAll
  void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    nodes = new TestNodes(vertx, dir);
    NodeOptions options = nodes.options().setMesh(null).setProtocol(AntelopeProtocol.NAME, new AntelopeOptions()
        .setChainId(CHAIN_ID)
        .setListen(new PeerAddress("127.0.0.1", 0))
        // Every client comes from 127.0.0.1: nodeos' one peer per host would keep the second out.
        .setMaxClientsPerHost(10)
        .setPingInterval(500));
    addresses = new BusAddresses(options.getBusPrefix());
    handshakes = nodes.collect(addresses.protocol(AntelopeProtocol.NAME).message("handshake_message"));
    transactions = nodes.collect(addresses.protocol(AntelopeProtocol.NAME).message("packed_transaction"));
    blocks = nodes.collect(addresses.protocol(AntelopeProtocol.NAME).message("signed_block"));
    node = nodes.start(options);
  }

  @AfterAll
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
    if (vertx != null) {
      TestNodes.await(vertx.close());
    }
  }

  private WharfkitClient dial(WharfkitClient.Options options) {
    PeerAddress listen = node.listenAddress(AntelopeProtocol.NAME);
    return WharfkitClient.connect(listen.host(), listen.port(), options);
  }

  /** Dials as the guide does (a signed handshake of generation 4) and waits for PeerMesh's verified handshake. */
  private WharfkitClient handshaken() {
    WharfkitClient client = dial(WharfkitClient.Options.forChain(CHAIN_ID).withGeneration(4));
    JsonObject verified = client.awaitEvent(WharfkitEvents.named("handshake_verified"), DEADLINE);
    assertTrue(verified.getBoolean("ok"), verified::encode);
    return client;
  }

  @Test
  void aWharfkitClientGetsASignedHandshakeThatWharfkitVerifies() {
    try (WharfkitClient client = handshaken()) {
      JsonObject ours = client.awaitEvent(WharfkitEvents.message("handshake_message"), DEADLINE).getJsonObject("json");
      assertEquals(CHAIN_ID, ours.getString("chainId"));
      assertEquals(0x04bc, ours.getInteger("networkVersion"));
      assertEquals("PeerMesh", ours.getString("agent"));
      JsonObject verified = client.events().matching(WharfkitEvents.named("handshake_verified")).get(0);
      assertEquals(ours.getString("key"), verified.getString("recovered"));
      // The node published the client's handshake, with the key the client signed with.
      JsonObject published = awaitEvent(handshakes,
          e -> e.getJsonObject("message").getString("key").equals(client.publicKey()));
      assertEquals(4, published.getJsonObject("message").getInteger("generation"));
      JsonObject info = node.peers(AntelopeProtocol.NAME).stream()
          .filter(p -> p.getString("peer").equals(published.getString("peer"))).findFirst().orElseThrow();
      assertTrue(info.getBoolean("keyProven"), info::encode);
    }
  }

  @Test
  void timePingsAreAnsweredAndPeerMeshPingsToo() {
    try (WharfkitClient client = handshaken()) {
      long xmt = 1_700_000_000_123_456_789L;
      client.sendMessage("time_message", new JsonObject().put("org", 0).put("rec", 0).put("xmt", String.valueOf(xmt))
          .put("dst", 0));
      JsonObject answer = client.awaitEvent(e -> WharfkitEvents.message("time_message").test(e)
          && String.valueOf(xmt).equals(String.valueOf(e.getJsonObject("json").getValue("org"))), DEADLINE);
      assertTrue(Long.parseLong(String.valueOf(answer.getJsonObject("json").getValue("xmt"))) > 0, answer::encode);
      // PeerMesh's own ping: no origin, a transmit time; the client answers it, which gives the round trip.
      client.awaitEvent(e -> WharfkitEvents.message("time_message").test(e)
          && "0".equals(String.valueOf(e.getJsonObject("json").getValue("org")))
          && !"0".equals(String.valueOf(e.getJsonObject("json").getValue("xmt"))), DEADLINE);
    }
  }

  @Test
  void aTransactionIsPublishedOnceAndRelayedToTheOtherClientNotEchoed() throws Exception {
    try (WharfkitClient sender = handshaken(); WharfkitClient receiver = handshaken()) {
      JsonObject transaction = new JsonObject().put("signatures", List.of()).put("compression", 0)
          .put("packed_context_free_data", "").put("packed_trx", PACKED_TRX);
      sender.sendMessage("packed_transaction", transaction);
      sender.sendMessage("packed_transaction", transaction);
      String id = sha256Hex(PACKED_TRX);
      JsonObject relayed = receiver.awaitEvent(WharfkitEvents.message("packed_transaction"), DEADLINE);
      assertEquals(PACKED_TRX, relayed.getJsonObject("json").getString("packed_trx"));
      JsonObject published = awaitEvent(transactions, e -> e.getString("id").equals(id));
      assertEquals(PACKED_TRX, published.getJsonObject("message").getString("packed_trx"));
      // A ping after the relay: the node answers it after anything it relayed to the sender, which is nothing.
      long xmt = 42;
      sender.sendMessage("time_message", new JsonObject().put("org", 0).put("rec", 0).put("xmt", xmt).put("dst", 0));
      sender.awaitEvent(e -> WharfkitEvents.message("time_message").test(e)
          && "42".equals(String.valueOf(e.getJsonObject("json").getValue("org"))), DEADLINE);
      assertTrue(sender.events().matching(WharfkitEvents.message("packed_transaction")).isEmpty(),
          () -> sender.events().all().toString());
      assertEquals(1, transactions.stream().filter(e -> e.getString("id").equals(id)).count());
      assertEquals(1, receiver.events().matching(WharfkitEvents.message("packed_transaction")).size());
    }
  }

  @Test
  void aBlockFromOneClientIsPublishedWithWharfkitsIdAndRelayed() {
    try (WharfkitClient feeder = handshaken(); WharfkitClient watcher = handshaken()) {
      JsonObject block = new JsonObject().put("timeSlot", 1_400_000_000L).put("producer", "eosio").put("confirmed", 0)
          .put("previous", "00000078bb8a39ff6c058ca55f7979c3a168c9cc044b58102796e6f95b278499")
          .put("transaction_mroot", "00".repeat(32)).put("action_mroot", "00".repeat(32))
          .put("schedule_version", 0).put("header_extensions", List.of())
          .put("producer_signature", "SIG_K1_KYNbZm8XygFctc858vzbFLPdomehDu2xdZ4B8FkFgKGHtQhJFAJYrtjhUwWstShy5rRcu7xsUbi4XZ3RmJZSboPk5iFJa6")
          .put("transactions", List.of()).put("block_extensions", List.of());
      feeder.sendMessage("signed_block", block);
      JsonObject relayed = watcher.awaitEvent(WharfkitEvents.message("signed_block"), DEADLINE);
      String id = relayed.getString("blockId");
      JsonObject published = awaitEvent(blocks, e -> e.getString("id").equals(id));
      assertEquals(121, published.getLong("blockNum"));
      assertEquals(id, published.getJsonObject("message").getString("id"));
    }
  }

  @Test
  void aHandshakeOnAnotherChainGetsGoAwayWrongChain() {
    try (WharfkitClient client = dial(WharfkitClient.Options.forChain(OTHER_CHAIN))) {
      JsonObject goAway = client.awaitEvent(WharfkitEvents.message("go_away_message"), DEADLINE);
      // nodeos' form: the reason as four bytes, then our node_id.
      assertTrue(goAway.getString("hex").startsWith("0203000000"), goAway::encode);
      assertEquals(2 + 8 + 64, goAway.getString("hex").length());
      client.awaitEvent(WharfkitEvents.named("close"), DEADLINE);
      assertFalse(client.events().all().stream().anyMatch(WharfkitEvents.message("handshake_message")));
    }
  }

  private static String sha256Hex(String hex) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(HexFormat.of().parseHex(hex)));
  }
}
