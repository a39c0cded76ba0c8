package org.peermesh.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestNodes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.TestNodes.DEADLINE;

/**
 * The TCP event-bus bridge, driven over a plain socket by {@link BridgeClient}: node {@code a} has the bridge on and
 * is connected to node {@code b}; the socket plays a service in another language attached to {@code a}.
 */
@ExtendWith(VertxExtension.class)
class TcpBridgeTest {

  private static final String ACCESS_DENIED = "access_denied";

  private Vertx vertx;
  private TestNodes nodes;
  private PeerMeshNode a;
  private PeerMeshNode b;
  private BridgeClient client;

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) {
    this.vertx = vertx;
    nodes = new TestNodes(vertx, dir);
    int bridgePort = freePort();
    a = nodes.start(nodes.options().setBridge(new BridgeOptions().setPort(bridgePort)));
    b = nodes.startConnectedTo(a);
    client = BridgeClient.connect("127.0.0.1", bridgePort);
  }

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    nodes.close();
  }

  @Test
  void pingIsAnsweredWithPong() {
    client.ping();

    assertEquals(new JsonObject().put("type", "pong"), client.readFrame());
  }

  @Test
  void registeredSocketReceivesTheMessageAndTheMessageReceivedEvent() {
    String chat = a.addresses().message("chat");
    String received = a.addresses().event(PeerEvent.MESSAGE_RECEIVED);
    client.register(chat).register(received).sync();

    TestNodes.await(b.sendToPeer(a.peerId(), "chat", new JsonObject().put("text", "hello")));

    JsonObject expected = new JsonObject().put("protocol", BusAddresses.MESH)
        .put("peerId", b.peerId()).put("event", "chat")
        .put("data", new JsonObject().put("text", "hello"));
    JsonObject message = client.readMessage(chat);
    assertEquals(expected, message.getJsonObject("body"), message.encode());
    assertFalse(message.containsKey("replyAddress"), "a published message has no reply address: " + message);
    JsonObject event = client.readMessage(received);
    assertEquals(b.peerId(), event.getJsonObject("body").getString("peerId"), event.encode());
    assertEquals("chat", event.getJsonObject("body").getString("event"), event.encode());
    assertEquals(new JsonObject().put("text", "hello"), event.getJsonObject("body").getJsonObject("data"));
    assertEquals(List.of(), client.sync().unreadFrames());
  }

  @Test
  void aRegisterWithAReplyAddressIsAcknowledgedThereAndMessagesReachTheClientFromThen() {
    String chat = a.addresses().message("chat");

    client.register(chat, "registered-chat");

    assertEquals(new JsonObject().put("type", "message").put("address", "registered-chat")
        .put("headers", new JsonObject()).put("body", new JsonObject().put("registered", chat)).put("send", true),
        client.readFrame());
    TestNodes.await(b.sendToPeer(a.peerId(), "chat", "after the acknowledgement"));
    assertEquals("after the acknowledgement", client.readMessage(chat).getJsonObject("body").getValue("data"));
    // A register on an address the client is registered on already is acknowledged too, and delivers once.
    client.register(chat, "registered-again");
    assertEquals(new JsonObject().put("registered", chat), client.readMessage("registered-again").getJsonObject("body"));
    TestNodes.await(b.sendToPeer(a.peerId(), "chat", "once"));
    assertEquals("once", client.readMessage(chat).getJsonObject("body").getValue("data"));
    assertEquals(List.of(), client.sync().unreadFrames());
  }

  @Test
  void nonObjectMessageDataCrossesTheBridge() {
    String values = a.addresses().message("values");
    client.register(values).sync();

    TestNodes.await(b.sendToPeer(a.peerId(), "values", new JsonArray().add(1).add("two")));
    TestNodes.await(b.sendToPeer(a.peerId(), "values", "plain text"));

    assertEquals(new JsonArray().add(1).add("two"), client.readMessage(values).getJsonObject("body").getValue("data"));
    assertEquals("plain text", client.readMessage(values).getJsonObject("body").getValue("data"));
  }

  @Test
  void unregisteredSocketReceivesNothingMore() {
    String chat = a.addresses().message("chat");
    String marker = a.addresses().message("marker");
    client.register(chat).register(marker).sync();
    client.unregister(chat).sync();

    TestNodes.await(b.sendToPeer(a.peerId(), "chat", "lost"));
    TestNodes.await(b.sendToPeer(a.peerId(), "marker", "last"));

    // Both travel the same connection in order and reach the socket through one context: a chat would come first.
    JsonObject next = client.readFrame();
    assertEquals(marker, next.getString("address"), "expected only the marker, got " + next);
  }

  @Test
  void peersCommandIsAnsweredOnTheReplyAddress() {
    client.send(a.addresses().peers(), new JsonObject(), "reply-peers");

    JsonObject reply = client.readMessage("reply-peers");
    JsonObject body = reply.getJsonObject("body");
    assertNotNull(body, reply.encode());
    JsonArray connected = body.getJsonArray("connected");
    assertEquals(1, connected.size(), body.encodePrettily());
    JsonObject peer = connected.getJsonObject(0);
    assertEquals(b.peerId(), peer.getString("peerId"));
    assertEquals("127.0.0.1", peer.getString("host"));
    assertEquals(b.listenAddress().port(), peer.getInteger("port"));
    assertEquals("inbound", peer.getString("direction"));
    assertEquals("connected", peer.getString("state"));
    assertEquals(b.nodeInfo(), peer.getJsonObject("nodeInfo"));
    assertEquals(new JsonArray(), body.getJsonArray("disconnected"));
  }

  @Test
  void sendToPeerReachesTheOtherNodeAndRepliesItsPeerIds() {
    List<JsonObject> atB = nodes.collect(b.addresses().message("chat"));

    client.send(a.addresses().sendToPeer(),
        new JsonObject().put("peerId", b.peerId()).put("event", "chat").put("data", "from the socket"), "reply-send");

    JsonObject reply = client.readMessage("reply-send");
    assertEquals(new JsonObject().put("peerIds", new JsonArray().add(b.peerId())), reply.getJsonObject("body"));
    await().atMost(DEADLINE).until(() -> atB.size() == 1);
    assertEquals(new JsonObject().put("protocol", BusAddresses.MESH)
        .put("peerId", a.peerId()).put("event", "chat").put("data", "from the socket"),
        atB.get(0));
  }

  @Test
  void publishedBroadcastReachesTheOtherNodeAndSendsNothingBack() {
    List<JsonObject> atB = nodes.collect(b.addresses().message("news"));

    client.publish(a.addresses().broadcast(), new JsonObject().put("event", "news").put("data", new JsonObject()
        .put("headline", "bridge works")));

    await().atMost(DEADLINE).until(() -> atB.size() == 1);
    assertEquals(a.peerId(), atB.get(0).getString("peerId"));
    assertEquals(new JsonObject().put("headline", "bridge works"), atB.get(0).getJsonObject("data"));
    assertEquals(List.of(), client.sync().unreadFrames());
  }

  @Test
  void requestFromTheSocketIsAnsweredByTheOtherNode() {
    TestNodes.await(vertx.eventBus().<JsonObject>consumer(b.addresses().rpc("add"), m -> {
      JsonObject data = m.body().getJsonObject("data");
      m.reply(data.getInteger("a") + data.getInteger("b"));
    }).completion());

    client.send(a.addresses().request(), new JsonObject().put("procedure", "add")
        .put("data", new JsonObject().put("a", 2).put("b", 3)), "reply-add");

    assertEquals(5, client.readMessage("reply-add").getValue("body"));
  }

  @Test
  void aFailedCommandComesBackAsAnErrFrameWithItsCode() {
    client.send(a.addresses().sendToPeer(), new JsonObject().put("peerId", "nobody").put("event", "chat"), "reply-404");
    client.send(a.addresses().send(), new JsonObject().put("event", ""), "reply-400");
    client.send(a.addresses().requestFromPeer(),
        new JsonObject().put("peerId", b.peerId()).put("procedure", "missing"), "reply-501");

    assertFailureFrame("reply-404", Failure.UNKNOWN_PEER.code(), "nobody");
    assertFailureFrame("reply-400", Failure.BAD_REQUEST.code(), "'event'");
    assertFailureFrame("reply-501", Failure.NO_HANDLER.code(), "missing");
  }

  @Test
  void socketAnswersARequestFromTheOtherNode() {
    String add = a.addresses().rpc("add");
    client.register(add).sync();

    Future<Object> answer = b.requestFromPeer(a.peerId(), "add", new JsonObject().put("a", 2).put("b", 3));

    JsonObject request = client.readMessage(add);
    assertEquals(new JsonObject().put("protocol", BusAddresses.MESH).put("peerId", b.peerId()).put("procedure", "add")
        .put("data", new JsonObject().put("a", 2).put("b", 3)), request.getJsonObject("body"));
    String replyAddress = request.getString("replyAddress");
    assertNotNull(replyAddress, "a request needs a reply address: " + request);
    JsonObject data = request.getJsonObject("body").getJsonObject("data");
    client.reply(replyAddress, new JsonObject().put("sum", data.getInteger("a") + data.getInteger("b")));
    assertEquals(new JsonObject().put("sum", 5), TestNodes.await(answer));
  }

  @Test
  void socketAnswersWithANonObjectValue() {
    String add = a.addresses().rpc("add");
    client.register(add).sync();

    Future<Object> answer = b.requestFromPeer(a.peerId(), "add", new JsonArray().add(20).add(22));

    client.reply(client.readMessage(add).getString("replyAddress"), 42);
    assertEquals(42, TestNodes.await(answer));
  }

  @Test
  void socketFailsARequestFromTheOtherNodeWithItsOwnCode() {
    String add = a.addresses().rpc("add");
    client.register(add).sync();

    Future<Object> answer = b.requestFromPeer(a.peerId(), "add", new JsonObject().put("a", -1));

    client.fail(client.readMessage(add).getString("replyAddress"), 422, "negative numbers are not supported");
    ReplyException failure = assertInstanceOf(ReplyException.class, TestNodes.awaitFailure(answer));
    assertEquals(422, failure.failureCode(), failure.toString());
    assertTrue(failure.getMessage().contains("negative numbers are not supported"), failure.getMessage());
  }

  @Test
  void aBadAnswerIsRefusedAndLeavesTheRequestAnswerable() {
    String add = a.addresses().rpc("add");
    client.register(add).sync();
    Future<Object> answer = b.requestFromPeer(a.peerId(), "add", new JsonObject().put("a", 2).put("b", 3));
    String replyAddress = client.readMessage(add).getString("replyAddress");

    client.write(new JsonObject().put("type", "send").put("address", replyAddress).put("body", 5)
        .put("headers", new JsonObject().put("timeout", "soon")));
    client.write(new JsonObject().put("type", "send").put("address", replyAddress).put("replyAddress", "then")
        .put("failureCode", 422));

    assertEquals("invalid frame: header 'timeout' must be a positive number of milliseconds",
        client.readError().getString("message"));
    assertEquals(new JsonObject().put("type", "err").put("address", "then")
        .put("message", "invalid frame: a failure asks for no answer: 'failureCode' with 'replyAddress'"),
        client.readError());
    client.reply(replyAddress, 5);
    assertEquals(5, TestNodes.await(answer));
  }

  @Test
  void aClientFailsARequestOnTheBusWithItsCodeAndMessage() {
    String procedure = a.addresses().rpc("lookup");
    client.register(procedure).sync();

    Future<io.vertx.core.eventbus.Message<Object>> answer = vertx.eventBus().request(procedure, "missing-key");

    client.fail(client.readMessage(procedure).getString("replyAddress"), 404, "no such key: missing-key");
    ReplyException failure = assertInstanceOf(ReplyException.class, TestNodes.awaitFailure(answer));
    assertEquals(io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE, failure.failureType());
    assertEquals(404, failure.failureCode());
    assertEquals("no such key: missing-key", failure.getMessage());
  }

  @Test
  void sendingOrPublishingToANonPermittedAddressIsDeniedAndDeliversNothing() {
    List<JsonObject> intercepted = new CopyOnWriteArrayList<>();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      if (delivery.message().body() instanceof JsonObject body && body.containsKey("deniedMarker")) {
        intercepted.add(new JsonObject().put("address", delivery.message().address()).put("body", body));
      }
      delivery.next();
    });
    List<JsonObject> atOther = nodes.collect("other.address");
    JsonObject body = new JsonObject().put("deniedMarker", true).put("event", "chat").put("data", 1);
    List<String> denied = List.of(
        a.addresses().peer(b.peerId()),
        "other.address",
        a.addresses().message("chat"),
        a.addresses().rpc("add"),
        a.addresses().event(PeerEvent.MESSAGE_RECEIVED),
        b.addresses().send(),
        b.addresses().peers(),
        a.addresses().prefix() + ".sendX",
        "x" + a.addresses().send());

    for (String address : denied) {
      client.send(address, body);
      assertDenied("send to " + address);
      client.send(address, body, "reply-denied");
      assertDenied("send with a reply address to " + address);
      client.publish(address, body);
      assertDenied("publish to " + address);
    }

    client.sync();
    assertEquals(List.of(), intercepted, "nothing may leave the bridge for a denied address");
    assertEquals(List.of(), atOther);
    assertEquals(List.of(), client.unreadFrames());
  }

  @Test
  void registeringOnANonPermittedAddressIsDeniedAndDeliversNothing() {
    List<String> denied = List.of(
        "other.address",
        a.addresses().peer(b.peerId()),
        a.addresses().send(),
        a.addresses().peers(),
        a.addresses().requestFromPeer(),
        a.addresses().prefix() + ".message",
        b.addresses().message("chat"),
        b.addresses().event(PeerEvent.MESSAGE_RECEIVED),
        b.addresses().rpc("add"));
    for (String address : denied) {
      client.register(address);
      assertDenied("register on " + address);
    }
    String marker = a.addresses().message("marker");
    client.register(marker).sync();

    // No consumer took the registrations: a send to "other.address" finds nobody.
    ReplyException nobody = assertInstanceOf(ReplyException.class,
        TestNodes.awaitFailure(vertx.eventBus().request("other.address", new JsonObject())));
    assertEquals(io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS, nobody.failureType());
    // Traffic on the denied addresses of the other node does not reach the socket: only the marker does.
    List<JsonObject> atB = nodes.collect(b.addresses().message("chat"));
    TestNodes.await(a.sendToPeer(b.peerId(), "chat", "not for the socket"));
    await().atMost(DEADLINE).until(() -> atB.size() == 1);
    vertx.eventBus().publish("other.address", new JsonObject().put("not", "for the socket"));
    TestNodes.await(b.sendToPeer(a.peerId(), "marker", "last"));
    JsonObject next = client.readFrame();
    assertEquals(marker, next.getString("address"), "expected only the marker, got " + next);
  }

  @Test
  void aCommandAddressStaysServedByTheNodeAfterADeniedRegister() {
    client.register(a.addresses().peers());
    assertDenied("register on " + a.addresses().peers());

    client.send(a.addresses().peers(), new JsonObject(), "reply-peers");

    JsonObject reply = client.readMessage("reply-peers");
    assertEquals(1, reply.getJsonObject("body").getJsonArray("connected").size(), reply.encode());
  }

  @Test
  void theRegistrationsOfAClosedSocketEnd() {
    String add = a.addresses().rpc("add");
    client.register(add).sync();

    client.close();

    // A request the closed socket can no longer answer finds no consumer, instead of waiting for ackTimeout.
    await().atMost(DEADLINE).untilAsserted(() -> {
      ReplyException failure = assertInstanceOf(ReplyException.class,
          TestNodes.awaitFailure(b.requestFromPeer(a.peerId(), "add", 1)));
      assertEquals(Failure.NO_HANDLER.code(), failure.failureCode(), failure.toString());
    });
  }

  @Test
  void stoppingTheNodeClosesTheBridgeAndItsRegistrations() {
    String chat = a.addresses().message("chat");
    client.register(chat).sync();

    TestNodes.await(a.stop());

    AssertionError closed = assertThrows(AssertionError.class, client::readFrame);
    assertTrue(String.valueOf(closed.getMessage()).contains("closed the connection"), closed.getMessage());
    await().atMost(DEADLINE).untilAsserted(() -> {
      ReplyException failure = assertInstanceOf(ReplyException.class,
          TestNodes.awaitFailure(vertx.eventBus().request(chat, new JsonObject())));
      assertEquals(io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS, failure.failureType());
    });
    assertThrows(java.io.IOException.class, () -> {
      try (java.net.Socket again = new java.net.Socket()) {
        again.connect(new java.net.InetSocketAddress("127.0.0.1", a.config().getBridge().getPort()), 5_000);
      }
    });
  }

  @Test
  void aBridgePortInUseFailsTheStartNamingItAndLeavesNothingRunningOrCreated(@TempDir Path otherDir)
      throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      TestNodes others = new TestNodes(vertx, otherDir);
      NodeOptions options = others.options().setBusPrefix("taken")
          .setBridge(new BridgeOptions().setPort(taken.getLocalPort()));
      PeerMeshNode node = PeerMeshNode.create(vertx, options);

      Throwable refused = TestNodes.awaitFailure(node.start());

      assertEquals("bridge.port " + taken.getLocalPort() + " on 127.0.0.1 is in use", refused.getMessage());
      assertFalse(Files.exists(options.keyFilePath()), "the node key this start created");
      assertFalse(node.isActive());
      ReplyException failure = assertInstanceOf(ReplyException.class,
          TestNodes.awaitFailure(vertx.eventBus().request(node.addresses().peers(), new JsonObject())));
      assertEquals(io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS, failure.failureType());
    }
  }

  // ------------------------------------------------------------------------------------------------------ helpers

  private void assertDenied(String what) {
    JsonObject frame = client.readFrame();
    assertEquals("err", frame.getString("type"), what + ": " + frame);
    assertEquals(ACCESS_DENIED, frame.getString("message"), what + ": " + frame);
  }

  private void assertFailureFrame(String replyAddress, int code, String named) {
    JsonObject frame = client.readFrame(f -> replyAddress.equals(f.getString("address")), "to " + replyAddress);
    assertEquals("err", frame.getString("type"), frame.encode());
    assertEquals(code, frame.getInteger("failureCode"), frame.encode());
    assertEquals("RECIPIENT_FAILURE", frame.getString("failureType"), frame.encode());
    assertTrue(frame.getString("message", "").contains(named), "the message should name " + named + ": " + frame);
  }

  /** A port free a moment ago; the bridge binds it right after. */
  private static int freePort() {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
