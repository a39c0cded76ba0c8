package org.peermesh.mesh;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.PeerEvent;
import org.peermesh.crypto.NodeKey;
import org.peermesh.crypto.PeerId;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.Disconnect;
import org.peermesh.mesh.wire.Hello;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.PeerInfo;
import org.peermesh.testing.RawPeer;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.about;
import static org.peermesh.testing.PeerTestSupport.aboutPeer;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;
import static org.peermesh.testing.PeerTestSupport.awaitListed;
import static org.peermesh.testing.PeerTestSupport.awaitNotListed;
import static org.peermesh.testing.PeerTestSupport.connectedCount;
import static org.peermesh.testing.PeerTestSupport.connectedPeer;

/**
 * The handshake over a socket, seen from a {@link RawPeer}: a real one succeeds, and what the peer layer does around it
 * (a refusal's Disconnect and events, the penalty path, timeouts, disconnects, replacement). Each handshake decision
 * is unit-tested on messages alone in {@link MeshHandshakerTest}.
 */
@ExtendWith(VertxExtension.class)
class RawHandshakeTest {

  @Test
  void rawPeerCompletesARealHandshake(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> inbound = nodes.events(a, PeerEvent.NEW_INBOUND_PEER);

      raw.nodeInfo(new JsonObject().put("name", "raw").put("height", 7));
      assertNull(raw.connect(a.listenAddress()).tryHandshake(TestNodes.NETWORK));

      Hello hello = raw.nodeHello();
      assertEquals(TestNodes.NETWORK, hello.networkId());
      assertEquals("1.0", hello.protocolVersion());
      assertEquals(a.listenAddress().port(), hello.listenPort());
      assertEquals(a.nodeInfo(), raw.nodeAuth().nodeInfo().value());
      JsonObject event = awaitEvent(inbound, aboutPeer(raw.peerId()));
      assertEquals("inbound", event.getString("direction"));
      PeerInfo info = connectedPeer(a, raw.peerId()).orElseThrow();
      assertEquals(7, info.nodeInfo().getInteger("height"));
      assertEquals(0, info.port(), "the raw peer advertised listenPort 0");
    }
  }

  @Test
  void minorVersionDifferenceIsAccepted(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer().protocolVersion("1.7")) {
      PeerMeshNode a = nodes.start();
      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
    }
  }

  @Test
  void wrongNetworkIsRefused(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> failed = nodes.events(a, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      raw.connect(a.listenAddress());
      assertRefused(raw.tryHandshake("some-other-network"), DisconnectReason.INCOMPATIBLE_NETWORK, raw, failed);
      assertEquals(0, connectedCount(a));
    }
  }

  @Test
  void appMessageBeforeTheHandshakeIsAProtocolViolation(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> failed = nodes.events(a, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      List<JsonObject> invalid = nodes.events(a, PeerEvent.INVALID_MESSAGE_RECEIVED);
      List<JsonObject> received = nodes.collect(a.addresses().message("early"));
      raw.connect(a.listenAddress());
      raw.send(new AppMessage("early", JsonPayload.of("too soon")));
      assertRefused(raw.expectDisconnect(), DisconnectReason.PROTOCOL_VIOLATION, raw, failed);
      assertTrue(awaitEvent(invalid, about(raw)).getString("error").contains("AppMessage"));
      assertTrue(received.isEmpty(), "delivered before the handshake: " + received);
    }
  }

  @Test
  void silentPeerIsRefusedAfterTheHandshakeTimeout(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start(nodes.options(meshOptions -> meshOptions.setHandshakeTimeout(500)));
      List<JsonObject> failed = nodes.events(a, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      raw.connect(a.listenAddress());
      Hello hello = raw.readHello(); // the node speaks first; we never answer
      assertEquals(a.peerId(), PeerId.fromPublicKey(hello.publicKey()).toString());
      assertRefused(raw.expectDisconnect(), DisconnectReason.HANDSHAKE_TIMEOUT, raw, failed);
    }
  }

  @Test
  void helloWithoutAuthIsRefusedAfterTheHandshakeTimeout(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start(nodes.options(meshOptions -> meshOptions.setHandshakeTimeout(500)));
      List<JsonObject> failed = nodes.events(a, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      raw.connect(a.listenAddress());
      raw.sendHello(TestNodes.NETWORK);
      assertRefused(raw.expectDisconnect(), DisconnectReason.HANDSHAKE_TIMEOUT, raw, failed);
    }
  }

  @Test
  void oversizedNodeInfoIsRefused(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir);
         RawPeer raw = new RawPeer().nodeInfo(new JsonObject().put("blob", "x".repeat(5000)))) {
      PeerMeshNode a = nodes.start(nodes.options(meshOptions -> meshOptions
          .setMaxPeerInfoSize(4096)
          .setMaxMessageSize(64 * 1024)));
      List<JsonObject> failed = nodes.events(a, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      List<JsonObject> details = nodes.events(a, PeerEvent.FAILED_TO_COLLECT_PEER_DETAILS_ON_CONNECT);
      raw.connect(a.listenAddress());
      // The node's Auth comes first (sent on our Hello); the refusal follows when it reads ours.
      raw.handshake(TestNodes.NETWORK);
      assertRefused(raw.expectDisconnect(), DisconnectReason.INVALID_NODE_INFO, raw, failed);
      assertTrue(awaitEvent(details, about(raw)).getString("error").contains("4096"));
      assertEquals(0, connectedCount(a));
    }
  }

  @Test
  void authWhoseNodeInfoIsNotAnObjectIsAProtocolViolation(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> failed = nodes.events(a, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      raw.connect(a.listenAddress());
      raw.sendHello(TestNodes.NETWORK);
      raw.readHello();
      byte[] body = Buffer.buffer().appendBytes(new byte[64]).appendString("[\"not\", \"an object\"]").getBytes();
      raw.sendRaw(RawPeer.frame(WireMessage.AUTH, body));
      assertRefused(raw.expectDisconnect(), DisconnectReason.PROTOCOL_VIOLATION, raw, failed);
    }
  }

  /** A peer that gives up during the handshake: the node records the code the peer sent, as the remote's doing. */
  @Test
  void disconnectDuringTheHandshake(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> failed = nodes.events(a, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      raw.connect(a.listenAddress());
      raw.readHello();
      raw.send(new Disconnect(DisconnectReason.INCOMPATIBLE_NETWORK.code(), "not for me"));
      raw.expectClosed();
      JsonObject event = awaitEvent(failed, about(raw));
      assertEquals(DisconnectReason.INCOMPATIBLE_NETWORK.code(), event.getInteger("code"), event.encode());
      assertEquals("remote", event.getString("initiator"));
    }
  }

  /** After the handshake a Disconnect ends the connection; the node says the remote closed it, with its code. */
  @Test
  void disconnectAfterTheHandshake(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);
      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      raw.send(new Disconnect(DisconnectReason.NORMAL.code(), "bye"));
      raw.expectClosed();
      JsonObject event = awaitEvent(closes, aboutPeer(raw.peerId()));
      assertEquals(DisconnectReason.NORMAL.code(), event.getInteger("code"), event.encode());
      assertEquals("remote", event.getString("initiator"));
      awaitNotListed(a, raw.peerId());
    }
  }

  /** A second Auth once connected breaks the protocol. */
  @Test
  void authAfterTheHandshakeIsAProtocolViolation(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);
      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      raw.sendAuth(TestNodes.NETWORK);
      // Out of place after the handshake costs 100: the proven peer is banned.
      Disconnect disconnect = raw.expectDisconnect();
      assertEquals(DisconnectReason.BANNED.code(), disconnect.code(), "Disconnect " + disconnect);
      raw.expectClosed();
      assertEquals(DisconnectReason.BANNED.code(), awaitEvent(closes, aboutPeer(raw.peerId())).getInteger("code"));
    }
  }

  /** A second connection with the same key, in the same direction, replaces the first (a restarted peer). */
  @Test
  void sameKeyAgainReplacesTheFirstConnection(Vertx vertx, @TempDir Path dir) throws Exception {
    NodeKey key = NodeKey.generate();
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer first = new RawPeer(key); RawPeer second = new RawPeer(key)) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);
      List<JsonObject> inbound = nodes.events(a, PeerEvent.NEW_INBOUND_PEER);
      first.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, first.peerId());

      second.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      Disconnect replaced = first.expectDisconnect();
      assertEquals(DisconnectReason.DUPLICATE_CONNECTION.code(), replaced.code(), "Disconnect " + replaced);
      first.expectClosed();
      JsonObject closed = awaitEvent(closes, aboutPeer(key.peerId().toString()));
      assertEquals(DisconnectReason.DUPLICATE_CONNECTION.code(), closed.getInteger("code"));
      assertEquals("local", closed.getString("initiator"));

      await().atMost(TestNodes.DEADLINE).until(() -> inbound.stream().filter(aboutPeer(second.peerId())).count() == 2);
      assertEquals(1, connectedCount(a));
      // The replacement is the connection that now carries traffic.
      List<JsonObject> got = nodes.collect(a.addresses().message("from-second"));
      second.send(new AppMessage("from-second", JsonPayload.of(2)));
      await().atMost(TestNodes.DEADLINE).until(() -> !got.isEmpty());
      assertTrue(connectedPeer(a, key.peerId().toString()).isPresent());
    }
  }

  /** The raw side got the Disconnect with {@code reason}, the connection ends, and the node published the refusal. */
  static void assertRefused(Disconnect disconnect, DisconnectReason reason, RawPeer raw, List<JsonObject> failed)
      throws Exception {
    assertNotNull(disconnect, "the node accepted the handshake; expected " + reason);
    assertEquals(reason.code(), disconnect.code(), "Disconnect " + disconnect);
    raw.expectClosed();
    JsonObject event = awaitEvent(failed, about(raw));
    assertEquals(reason.code(), event.getInteger("code"), event.encode());
    assertEquals("local", event.getString("initiator"), event.encode());
    assertNotNull(event.getString("reason"));
  }
}
