package org.peermesh.discovery;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.PeerEvent;
import org.peermesh.mesh.ProtocolProcedures;
import org.peermesh.mesh.wire.Disconnect;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.Ping;
import org.peermesh.mesh.wire.Pong;
import org.peermesh.mesh.wire.Request;
import org.peermesh.mesh.wire.Response;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.PeerInfo;
import org.peermesh.testing.RawPeer;
import org.peermesh.testing.TestNodes;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nodes that know one seed find each other through getPeers, and remember them across a restart. */
@ExtendWith(VertxExtension.class)
class DiscoveryTest {

  /** Discovery at test speed: the populator and seed re-asks run often, so rounds happen within seconds. */
  private static NodeOptions fast(NodeOptions options) {
    return TestNodes.withMesh(options, meshOptions -> meshOptions
        .setPopulatorInterval(300)
        .setFallbackSeedPeerDiscoveryInterval(600));
  }

  private static List<PeerInfo> outbound(PeerMeshNode node) {
    return TestNodes.await(node.getConnectedPeers()).stream().filter(p -> p.direction() == Direction.OUTBOUND).toList();
  }

  /**
   * Ten nodes, nine of which know only the seed, each with 3 outbound slots: they learn each other through getPeers
   * and dial what they learn; a node whose slots fill releases the seed, and the seed then dials what it learned.
   * Every node ends with outbound peers, and every node but the seed with one it found through discovery. (Not
   * necessarily 3: a node many others dialed first cannot dial them back, until the shuffle makes room.)
   */
  @Test
  void tenNodesFromOneSeedAllFindOutboundPeers(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode seed = nodes.start(TestNodes.withMesh(fast(nodes.options()), meshOptions -> meshOptions
          .setMaxOutbound(3)));
      List<JsonObject> discovered = new ArrayList<>();
      // One live list per node: the lists fill as events arrive.
      List<List<JsonObject>> penalties = new ArrayList<>(List.of(nodes.events(seed, PeerEvent.PEER_PENALIZED)));
      List<PeerMeshNode> mesh = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        NodeOptions options = TestNodes.withMesh(fast(nodes.options()), meshOptions -> meshOptions
            .setMaxOutbound(3)
            .setSeedPeers(List.of(seed.listenAddress())));
        if (i == 0) {
          discovered = nodes.events(options, PeerEvent.DISCOVERED_PEER);
        }
        penalties.add(nodes.events(options, PeerEvent.PEER_PENALIZED));
        mesh.add(nodes.start(options));
      }
      mesh.add(seed);
      // Asserted, not polled: a node that never gets there is named, with the peers it has.
      await().atMost(TestNodes.DEADLINE).untilAsserted(() -> {
        for (PeerMeshNode node : mesh) {
          List<PeerInfo> outbound = outbound(node);
          boolean done = node == seed ? !outbound.isEmpty()
              : outbound.stream().anyMatch(p -> !p.peerId().equals(seed.peerId()));
          assertTrue(done, (node == seed ? "the seed " : "node ") + node.peerId() + " has outbound "
              + outbound.stream().map(PeerInfo::peerId).toList() + " among "
              + TestNodes.await(node.getConnectedPeers()).stream().map(p -> p.direction().jsonName() + " "
              + p.peerId()).toList());
        }
      });

      List<JsonObject> discoveredByFirst = discovered;
      assertFalse(discoveredByFirst.isEmpty(), "the first node learned addresses from getPeers");
      assertTrue(discoveredByFirst.stream().allMatch(e -> e
          .getInteger("port") > 0 && e
          .getString("sourcePeerId") != null));
      Set<String> ids = new HashSet<>();
      mesh.forEach(node -> ids.add(node.peerId()));
      for (PeerMeshNode node : mesh) {
        for (PeerInfo peer : outbound(node)) {
          assertTrue(ids.contains(peer.peerId()), "only mesh nodes are connected: " + peer);
          assertFalse(peer.peerId().equals(node.peerId()));
        }
      }
      assertTrue(penalties.stream().allMatch(List::isEmpty), "no honest peer is penalised: " + penalties);
    }
  }

  @Test
  void aRestartedNodeReconnectsFromItsPeerBookWithoutSeeds(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode seed = nodes.start(fast(nodes.options()));
      PeerMeshNode other = nodes.startConnectedTo(seed);
      NodeOptions options = TestNodes.withMesh(fast(nodes.options()), meshOptions -> meshOptions
          .setSeedPeers(List.of(seed.listenAddress())));
      PeerMeshNode first = nodes.start(new NodeOptions(options));
      // It learns of `other` from the seed and connects to it.
      await().atMost(TestNodes.DEADLINE).until(() -> outbound(first).stream()
          .anyMatch(p -> p.peerId().equals(other.peerId())));
      TestNodes.await(first.stop());
      assertTrue(Path.of(options.getDataDir()).resolve(PeerDiscovery.PEER_BOOK_FILE).toFile().isFile());

      PeerMeshNode restarted = nodes.start(TestNodes.withMesh(new NodeOptions(options), meshOptions -> meshOptions
          .setSeedPeers(List.of())));
      assertEquals(first.peerId(), restarted.peerId());
      await().atMost(TestNodes.DEADLINE).until(() -> outbound(restarted).size() == 2);
      Set<String> reconnected = new HashSet<>();
      outbound(restarted).forEach(p -> reconnected.add(p.peerId()));
      assertEquals(Set.of(seed.peerId(), other.peerId()), reconnected);
    }
  }

  /**
   * The seed fills the only outbound slot and holds its getPeers answer while the populator runs every 100 ms: the
   * node keeps it (its ping comes, not a Disconnect) until it has answered, then releases it and dials the peer it
   * learned of. Released at the first full populate, a node that knows only its seed would never learn another.
   */
  @Test
  void aSeedIsReleasedOnlyAfterItAnsweredGetPeers(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir);
         ServerSocket listener = RawPeer.listen("127.0.0.1");
         RawPeer seed = new RawPeer()) {
      PeerMeshNode other = nodes.start();
      NodeOptions options = nodes.options(meshOptions -> meshOptions
          .setSeedPeers(List.of(new PeerAddress("127.0.0.1", listener.getLocalPort())))
          .setMaxOutbound(1)
          .setPopulatorInterval(100)
          .setFallbackSeedPeerDiscoveryInterval(3_600_000)
          .setPingInterval(1_000));
      PeerMeshNode node = nodes.startDialing(options, seed, listener);

      Request getPeers = null;
      boolean pingedWhileHeld = false;
      while (!pingedWhileHeld) {
        WireMessage message = seed.readMessage();
        if (message instanceof Request request && ProtocolProcedures.GET_PEERS.equals(request.procedure())) {
          getPeers = request;
        } else if (message instanceof Ping ping) {
          seed.send(new Pong(ping.payload()));
          pingedWhileHeld = getPeers != null;
        } else {
          throw new AssertionError("expected getPeers and a ping while it is unanswered, got " + message);
        }
      }
      seed.send(Response.success(getPeers.id(), JsonPayload.of(new JsonObject()
          .put("peers", new JsonArray().add(other.listenAddress().toJson())))));

      Disconnect released = seed.expectDisconnect();
      assertEquals(DisconnectReason.NORMAL.code(), released.code(), released.toString());
      await().atMost(TestNodes.DEADLINE).until(() -> outbound(node).stream()
          .anyMatch(p -> p.peerId().equals(other.peerId())));
    }
  }
}
