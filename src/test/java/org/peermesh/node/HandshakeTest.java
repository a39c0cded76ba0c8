package org.peermesh.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.PeerEvent;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.PeerInfo;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handshake between real nodes: who is admitted, who is refused, and what each side is told. */
@ExtendWith(VertxExtension.class)
class HandshakeTest {

  @Test
  void peersProveTheirIdsAndAreAnnounced(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> inbound = nodes.events(a, PeerEvent.NEW_INBOUND_PEER);
      PeerMeshNode b = nodes.startConnectedTo(a);
      PeerInfo bSeenByA = TestNodes.await(a.getConnectedPeers()).get(0);
      PeerInfo aSeenByB = TestNodes.await(b.getConnectedPeers()).get(0);
      assertEquals(b.peerId(), bSeenByA.peerId());
      assertEquals(Direction.INBOUND, bSeenByA.direction());
      assertEquals(b.listenAddress().port(), bSeenByA.port(), "the advertised listen port, not the socket's");
      assertEquals(new JsonObject().put("name", "node2"), bSeenByA.nodeInfo());
      assertEquals(a.peerId(), aSeenByB.peerId());
      assertEquals(Direction.OUTBOUND, aSeenByB.direction());
      await().atMost(TestNodes.DEADLINE).until(() -> inbound.size() == 1);
      assertEquals(b.peerId(), inbound.get(0).getString("peerId"));
    }
  }

  @Test
  void anotherNetworkIsRefused(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      assertRefused(nodes, nodes.options(mesh -> mesh
          .setNetworkId("someone-elses-net")), DisconnectReason.INCOMPATIBLE_NETWORK);
    }
  }

  @Test
  void anIncompatibleProtocolVersionIsRefused(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      assertRefused(nodes, nodes.options(mesh -> mesh
          .setProtocolVersion("2.0")), DisconnectReason.INCOMPATIBLE_PROTOCOL_VERSION);
    }
  }

  @Test
  void aNewerMinorVersionIsAccepted(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start();
      PeerMeshNode b = nodes.start(nodes.options(mesh -> mesh
          .setProtocolVersion("1.7")
          .setSeedPeers(List.of(a.listenAddress()))));
      TestNodes.awaitConnected(a, b);
    }
  }

  @Test
  void aNodeWithOurOwnKeyIsRefused(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start();
      NodeOptions sameKey = nodes.options().setKeyFile(a.config().keyFilePath().toString());
      assertRefused(nodes, a, sameKey, DisconnectReason.SELF_CONNECTION);
    }
  }

  /** Starts a node seeded with a fresh node; both sides refuse each other with the reason and publish it. */
  private static void assertRefused(TestNodes nodes, NodeOptions dialer, DisconnectReason reason) {
    assertRefused(nodes, nodes.start(), dialer, reason);
  }

  private static void assertRefused(TestNodes nodes, PeerMeshNode listener, NodeOptions dialer, DisconnectReason reason) {
    List<JsonObject> refusedInbound = nodes.events(listener, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
    List<JsonObject> aborted = nodes.events(dialer, PeerEvent.CONNECT_ABORT_OUTBOUND);
    PeerMeshNode b = nodes.start(TestNodes.withMesh(dialer, mesh -> mesh
        .setSeedPeers(List.of(listener.listenAddress()))));
    await().atMost(TestNodes.DEADLINE).until(() -> !refusedInbound.isEmpty());
    assertEquals(reason.code(), refusedInbound.get(0).getInteger("code"), refusedInbound.get(0).encode());
    await().atMost(TestNodes.DEADLINE).until(() -> !aborted.isEmpty());
    assertEquals(reason.code(), aborted.get(0).getInteger("code"), aborted.get(0).encode());
    assertTrue(TestNodes.await(listener.getConnectedPeers()).isEmpty());
    assertTrue(TestNodes.await(b.getConnectedPeers()).isEmpty());
  }

  @Test
  void twoNodesDialingEachOtherKeepOneConnection(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerAddress aAddress = new PeerAddress("127.0.0.1", TestNodes.freePort());
      PeerAddress bAddress = new PeerAddress("127.0.0.1", TestNodes.freePort());
      NodeOptions aOptions = nodes.options(mesh -> mesh
          .setListen(new PeerAddress("127.0.0.1", aAddress.port()))
          .setConnect(List.of(bAddress)));
      NodeOptions bOptions = nodes.options(mesh -> mesh
          .setListen(new PeerAddress("127.0.0.1", bAddress.port()))
          .setConnect(List.of(aAddress)));
      List<PeerMeshNode> started = nodes.startAll(aOptions, bOptions);
      PeerMeshNode a = started.get(0);
      PeerMeshNode b = started.get(1);
      // Both may dial at once; both ends must settle on the same single connection.
      await().atMost(TestNodes.DEADLINE).until(() -> {
        List<PeerInfo> seenByA = TestNodes.await(a.getConnectedPeers());
        List<PeerInfo> seenByB = TestNodes.await(b.getConnectedPeers());
        return seenByA.size() == 1 && seenByB.size() == 1 && seenByA.get(0).direction() != seenByB.get(0).direction();
      });
      assertEquals(b.peerId(), TestNodes.await(a.getConnectedPeers()).get(0).peerId());
    }
  }
}
