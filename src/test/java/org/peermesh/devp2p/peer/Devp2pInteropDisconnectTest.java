package org.peermesh.devp2p.peer;

import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peermesh.devp2p.Devp2pDisconnectException;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.testing.Interop;
import org.peermesh.testing.TestNodes;
import org.peermesh.testing.ethereumjs.EthereumjsPeer;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.devp2p.peer.Devp2pInteropTest.connectedPeer;
import static org.peermesh.devp2p.peer.Devp2pInteropTest.options;
import static org.peermesh.testing.JsonEvents.named;
import static org.peermesh.testing.TestNodes.await;
import static org.peermesh.testing.ethereumjs.EthereumjsPeer.about;

/**
 * devp2p's Disconnect reasons between PeerMesh and a real @ethereumjs/devp2p 10.0.0 node over loopback: those
 * ethereumjs sends, as we decode them; those we send (the disconnect command, a sub-protocol's failures, stopping),
 * as ethereumjs decodes them; and the refusals of a full node (0x04) and of a second connection of one key (0x05).
 */
@Interop
class Devp2pInteropDisconnectTest {

  /** EIP-8's static key A, for two ethereumjs nodes of one identity. */
  private static final String KEY_A = "49a7b37aa6f6645917e7b807e9d1c00d4fa71f18343b0d4122a4d2df64dd6fee";

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  private Devp2pServer start(Devp2pOptions options, Path dataDir, Devp2pProtocol... protocols) {
    return await(Devp2pServer.create(vertx, options, dataDir, protocols).start());
  }

  private List<JsonObject> stateChanges() {
    List<JsonObject> changes = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().<JsonObject>consumer("peermesh.devp2p.stateChange", m -> changes.add(m.body()))
        .completion());
    return changes;
  }

  /** The first change of {@code peer} (host:port) to closed, once there is one. */
  private static JsonObject awaitClosed(List<JsonObject> changes, String peer) {
    return await().atMost(TestNodes.DEADLINE).until(() -> changes.stream()
        .filter(change -> peer.equals(change.getString("peer")) && "closed".equals(change.getString("state")))
        .findFirst().orElse(null), change -> change != null);
  }

  /** ethereumjs dials the node and both sides see the other connected; returns our peer's name, host:port. */
  private static String connect(EthereumjsPeer ethereumjs, Devp2pServer node) {
    ethereumjs.connect(node.id().hex(), EthereumjsPeer.HOST, node.listenAddress().port());
    ethereumjs.awaitEvent(named("peer_added").and(about(node.id().hex())), TestNodes.DEADLINE);
    return connectedPeer(node, ethereumjs.id()).getString("peer");
  }

  @ParameterizedTest
  @CsvSource({"0, disconnect requested", "3, useless peer", "4, too many peers", "8, client quitting",
      "11, read timeout", "16, subprotocol error"})
  void theReasonsEthereumjsSendsAreDecoded(int code, String words, @TempDir Path dataDir) {
    List<JsonObject> changes = stateChanges();
    Devp2pServer node = start(options("peermesh-reasons", 10), dataDir);
    try (EthereumjsPeer ethereumjs = EthereumjsPeer.start(EthereumjsPeer.Options.defaults("ethereumjs-reasons"))) {
      String peer = connect(ethereumjs, node);

      ethereumjs.disconnect(node.id().hex(), code);
      String reason = awaitClosed(changes, peer).getString("reason");
      assertTrue(reason.contains("(" + code + ")") && reason.contains(words), reason);
      JsonObject removed = ethereumjs.awaitEvent(named("peer_removed"), TestNodes.DEADLINE);
      assertEquals(code, removed.getInteger("reason"));
      assertEquals(true, removed.getBoolean("disconnectWe"));
    }
  }

  @Test
  void ourDisconnectCommandIsRequested(@TempDir Path dataDir) {
    Devp2pServer node = start(options("peermesh-command", 10), dataDir);
    try (EthereumjsPeer ethereumjs = EthereumjsPeer.start(EthereumjsPeer.Options.defaults("ethereumjs-command"))) {
      String peer = connect(ethereumjs, node);

      await(vertx.eventBus().request("peermesh.devp2p.command.disconnect", new JsonObject().put("peer", peer)));
      assertRemovedWith(ethereumjs, node, 0x00, "disconnect requested");
    }
  }

  /**
   * A MyProtocol whose Run fails as go-ethereum's do: a payload that is no RLP list is {@code errInvalidMsg} (0x02),
   * ["useless"] is a sub-protocol's own {@code DiscUselessPeer} (0x03).
   */
  private static Devp2pProtocol failingProtocol() {
    return Devp2pProtocol.of("MyProtocol", 1, 1, (peer, rw) -> rw.handler(msg -> {
      if (msg.decodeList().string(0, "word").asString("word").equals("useless")) {
        throw new Devp2pDisconnectException(Devp2pDisconnectReason.USELESS_PEER, "told it is useless");
      }
    }));
  }

  @ParameterizedTest
  @CsvSource({"'[\"7573656c657373\"]', 3, useless peer", "'\"0102\"', 2, breach of protocol"})
  void aFailingSubProtocolsReasonReachesEthereumjs(String payload, int code, String words, @TempDir Path dataDir) {
    Devp2pServer node = start(options("peermesh-failing", 10), dataDir, failingProtocol());
    try (EthereumjsPeer ethereumjs = EthereumjsPeer.start(EthereumjsPeer.Options.defaults("ethereumjs-failing"))) {
      connect(ethereumjs, node);

      ethereumjs.send(node.id().hex(), "MyProtocol/1", 0, Json.decodeValue(payload));
      assertRemovedWith(ethereumjs, node, code, words);
    }
  }

  @Test
  void stoppingSaysClientQuitting(@TempDir Path dataDir) {
    Devp2pServer node = start(options("peermesh-stopping", 10), dataDir);
    try (EthereumjsPeer ethereumjs = EthereumjsPeer.start(EthereumjsPeer.Options.defaults("ethereumjs-stopping"))) {
      connect(ethereumjs, node);

      await(node.stop());
      assertRemovedWith(ethereumjs, node, 0x08, "client quitting");
    }
  }

  private static void assertRemovedWith(EthereumjsPeer ethereumjs, Devp2pServer node, int code, String words) {
    JsonObject removed = ethereumjs.awaitEvent(named("peer_removed"), TestNodes.DEADLINE);
    assertEquals(node.id().hex(), removed.getString("id"));
    assertEquals(code, removed.getInteger("reason"), removed.encode());
    assertEquals(words, removed.getString("reasonText"));
    assertEquals(false, removed.getBoolean("disconnectWe"));
  }

  /**
   * The full node completes the handshake, Hello included, before its admission refuses the peer, so ethereumjs
   * reports the peer added and then removed with 0x04 (geth would refuse before its Hello; ethereumjs takes either).
   */
  @Test
  void aFullNodeRefusesTheSecondPeerWithTooManyPeers(@TempDir Path dataDir) {
    List<JsonObject> changes = stateChanges();
    // maxPeers 1: one inbound slot (geth's dial ratio leaves at least one).
    Devp2pServer node = start(options("peermesh-full", 1), dataDir);
    try (EthereumjsPeer first = EthereumjsPeer.start(EthereumjsPeer.Options.defaults("ethereumjs-first"));
         EthereumjsPeer second = EthereumjsPeer.start(EthereumjsPeer.Options.defaults("ethereumjs-second"))) {
      connect(first, node);

      second.connect(node.id().hex(), EthereumjsPeer.HOST, node.listenAddress().port());
      JsonObject removed = second.awaitEvent(named("peer_removed"), TestNodes.DEADLINE);
      assertEquals(node.id().hex(), removed.getString("id"));
      assertEquals(0x04, removed.getInteger("reason"), removed.encode());
      assertEquals("too many peers", removed.getString("reasonText"));
      assertEquals(false, removed.getBoolean("disconnectWe"));
      JsonObject refused = await().atMost(TestNodes.DEADLINE).until(() -> changes.stream()
          .filter(change -> "closed".equals(change.getString("state"))).findFirst().orElse(null), c -> c != null);
      assertEquals(second.id(), refused.getString("peerId"));
      assertTrue(refused.getString("reason").contains("inbound slots"), refused.encode());
      assertEquals(List.of(first.id()), node.peers().stream().map(peer -> peer.getString("id")).toList());
      assertTrue(first.events().matching(named("peer_removed")).isEmpty(), "the first peer was dropped");
    }
  }

  /**
   * As geth, we refuse a second connection of a node right after the key exchange, before our Hello: ethereumjs
   * decodes the 0x05 (its disconnect_received) but, not yet connected, emits no peer:removed for it, and never a
   * peer:added.
   */
  @Test
  void aSecondConnectionOfOneKeyIsAlreadyConnected(@TempDir Path dataDir) {
    List<JsonObject> changes = stateChanges();
    Devp2pServer node = start(options("peermesh-twice", 10), dataDir);
    try (EthereumjsPeer first = EthereumjsPeer.start(EthereumjsPeer.Options.defaults("ethereumjs-a").withKey(KEY_A));
         EthereumjsPeer twin = EthereumjsPeer.start(EthereumjsPeer.Options.defaults("ethereumjs-a2").withKey(KEY_A))) {
      assertEquals(first.id(), twin.id());
      connect(first, node);

      twin.connect(node.id().hex(), EthereumjsPeer.HOST, node.listenAddress().port());
      JsonObject disconnect = twin.awaitEvent(named("disconnect_received"), TestNodes.DEADLINE);
      assertEquals(node.id().hex(), disconnect.getString("peer"));
      assertEquals(0x05, disconnect.getInteger("reason"), disconnect.encode());
      assertEquals("already connected", disconnect.getString("reasonText"));
      assertEquals(false, disconnect.getBoolean("afterHello"));
      JsonObject refused = await().atMost(TestNodes.DEADLINE).until(() -> changes.stream()
          .filter(change -> "closed".equals(change.getString("state"))).findFirst().orElse(null), c -> c != null);
      assertEquals("handshaking", refused.getString("previous"));
      assertTrue(refused.getString("reason").contains("already connected"), refused.encode());
      assertTrue(twin.events().matching(named("peer_added")).isEmpty(), "the twin got our Hello");
      assertEquals(List.of(first.id()), node.peers().stream().map(peer -> peer.getString("id")).toList());
      assertTrue(first.events().matching(named("peer_removed")).isEmpty(), "the first connection was dropped");
    }
  }

  /** Our own dial of a node that is connected to us already ends as the twin's does, with 0x05 before our Hello. */
  @Test
  void dialingANodeConnectedToUsIsAlreadyConnected(@TempDir Path dataDir) {
    Devp2pServer node = start(options("peermesh-redial", 10), dataDir);
    try (EthereumjsPeer ethereumjs = EthereumjsPeer.start(EthereumjsPeer.Options.defaults("ethereumjs-redial"))) {
      connect(ethereumjs, node);

      Throwable failure = TestNodes.awaitFailure(node.connect("enode://" + ethereumjs.id() + "@127.0.0.1:"
          + ethereumjs.port()));
      assertTrue(failure.getMessage().contains("already connected"), failure.toString());
      JsonObject disconnect = ethereumjs.awaitEvent(named("disconnect_received"), TestNodes.DEADLINE);
      assertEquals(0x05, disconnect.getInteger("reason"), disconnect.encode());
      assertEquals(false, disconnect.getBoolean("afterHello"));
      // ethereumjs takes an inbound peer's id from its Hello only, so before it the event names no peer.
      assertNull(disconnect.getString("peer"));
      assertEquals(1, ethereumjs.events().matching(named("peer_added")).size());
      assertEquals("connected", connectedPeer(node, ethereumjs.id()).getString("state"));
      assertEquals(1, node.peers().size());
    }
  }
}
