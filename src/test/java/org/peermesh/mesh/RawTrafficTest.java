package org.peermesh.mesh;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.Failure;
import org.peermesh.bus.PeerEvent;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.NodeInfoUpdate;
import org.peermesh.mesh.wire.Ping;
import org.peermesh.mesh.wire.Pong;
import org.peermesh.mesh.wire.Request;
import org.peermesh.mesh.wire.Response;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.testing.RawPeer;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.aboutPeer;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;
import static org.peermesh.testing.PeerTestSupport.awaitListed;
import static org.peermesh.testing.PeerTestSupport.awaitNotListed;
import static org.peermesh.testing.PeerTestSupport.connectedPeer;

/** Well-formed traffic between a node and a {@link RawPeer}, checked frame by frame on the raw side. */
@ExtendWith(VertxExtension.class)
class RawTrafficTest {

  @Test
  void nodeAnswersAPingWithTheSamePayload(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      long payload = 0xFEDCBA9876543210L; // above 2^63: negative as a Java long
      raw.send(new Ping(payload));
      Pong pong = assertInstanceOf(Pong.class, raw.readMessage());
      assertEquals(payload, pong.payload());
    }
  }

  @Test
  void nodeSendsAppMessagesAndRequestsToTheRawPeer(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());

      TestNodes.await(a.sendToPeer(raw.peerId(), "news", new JsonObject().put("headline", "größe ✓")));
      AppMessage message = assertInstanceOf(AppMessage.class, raw.readSkippingPings());
      assertEquals("news", message.event());
      assertEquals(new JsonObject().put("headline", "größe ✓"), message.data().value());

      Future<Object> answered = a.requestFromPeer(raw.peerId(), "lookup", List.of("a", 1));
      Request request = assertInstanceOf(Request.class, raw.readSkippingPings());
      assertEquals("lookup", request.procedure());
      assertEquals("[\"a\",1]", request.data().toString());
      raw.send(Response.success(request.id(), JsonPayload.of(new JsonObject().put("found", true))));
      assertEquals(new JsonObject().put("found", true), TestNodes.await(answered));

      // A failure status the raw peer chooses reaches the caller as the failure code.
      Future<Object> refused = a.requestFromPeer(raw.peerId(), "lookup", "missing");
      Request second = assertInstanceOf(Request.class, raw.readSkippingPings());
      assertTrue(second.id() != request.id(), "request ids are unique on the connection");
      raw.send(Response.failure(second.id(), 404, "no such thing"));
      ReplyException failure = assertInstanceOf(ReplyException.class, TestNodes.awaitFailure(refused));
      assertEquals(404, failure.failureCode());
      assertTrue(failure.getMessage().contains("no such thing"), failure.getMessage());
    }
  }

  @Test
  void responseToAnUnknownRequestIsReportedAndIgnored(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> invalid = nodes.events(a, PeerEvent.INVALID_MESSAGE_RECEIVED);
      List<JsonObject> received = nodes.collect(a.addresses().message("still-here"));
      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());

      raw.send(Response.success(987_654, JsonPayload.of("unasked")));
      assertTrue(awaitEvent(invalid, aboutPeer(raw.peerId())).getString("error").contains("987654"));
      raw.send(new AppMessage("still-here", JsonPayload.of(1)));
      await().atMost(TestNodes.DEADLINE).until(() -> !received.isEmpty());
      assertEquals(1, received.get(0).getInteger("data"));
    }
  }

  @Test
  void nodeInfoUpdateReplacesThePeersNodeInfo(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start(nodes.options(meshOptions -> meshOptions
          .setMaxPeerInfoSize(4096)
          .setMaxMessageSize(64 * 1024)));
      List<JsonObject> updated = nodes.events(a, PeerEvent.UPDATED_PEER_INFO);
      List<JsonObject> failedUpdates = nodes.events(a, PeerEvent.FAILED_PEER_INFO_UPDATE);
      List<JsonObject> bans = nodes.events(a, PeerEvent.BAN_PEER);
      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());

      raw.send(new NodeInfoUpdate(JsonPayload.of(new JsonObject().put("name", "raw").put("height", 99))));
      awaitEvent(updated, aboutPeer(raw.peerId()));
      await().atMost(TestNodes.DEADLINE).until(() -> connectedPeer(a, raw.peerId())
          .map(p -> p.nodeInfo().getInteger("height", -1)).orElse(-1) == 99);

      // Too large for maxPeerInfoSize: reported, and an invalid nodeInfo costs the peer 100, a ban.
      raw.send(new NodeInfoUpdate(JsonPayload.of(new JsonObject().put("blob", "x".repeat(5000)))));
      assertTrue(awaitEvent(failedUpdates, aboutPeer(raw.peerId())).getString("error").contains("4096"));
      assertEquals(DisconnectReason.BANNED.code(), raw.expectDisconnect().code());
      assertEquals(raw.peerId(), awaitEvent(bans, ban -> raw.peerId().equals(ban.getString("peerId"))).getString("peerId"));
      awaitNotListed(a, raw.peerId());
    }
  }

  /**
   * At most {@link MeshSession#MAX_INBOUND_REQUESTS_IN_FLIGHT} requests of one peer wait on consumers; more are
   * answered 429 at once, never queued, and the waiting ones are still answered afterwards.
   */
  @Test
  void requestsBeyondTheInFlightLimitAreRefused(Vertx vertx, @TempDir Path dir) throws Exception {
    int limit = MeshSession.MAX_INBOUND_REQUESTS_IN_FLIGHT;
    int extra = 10;
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start(nodes.options(meshOptions -> meshOptions.setAckTimeout(20_000)));
      List<Message<JsonObject>> held = new CopyOnWriteArrayList<>();
      MessageConsumer<JsonObject> slow = vertx.eventBus().consumer(a.addresses().rpc("slow"), held::add);
      TestNodes.await(slow.completion());
      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());

      for (int id = 1; id <= limit + extra; id++) {
        raw.send(new Request(id, "slow", JsonPayload.of(id)));
      }
      Map<Long, Integer> statusById = new HashMap<>();
      for (int i = 0; i < extra; i++) {
        Response response = assertInstanceOf(Response.class, raw.readSkippingPings());
        statusById.put(response.id(), response.status());
      }
      for (long id = limit + 1; id <= limit + extra; id++) {
        assertEquals(Failure.TOO_MANY_REQUESTS.code(), statusById.get(id), "request " + id + ": " + statusById);
      }
      await().atMost(TestNodes.DEADLINE).until(() -> held.size() == limit);

      held.forEach(m -> m.reply(m.body().getValue("data")));
      for (int i = 0; i < limit; i++) {
        Response response = assertInstanceOf(Response.class, raw.readSkippingPings());
        assertEquals(Response.SUCCESS, response.status());
        assertEquals(response.id(), ((Number) response.data().value()).longValue());
      }
      assertTrue(connectedPeer(a, raw.peerId()).isPresent());
    }
  }
}
