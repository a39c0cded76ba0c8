package org.peermesh.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.PeerEvent;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.PeerInfo;
import org.peermesh.peer.PeerState;
import org.peermesh.testing.TestNodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Peer verticles as actors: their states, undeploying them, closing their sockets; the node's own life. */
@ExtendWith(VertxExtension.class)
class LifecycleTest {

  @Test
  void undeployingAPeerVerticleDisconnectsThePeer(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> inbound = nodes.events(a, PeerEvent.NEW_INBOUND_PEER);
      List<JsonObject> removed = nodes.events(a, PeerEvent.REMOVE_PEER);
      NodeOptions bOptions = nodes.options(mesh -> mesh.setSeedPeers(List.of(a.listenAddress())));
      List<JsonObject> closedOnB = nodes.events(bOptions, PeerEvent.CLOSE_OUTBOUND);
      PeerMeshNode b = nodes.start(bOptions);
      await().atMost(TestNodes.DEADLINE).until(() -> inbound.size() == 1);
      String deploymentId = inbound.get(0).getString("deploymentId");
      assertTrue(vertx.deploymentIDs().contains(deploymentId));

      TestNodes.await(vertx.undeploy(deploymentId));

      await().atMost(TestNodes.DEADLINE).until(() -> removed.size() == 1 && !closedOnB.isEmpty());
      assertEquals(b.peerId(), removed.get(0).getString("peerId"));
      assertEquals(DisconnectReason.NORMAL.code(), closedOnB.get(0).getInteger("code"));
      assertEquals("remote", closedOnB.get(0).getString("initiator"));
      assertTrue(TestNodes.await(a.getConnectedPeers()).stream().noneMatch(p -> p.peerId().equals(b.peerId())));
    }
  }

  @Test
  void aClosedConnectionUndeploysItsVerticle(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> inbound = nodes.events(a, PeerEvent.NEW_INBOUND_PEER);
      List<JsonObject> closed = nodes.events(a, PeerEvent.CLOSE_INBOUND);
      PeerMeshNode b = nodes.startConnectedTo(a);
      await().atMost(TestNodes.DEADLINE).until(() -> inbound.size() == 1);
      String deploymentId = inbound.get(0).getString("deploymentId");

      TestNodes.await(b.stop());

      await().atMost(TestNodes.DEADLINE).until(() -> !vertx.deploymentIDs().contains(deploymentId));
      assertEquals(1, closed.size());
      assertEquals(DisconnectReason.NODE_SHUTDOWN.code(), closed.get(0).getInteger("code"));
      assertEquals("remote", closed.get(0).getString("initiator"));
      List<PeerInfo> disconnected = TestNodes.await(a.getDisconnectedPeers());
      assertTrue(disconnected.stream().anyMatch(p -> b.peerId().equals(p.peerId()) && p.state() == PeerState.CLOSED),
          disconnected.toString());
    }
  }

  @Test
  void everyStateChangeIsAnEvent(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start();
      NodeOptions bOptions = nodes.options(mesh -> mesh.setSeedPeers(List.of(a.listenAddress())));
      List<JsonObject> changes = nodes.collect(
          new BusAddresses(bOptions.getBusPrefix()).protocol(BusAddresses.MESH).stateChange());
      PeerMeshNode b = nodes.start(bOptions);
      TestNodes.awaitConnected(b, a);
      TestNodes.await(a.stop());
      await().atMost(TestNodes.DEADLINE).until(() -> changes.stream().anyMatch(c -> c
          .getString("state")
          .equals("closed")));
      List<String> states = changes.stream().map(c -> c.getString("previous") + ">" + c.getString("state")).toList();
      assertEquals(List.of("closed>connecting", "connecting>handshaking", "handshaking>connected", "connected>closed"),
          states);
      // The peer's id once its handshake proved it, and the code of the close.
      assertTrue(changes.stream().skip(2).allMatch(c -> a.peerId().equals(c.getString("peerId"))), changes.toString());
      assertTrue(changes.stream().allMatch(c -> BusAddresses.MESH.equals(c.getString("protocol"))), changes.toString());
      assertEquals(DisconnectReason.NODE_SHUTDOWN.code(), changes.get(3).getInteger("code"), changes.toString());
    }
  }

  @Test
  void theNodeKeyIsKeptOwnerOnlyAndReused(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      NodeOptions options = nodes.options();
      PeerMeshNode first = nodes.start(new NodeOptions(options));
      String peerId = first.peerId();
      TestNodes.await(first.stop());
      Path keyFile = options.keyFilePath();
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
      assertFalse(Files.readString(keyFile).isBlank());

      PeerMeshNode second = nodes.start(new NodeOptions(options));
      assertEquals(peerId, second.peerId());
    }
  }

  @Test
  void aNodeRefusesToStartWithAKeyOthersCanRead(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      NodeOptions options = nodes.options();
      TestNodes.await(nodes.start(new NodeOptions(options)).stop());
      Files.setPosixFilePermissions(options.keyFilePath(), PosixFilePermissions.fromString("rw-r--r--"));
      PeerMeshNode node = PeerMeshNode.create(vertx, options);
      Throwable failure = TestNodes.awaitFailure(node.start());
      assertTrue(failure.getMessage().contains(options.keyFilePath().toString()), failure.getMessage());
      assertFalse(node.isActive());
    }
  }

  @Test
  void aStoppedNodeRefusesCommandsAndSaysWhy(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start();
      assertTrue(a.isActive());
      TestNodes.await(a.stop());
      assertFalse(a.isActive());
      Throwable failure = TestNodes.awaitFailure(a.send("x", 1));
      assertInstanceOf(IllegalStateException.class, failure);
      assertTrue(failure.getMessage().contains("not running"));
      assertTrue(TestNodes.awaitFailure(a.start()).getMessage().contains("started already"));
    }
  }

  @Test
  void aFullNodeRefusesInboundPeersAndABlacklistedAddressIsNeverAdmitted(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode full = nodes.start(nodes.options(mesh -> mesh.setMaxInbound(1)));
      List<JsonObject> refused = nodes.events(full, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      nodes.startConnectedTo(full);
      nodes.start(nodes.options(mesh -> mesh.setSeedPeers(List.of(full.listenAddress()))));
      await().atMost(TestNodes.DEADLINE).until(() -> !refused.isEmpty());
      assertEquals(DisconnectReason.INBOUND_SLOTS_FULL.code(), refused.get(0).getInteger("code"));
      assertEquals(1, TestNodes.await(full.getConnectedPeers()).size());

      PeerMeshNode closed = nodes.start(nodes.options(mesh -> mesh
          .setBlacklistedIPs(List.of("127.0.0.1"))));
      List<JsonObject> refusedByClosed = nodes.events(closed, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      nodes.start(nodes.options(mesh -> mesh.setSeedPeers(List.of(closed.listenAddress()))));
      await().atMost(TestNodes.DEADLINE).until(() -> !refusedByClosed.isEmpty());
      assertEquals(DisconnectReason.BLACKLISTED.code(), refusedByClosed.get(0).getInteger("code"));
      assertTrue(TestNodes.await(closed.getConnectedPeers()).isEmpty());
    }
  }
}
