package org.peermesh.mesh;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.BridgeClient;
import org.peermesh.bus.BridgeOptions;
import org.peermesh.bus.Failure;
import org.peermesh.bus.PeerEvent;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.Disconnect;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.reputation.Penalty;
import org.peermesh.testing.RawPeer;
import org.peermesh.testing.TestNodes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.aboutPeer;
import static org.peermesh.testing.PeerTestSupport.assertExchange;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;
import static org.peermesh.testing.PeerTestSupport.awaitListed;
import static org.peermesh.testing.PeerTestSupport.awaitNotListed;
import static org.peermesh.testing.PeerTestSupport.connectedPeer;

/**
 * A message whose data cannot be handed on is refused where it enters, never accepted and then lost: data nested
 * 999 deep was accepted from a peer (Jackson reads 1000 levels) and published, and the TCP bridge, wrapping it in its
 * own frame, overflowed its stack encoding it, so its subscribers never saw the message and nothing said so. Node
 * {@code a} has the bridge on and node {@code b} connected; a {@link RawPeer} sends what a node would not.
 */
@ExtendWith(VertxExtension.class)
class UndeliverableJsonTest {

  private static final int TOO_DEEP = JsonPayload.MAX_DEPTH + 1;

  private Vertx vertx;
  private TestNodes nodes;
  private PeerMeshNode a;
  private PeerMeshNode b;
  private BridgeClient client;

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) {
    this.vertx = vertx;
    nodes = new TestNodes(vertx, dir);
    int bridgePort = TestNodes.freePort();
    a = nodes.start(nodes.options().setBridge(new BridgeOptions().setPort(bridgePort)));
    b = nodes.startConnectedTo(a);
    client = BridgeClient.connect("127.0.0.1", bridgePort);
  }

  @AfterEach
  void tearDown() {
    client.close();
    nodes.close();
  }

  /** Refused as malformed JSON is: the event and the peer's Disconnect name the limit, the penalty bans the peer. */
  @Test
  void dataNestedDeeperThanTheLimitIsAProtocolViolation() throws Exception {
    List<JsonObject> invalid = nodes.events(a, PeerEvent.INVALID_MESSAGE_RECEIVED);
    List<JsonObject> penalized = nodes.events(a, PeerEvent.PEER_PENALIZED);
    List<JsonObject> delivered = nodes.collect(a.addresses().message("deep"));
    try (RawPeer raw = new RawPeer()) {
      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      raw.sendRaw(appMessageFrame("deep", nestedArrays(TOO_DEEP)));

      Disconnect disconnect = raw.expectDisconnect();
      assertEquals(DisconnectReason.BANNED.code(), disconnect.code(), "Disconnect " + disconnect);
      assertTrue(disconnect.reason().contains("nesting depth (65) exceeds the maximum allowed (64"), disconnect.reason());
      raw.expectClosed();
      JsonObject error = awaitEvent(invalid, aboutPeer(raw.peerId()));
      assertTrue(error.getString("error").startsWith("AppMessage frame: data at body offset 6 exceeds a limit on "
          + "peers' JSON: Document nesting depth (65) exceeds the maximum allowed (64"), error.encode());
      assertEquals(Penalty.MALFORMED_FRAME.amount(), awaitEvent(penalized, aboutPeer(raw.peerId())).getInteger("penalty"));
      awaitNotListed(a, raw.peerId());
    }
    assertTrue(delivered.isEmpty(), "refused, so not delivered: " + delivered);
    assertExchange(vertx, nodes, b, a);
  }

  /** What a peer may send reaches a service over the bridge, inside the event's body and the bridge's frame. */
  @Test
  void dataNestedToTheLimitReachesABridgeSubscriber() throws Exception {
    String deep = a.addresses().message("deep");
    String received = a.addresses().event(PeerEvent.MESSAGE_RECEIVED);
    client.register(deep).register(received).sync();
    try (RawPeer raw = new RawPeer()) {
      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      String data = nestedArrays(JsonPayload.MAX_DEPTH);
      raw.sendRaw(appMessageFrame("deep", data));

      JsonObject message = client.readMessage(deep).getJsonObject("body");
      assertEquals(raw.peerId(), message.getString("peerId"), message.encode());
      assertEquals(new JsonArray(data), message.getJsonArray("data"));
      assertEquals(new JsonArray(data), client.readMessage(received).getJsonObject("body").getJsonArray("data"));
      assertTrue(connectedPeer(a, raw.peerId()).isPresent());
    }
  }

  /**
   * A local sender is refused what the peer would refuse (and disconnect it for) with 400 naming the limit, from Java
   * and over the bus alike, and the peer never hears of it; data at the limit goes through.
   */
  @Test
  void aLocalSenderIsRefusedDataTooDeepToSend() {
    List<JsonObject> invalid = nodes.events(a, PeerEvent.INVALID_MESSAGE_RECEIVED);
    String deep = a.addresses().message("deep");
    client.register(deep).sync();
    JsonArray tooDeep = new JsonArray(nestedArrays(TOO_DEEP));

    ReplyException fromJava = assertInstanceOf(ReplyException.class,
        TestNodes.awaitFailure(b.sendToPeer(a.peerId(), "deep", tooDeep)));
    assertEquals(Failure.BAD_REQUEST.code(), fromJava.failureCode());
    assertTrue(fromJava.getMessage().contains("nesting depth (65) exceeds the maximum allowed (64"),
        fromJava.getMessage());
    ReplyException overTheBus = assertInstanceOf(ReplyException.class, TestNodes.awaitFailure(vertx.eventBus()
        .request(b.addresses().sendToPeer(), new JsonObject().put("peerId", a.peerId()).put("event", "deep")
            .put("data", tooDeep))));
    assertEquals(Failure.BAD_REQUEST.code(), overTheBus.failureCode());
    assertTrue(overTheBus.getMessage().startsWith("'data' cannot be sent: JSON value exceeds a limit on peers' JSON"),
        overTheBus.getMessage());

    JsonArray atLimit = new JsonArray(nestedArrays(JsonPayload.MAX_DEPTH));
    TestNodes.await(b.sendToPeer(a.peerId(), "deep", atLimit));
    // Sent in order on one connection: had a refused one been sent, a would have cut b off before this arrived.
    JsonObject message = client.readMessage(deep).getJsonObject("body");
    assertEquals(atLimit, message.getJsonArray("data"));
    assertEquals(b.peerId(), message.getString("peerId"));
    assertTrue(invalid.isEmpty(), "the peer never saw the refused messages: " + invalid);
    assertTrue(connectedPeer(a, b.peerId()).isPresent());
  }

  private static String nestedArrays(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  /** An AppMessage frame with {@code json} as its data, as it is, which a well-behaved node would not send. */
  private static byte[] appMessageFrame(String event, String json) {
    byte[] name = event.getBytes(StandardCharsets.UTF_8);
    return RawPeer.frame(WireMessage.APP_MESSAGE, Buffer.buffer().appendUnsignedShort(name.length).appendBytes(name)
        .appendString(json).getBytes());
  }
}
