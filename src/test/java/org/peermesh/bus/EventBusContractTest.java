package org.peermesh.bus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.TestNodes.DEADLINE;

/**
 * The event-bus contract as a service outside the node sees it: every command is a JSON request on the bus, every
 * inbound message, request and event a JSON body on the bus. Nothing here calls the {@link PeerMeshNode} API
 * except to start and stop nodes and read their addresses.
 */
@ExtendWith(VertxExtension.class)
class EventBusContractTest {

  private Vertx vertx;
  private TestNodes nodes;

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) {
    this.vertx = vertx;
    this.nodes = new TestNodes(vertx, dir);
  }

  @AfterEach
  void tearDown() {
    nodes.close();
  }

  // ----------------------------------------------------------------------------------------------------- messages

  @Test
  void sendReachesThePeersMessageConsumerWithPeerIdEventAndData() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    List<JsonObject> got = nodes.collect(b.addresses().message("chat"));

    JsonObject reply = call(a.addresses().send(), message("chat", new JsonObject().put("text", "hi")));

    assertEquals(List.of(b.peerId()), peerIds(reply));
    await().atMost(DEADLINE).until(() -> got.size() == 1);
    assertEquals(new JsonObject().put("protocol", BusAddresses.MESH).put("peerId", a.peerId()).put("event", "chat")
        .put("data", new JsonObject().put("text", "hi")), got.get(0));
  }

  @Test
  void messageDataIsAnyJsonValue() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    List<JsonObject> got = nodes.collect(b.addresses().message("value"));
    List<Object> values = Arrays.asList("text", "", 42, -7L, 3.5, true, false,
        new JsonArray().add(1).add("two").add(new JsonObject().put("three", 3)), new JsonObject(), null);

    for (int i = 0; i < values.size(); i++) {
      call(a.addresses().send(), message("value", values.get(i)));
      int expected = i + 1;
      await().atMost(DEADLINE).until(() -> got.size() == expected);
      JsonObject received = got.get(i);
      assertEquals(a.peerId(), received.getString("peerId"));
      assertTrue(received.containsKey("data"), "data is present even when null: " + received);
      assertJsonEquals(values.get(i), received.getValue("data"));
    }
  }

  @Test
  void aMessageWithoutDataArrivesWithNullData() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    List<JsonObject> got = nodes.collect(b.addresses().message("ping"));

    call(a.addresses().send(), new JsonObject().put("event", "ping"));

    await().atMost(DEADLINE).until(() -> got.size() == 1);
    assertNull(got.get(0).getValue("data"));
    assertEquals("ping", got.get(0).getString("event"));
  }

  @Test
  void broadcastReachesEveryConnectedPeer() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    PeerMeshNode c = nodes.startConnectedTo(a);
    List<JsonObject> atB = nodes.collect(b.addresses().message("news"));
    List<JsonObject> atC = nodes.collect(c.addresses().message("news"));

    JsonObject reply = call(a.addresses().broadcast(), message("news", new JsonArray().add("x")));

    assertEquals(Set.of(b.peerId(), c.peerId()), Set.copyOf(peerIds(reply)));
    await().atMost(DEADLINE).until(() -> atB.size() == 1 && atC.size() == 1);
    for (JsonObject got : List.of(atB.get(0), atC.get(0))) {
      assertEquals(a.peerId(), got.getString("peerId"));
      assertEquals("news", got.getString("event"));
      assertEquals(new JsonArray().add("x"), got.getJsonArray("data"));
    }
  }

  @Test
  void sendAndBroadcastWithNoPeerConnectedReplyAnEmptyList() {
    PeerMeshNode a = nodes.start();

    assertEquals(List.of(), peerIds(call(a.addresses().send(), message("alone", 1))));
    assertEquals(List.of(), peerIds(call(a.addresses().broadcast(), message("alone", 1))));
  }

  @Test
  void sendToPeerReachesOnlyTheNamedPeer() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    PeerMeshNode c = nodes.startConnectedTo(a);
    List<JsonObject> secretAtB = nodes.collect(b.addresses().message("secret"));
    List<JsonObject> secretAtC = nodes.collect(c.addresses().message("secret"));
    List<JsonObject> markerAtB = nodes.collect(b.addresses().message("marker"));

    JsonObject reply = call(a.addresses().sendToPeer(), message("secret", "for c").put("peerId", c.peerId()));

    assertEquals(List.of(c.peerId()), peerIds(reply));
    await().atMost(DEADLINE).until(() -> secretAtC.size() == 1);
    assertEquals(new JsonObject().put("protocol", BusAddresses.MESH)
        .put("peerId", a.peerId()).put("event", "secret").put("data", "for c"),
        secretAtC.get(0));
    // One connection keeps its order: had the secret gone to b, it would have arrived before this marker.
    call(a.addresses().sendToPeer(), message("marker", null).put("peerId", b.peerId()));
    await().atMost(DEADLINE).until(() -> markerAtB.size() == 1);
    assertEquals(List.of(), secretAtB);
  }

  // ----------------------------------------------------------------------------------------------------- requests

  @Test
  void requestIsAnsweredByTheRemoteRpcConsumerWithAnyJsonValue() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    List<JsonObject> served = new CopyOnWriteArrayList<>();
    consumer(b.addresses().rpc("echo"), m -> {
      served.add((JsonObject) m.body());
      m.reply(((JsonObject) m.body()).getValue("data"));
    });
    List<Object> answers = Arrays.asList(new JsonObject().put("a", 1), "a string", "", 42, 1L << 40, 3.5, true,
        new JsonArray().add(1).add("two").add(new JsonArray()), new JsonArray(), null);

    for (Object answer : answers) {
      Object reply = callAny(a.addresses().request(), request("echo", answer));
      assertJsonEquals(answer, reply);
    }
    assertEquals(answers.size(), served.size());
    JsonObject first = served.get(0);
    assertEquals(new JsonObject().put("protocol", BusAddresses.MESH).put("peerId", a.peerId()).put("procedure", "echo")
        .put("data", new JsonObject().put("a", 1)), first);
  }

  @Test
  void requestFromPeerIsAnsweredByTheNamedPeer() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    PeerMeshNode c = nodes.startConnectedTo(a);
    List<JsonObject> askedOfC = new CopyOnWriteArrayList<>();
    consumer(b.addresses().rpc("whoami"), m -> m.reply("b"));
    consumer(c.addresses().rpc("whoami"), m -> {
      askedOfC.add((JsonObject) m.body());
      m.reply(new JsonObject().put("name", "c"));
    });

    for (int i = 0; i < 3; i++) {
      assertEquals(new JsonObject().put("name", "c"),
          callAny(a.addresses().requestFromPeer(), request("whoami", i).put("peerId", c.peerId())));
      assertEquals("b", callAny(a.addresses().requestFromPeer(), request("whoami", i).put("peerId", b.peerId())));
    }
    assertEquals(3, askedOfC.size());
    assertEquals(new JsonObject().put("protocol", BusAddresses.MESH)
        .put("peerId", a.peerId()).put("procedure", "whoami").put("data", 0),
        askedOfC.get(0));
  }

  @Test
  void aFailingRpcConsumerReachesTheCallerWithItsCodeAndMessage() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    consumer(b.addresses().rpc("brew"), m -> m.fail(418, "teapot"));

    for (JsonObject command : List.of(request("brew", "coffee"), request("brew", "coffee").put("peerId", b.peerId()))) {
      String address = command.containsKey("peerId") ? a.addresses().requestFromPeer() : a.addresses().request();
      ReplyException failure = callFails(address, command);
      assertEquals(418, failure.failureCode(), failure.toString());
      assertTrue(failure.getMessage().contains("teapot"), failure.getMessage());
    }
  }

  @Test
  void aRequestNoConsumerServesFailsWith501NamingTheProcedure() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    List<JsonObject> invalid = nodes.events(b, PeerEvent.INVALID_REQUEST_RECEIVED);

    ReplyException failure = callFails(a.addresses().requestFromPeer(),
        request("nobodyServesThis", 1).put("peerId", b.peerId()));

    assertEquals(Failure.NO_HANDLER.code(), failure.failureCode(), failure.toString());
    assertTrue(failure.getMessage().contains("nobodyServesThis"), failure.getMessage());
    await().atMost(DEADLINE).until(() -> invalid.size() == 1);
    assertEquals(a.peerId(), invalid.get(0).getString("peerId"));
    assertEquals("nobodyServesThis", invalid.get(0).getString("procedure"));
  }

  @Test
  void aRequestTheRemoteConsumerNeverAnswersFailsWith504() {
    PeerMeshNode a = nodes.start(nodes.options(mesh -> mesh.setAckTimeout(1_000)));
    PeerMeshNode b = nodes.startConnectedTo(a);
    consumer(b.addresses().rpc("sleep"), m -> {
      // Never answers.
    });

    ReplyException failure = callFails(a.addresses().requestFromPeer(), request("sleep", 1).put("peerId", b.peerId()));

    assertEquals(Failure.TIMEOUT.code(), failure.failureCode(), failure.toString());
    assertTrue(failure.getMessage().contains("sleep"), failure.getMessage());
  }

  @Test
  void aPeerThatDisconnectsBeforeAnsweringFailsTheRequestWith502() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    consumer(b.addresses().rpc("leave"), m -> b.stop());

    ReplyException failure = callFails(a.addresses().requestFromPeer(), request("leave", 1).put("peerId", b.peerId()));

    assertEquals(Failure.PEER_DISCONNECTED.code(), failure.failureCode(), failure.toString());
    assertTrue(failure.getMessage().contains(b.peerId()), failure.getMessage());
  }

  @Test
  void anUnknownPeerIdFailsWith404NamingIt() {
    PeerMeshNode a = nodes.start();
    nodes.startConnectedTo(a);

    ReplyException toPeer = callFails(a.addresses().sendToPeer(), message("chat", 1).put("peerId", "nobody"));
    ReplyException fromPeer = callFails(a.addresses().requestFromPeer(), request("echo", 1).put("peerId", "nobody"));

    for (ReplyException failure : List.of(toPeer, fromPeer)) {
      assertEquals(Failure.UNKNOWN_PEER.code(), failure.failureCode(), failure.toString());
      assertTrue(failure.getMessage().contains("nobody"), failure.getMessage());
    }
  }

  @Test
  void aRequestWithNoPeerConnectedFailsWith503() {
    PeerMeshNode a = nodes.start();

    ReplyException failure = callFails(a.addresses().request(), request("echo", 1));

    assertEquals(Failure.NO_PEERS.code(), failure.failureCode(), failure.toString());
    assertTrue(failure.getMessage().contains("echo"), failure.getMessage());
  }

  @Test
  void aFailureWithAMessageLongerThanTheWireAllowsKeepsItsCode() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    consumer(b.addresses().rpc("brew"), m -> m.fail(418, "teapot: " + "x".repeat(10_000)));

    ReplyException failure = callFails(a.addresses().requestFromPeer(), request("brew", 1).put("peerId", b.peerId()));

    assertEquals(418, failure.failureCode(), failure.toString());
    assertTrue(failure.getMessage().contains("teapot"), failure.getMessage());
  }

  // -------------------------------------------------------------------------------------------------- frame size

  @Test
  void messageCommandsLargerThanMaxFrameSizeFailWith400AndThePeerStaysConnected() {
    PeerMeshNode[] pair = smallFramePair();
    PeerMeshNode a = pair[0];
    PeerMeshNode b = pair[1];
    String tooLarge = "x".repeat(a.config().getMesh().getMaxMessageSize());

    for (JsonObject command : List.of(
        call(a.addresses().send(), message("big", tooLarge), true),
        call(a.addresses().broadcast(), message("big", tooLarge), true),
        call(a.addresses().sendToPeer(), message("big", tooLarge).put("peerId", b.peerId()), true))) {
      assertEquals(Failure.BAD_REQUEST.code(), command.getInteger("failureCode"), command.encode());
      assertTrue(command.getString("message").contains("mesh.maxMessageSize"), command.encode());
    }
    assertStillConnected(a, b);
  }

  @Test
  void aRequestLargerThanMaxFrameSizeFailsWith400AndThePeerStaysConnected() {
    PeerMeshNode[] pair = smallFramePair();
    PeerMeshNode a = pair[0];
    PeerMeshNode b = pair[1];
    consumer(b.addresses().rpc("echo"), m -> m.reply("ok"));
    String tooLarge = "x".repeat(a.config().getMesh().getMaxMessageSize());

    for (JsonObject command : List.of(
        call(a.addresses().request(), request("echo", tooLarge), true),
        call(a.addresses().requestFromPeer(), request("echo", tooLarge).put("peerId", b.peerId()), true))) {
      assertEquals(Failure.BAD_REQUEST.code(), command.getInteger("failureCode"), command.encode());
      assertTrue(command.getString("message").contains("mesh.maxMessageSize"), command.encode());
    }
    assertStillConnected(a, b);
  }

  @Test
  void anAnswerLargerThanMaxFrameSizeFailsTheRequestAndThePeerStaysConnected() {
    PeerMeshNode[] pair = smallFramePair();
    PeerMeshNode a = pair[0];
    PeerMeshNode b = pair[1];
    consumer(b.addresses().rpc("big"), m -> m.reply("x".repeat(b.config().getMesh().getMaxMessageSize())));

    ReplyException failure = callFails(a.addresses().requestFromPeer(), request("big", 1).put("peerId", b.peerId()));

    assertEquals(Failure.PROCEDURE_FAILED.code(), failure.failureCode(), failure.toString());
    assertTrue(failure.getMessage().contains("mesh.maxMessageSize"), failure.getMessage());
    assertStillConnected(a, b);
  }

  // ------------------------------------------------------------------------------------------- malformed commands

  @Test
  void malformedMessageCommandsFailWith400NamingTheField() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    BusAddresses at = a.addresses();

    for (String address : List.of(at.send(), at.broadcast(), at.sendToPeer())) {
      JsonObject peer = address.equals(at.sendToPeer()) ? new JsonObject().put("peerId", b.peerId()) : new JsonObject();
      assertBadRequest(address, peer.copy().put("data", 1), "'event'");
      assertBadRequest(address, peer.copy().put("event", "").put("data", 1), "'event'");
      assertBadRequest(address, peer.copy().put("event", 7).put("data", 1), "'event'");
      assertBadRequest(address, peer.copy().put("event", "x".repeat(256)).put("data", 1), "'event'");
      assertBadRequest(address, "chat", "JSON object");
      assertBadRequest(address, new JsonArray().add("chat"), "JSON object");
    }
    assertBadRequest(at.sendToPeer(), message("chat", 1), "'peerId'");
    assertBadRequest(at.sendToPeer(), message("chat", 1).put("peerId", ""), "'peerId'");
    assertBadRequest(at.sendToPeer(), message("chat", 1).put("peerId", 12), "'peerId'");
  }

  @Test
  void malformedRequestCommandsFailWith400NamingTheField() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    BusAddresses at = a.addresses();

    for (String address : List.of(at.request(), at.requestFromPeer())) {
      JsonObject peer = address.equals(at.requestFromPeer()) ? new JsonObject().put("peerId", b.peerId()) : new JsonObject();
      assertBadRequest(address, peer.copy().put("data", 1), "'procedure'");
      assertBadRequest(address, peer.copy().put("procedure", "").put("data", 1), "'procedure'");
      assertBadRequest(address, peer.copy().put("procedure", new JsonArray()).put("data", 1), "'procedure'");
      assertBadRequest(address, "echo", "JSON object");
    }
    assertBadRequest(at.requestFromPeer(), request("echo", 1), "'peerId'");
    assertBadRequest(at.requestFromPeer(), request("echo", 1).put("peerId", ""), "'peerId'");
  }

  @Test
  void aMalformedCommandDeliversNothing() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    List<JsonObject> atB = nodes.collect(b.addresses().message("chat"));
    List<JsonObject> markers = nodes.collect(b.addresses().message("marker"));

    assertBadRequest(a.addresses().broadcast(), new JsonObject().put("event", "").put("data", "lost"), "'event'");
    call(a.addresses().broadcast(), message("marker", 1));

    await().atMost(DEADLINE).until(() -> markers.size() == 1);
    assertEquals(List.of(), atB);
  }

  // ------------------------------------------------------------------------------------------------ applyNodeInfo

  @Test
  void applyNodeInfoReachesTheRemoteNodeAsAnEventAndInItsPeerListing() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    List<JsonObject> updates = nodes.events(b, PeerEvent.UPDATED_PEER_INFO);
    JsonObject newInfo = new JsonObject().put("name", "renamed").put("height", 7)
        .put("modules", new JsonArray().add("chat"));

    JsonObject reply = call(a.addresses().applyNodeInfo(), newInfo);

    assertEquals(List.of(b.peerId()), peerIds(reply));
    await().atMost(DEADLINE).until(() -> updates.size() == 1);
    assertEquals(a.peerId(), updates.get(0).getString("peerId"));
    assertEquals(newInfo, updates.get(0).getJsonObject("nodeInfo"));
    JsonObject seenByB = connectedEntry(call(b.addresses().peers(), new JsonObject()), a.peerId());
    assertEquals(newInfo, seenByB.getJsonObject("nodeInfo"));
    assertEquals(newInfo, a.nodeInfo());

    // A peer that connects afterwards learns the new nodeInfo in the handshake.
    PeerMeshNode c = nodes.startConnectedTo(a);
    assertEquals(newInfo, connectedEntry(call(c.addresses().peers(), new JsonObject()), a.peerId())
        .getJsonObject("nodeInfo"));
  }

  @Test
  void applyNodeInfoWithANonObjectBodyFailsWith400AndChangesNothing() {
    PeerMeshNode a = nodes.start();
    nodes.startConnectedTo(a);
    JsonObject before = a.nodeInfo();

    for (Object body : Arrays.asList("renamed", 7, new JsonArray().add(new JsonObject()), null)) {
      ReplyException failure = callFails(a.addresses().applyNodeInfo(), body);
      assertEquals(Failure.BAD_REQUEST.code(), failure.failureCode(), "body " + body + ": " + failure);
      assertTrue(failure.getMessage().contains("nodeInfo"), failure.getMessage());
    }
    assertEquals(before, a.nodeInfo());
  }

  @Test
  void applyNodeInfoLargerThanMaxPeerInfoSizeFailsWith400() {
    PeerMeshNode a = nodes.start();
    JsonObject before = a.nodeInfo();
    int limit = a.config().getMesh().getMaxPeerInfoSize();

    ReplyException failure = callFails(a.addresses().applyNodeInfo(), new JsonObject().put("blob", "x".repeat(limit)));

    assertEquals(Failure.BAD_REQUEST.code(), failure.failureCode(), failure.toString());
    assertTrue(failure.getMessage().contains("maxPeerInfoSize"), failure.getMessage());
    assertEquals(before, a.nodeInfo());
  }

  // -------------------------------------------------------------------------------------------------------- peers

  @Test
  void peersListsTheConnectedPeersWithEveryField() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);

    JsonObject atA = call(a.addresses().peers(), new JsonObject());
    JsonObject atB = call(b.addresses().peers(), new JsonObject());

    assertEquals(List.of(), atA.getJsonArray("disconnected").getList());
    assertEquals(List.of(), atB.getJsonArray("disconnected").getList());
    assertEquals(1, atA.getJsonArray("connected").size(), atA.encodePrettily());
    assertEquals(1, atB.getJsonArray("connected").size(), atB.encodePrettily());
    assertPeerEntry(connectedEntry(atA, b.peerId()), b, "inbound", "connected");
    assertPeerEntry(connectedEntry(atB, a.peerId()), a, "outbound", "connected");
  }

  @Test
  void peersWithStatsAddsCountersToEachConnectedPeer() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    PeerMeshNode c = nodes.startConnectedTo(a);
    List<JsonObject> atB = nodes.collect(b.addresses().message("count"));
    call(a.addresses().sendToPeer(), message("count", 1).put("peerId", b.peerId()));
    await().atMost(DEADLINE).until(() -> atB.size() == 1);

    JsonObject listing = call(a.addresses().peers(), new JsonObject().put("stats", true));

    assertEquals(2, listing.getJsonArray("connected").size(), listing.encodePrettily());
    JsonObject toB = connectedEntry(listing, b.peerId());
    JsonObject toC = connectedEntry(listing, c.peerId());
    assertPeerEntry(toB, b, "inbound", "connected");
    assertPeerEntry(toC, c, "inbound", "connected");
    for (JsonObject entry : List.of(toB, toC)) {
      JsonObject stats = entry.getJsonObject("stats");
      assertNotNull(stats, entry.encodePrettily());
      for (String counter : List.of("bytesIn", "bytesOut", "framesIn", "framesOut", "messagesIn", "messagesOut",
          "requestsIn", "requestsOut")) {
        assertInstanceOf(Number.class, stats.getValue(counter), counter + " in " + stats);
      }
      assertTrue(stats.getLong("bytesIn") > 0, stats.encode());
      assertTrue(stats.getLong("bytesOut") > 0, stats.encode());
    }
    assertEquals(1L, toB.getJsonObject("stats").getLong("messagesOut"), toB.encode());
    assertEquals(0L, toC.getJsonObject("stats").getLong("messagesOut"), toC.encode());
    // Without the flag there are no counters.
    JsonObject plain = call(a.addresses().peers(), new JsonObject());
    assertFalse(connectedEntry(plain, b.peerId()).containsKey("stats"));
  }

  @Test
  void aStoppedPeerIsListedAsDisconnected() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    PeerMeshNode c = nodes.startConnectedTo(a);
    int bPort = b.listenAddress().port();

    TestNodes.await(b.stop());

    await().atMost(DEADLINE).untilAsserted(() -> {
      JsonObject listing = call(a.addresses().peers(), new JsonObject());
      assertEquals(List.of(c.peerId()), idsOf(listing.getJsonArray("connected")), listing.encodePrettily());
      assertEquals(List.of(b.peerId()), idsOf(listing.getJsonArray("disconnected")), listing.encodePrettily());
    });
    JsonObject gone = call(a.addresses().peers(), new JsonObject()).getJsonArray("disconnected").getJsonObject(0);
    assertEquals(b.peerId(), gone.getString("peerId"));
    assertEquals("127.0.0.1", gone.getString("host"));
    assertEquals(bPort, gone.getInteger("port"));
    assertEquals("closed", gone.getString("state"));
    assertTrue(gone.containsKey("direction"), gone.encode());
    assertTrue(gone.containsKey("latencyMicros"), gone.encode());
    assertEquals(new JsonObject().put("name", "node2"), gone.getJsonObject("nodeInfo"));
  }

  /**
   * The mesh is served by the peer layer as every protocol is: its connect, peers and disconnect commands, and its
   * state changes, on {@code <prefix>.mesh.*}, beside the lisk-p2p addresses.
   */
  @Test
  void theMeshServesTheLayersCommandsAndStateChanges() {
    PeerMeshNode a = nodes.start();
    List<JsonObject> closedOnA = nodes.events(a, PeerEvent.CLOSE_INBOUND);
    PeerMeshNode b = nodes.start();
    ProtocolAddresses mesh = b.addresses().protocol(BusAddresses.MESH);
    List<JsonObject> states = nodes.collect(mesh.stateChange());

    JsonObject connected = call(mesh.command("connect"), new JsonObject()
        .put("host", a.listenAddress().host()).put("port", a.listenAddress().port()));

    assertEquals(a.peerId(), connected.getString("peerId"), connected.encode());
    assertEquals("connected", connected.getString("state"), connected.encode());
    assertEquals(BusAddresses.MESH, connected.getString("protocol"), connected.encode());
    String name = connected.getString("peer");
    assertEquals(a.listenAddress().toString(), name);
    // Asked again, the connection there is answers.
    assertEquals(a.peerId(), call(mesh.command("connect"), new JsonObject()
        .put("host", a.listenAddress().host()).put("port", a.listenAddress().port())).getString("peerId"));
    JsonArray listed = call(mesh.command("peers"), new JsonObject()).getJsonArray("peers");
    assertEquals(1, listed.size(), listed.encode());
    assertEquals(a.peerId(), listed.getJsonObject(0).getString("peerId"));
    ReplyException unknown = callFails(mesh.command("disconnect"), new JsonObject().put("peer", "127.0.0.1:1"));
    assertEquals(Failure.UNKNOWN_PEER.code(), unknown.failureCode(), unknown.getMessage());

    assertEquals(name, call(mesh.command("disconnect"), new JsonObject().put("peer", name)).getString("peer"));

    await().atMost(DEADLINE).until(() -> closedOnA.size() == 1);
    assertEquals("remote", closedOnA.get(0).getString("initiator"));
    await().atMost(DEADLINE).until(() -> states.size() == 4);
    assertEquals(List.of("connecting", "handshaking", "connected", "closed"),
        states.stream().map(change -> change.getString("state")).toList());
    assertEquals(DisconnectReason.NORMAL.code(), states.get(3).getInteger("code"), states.get(3).encode());
  }

  // ------------------------------------------------------------------------------------------------------- events

  @Test
  void messageReceivedIsPublishedWithThePeerId() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    List<JsonObject> events = nodes.events(b, PeerEvent.MESSAGE_RECEIVED);

    call(a.addresses().sendToPeer(), message("chat", new JsonObject().put("n", 1)).put("peerId", b.peerId()));

    await().atMost(DEADLINE).until(() -> events.size() == 1);
    assertEquals(a.peerId(), events.get(0).getString("peerId"));
    assertEquals("chat", events.get(0).getString("event"));
    assertEquals(new JsonObject().put("n", 1), events.get(0).getJsonObject("data"));
  }

  @Test
  void requestReceivedIsPublishedWithThePeerId() {
    PeerMeshNode a = nodes.start();
    PeerMeshNode b = nodes.startConnectedTo(a);
    List<JsonObject> events = nodes.events(b, PeerEvent.REQUEST_RECEIVED);
    consumer(b.addresses().rpc("echo"), m -> m.reply("ok"));

    assertEquals("ok", callAny(a.addresses().requestFromPeer(), request("echo", 5).put("peerId", b.peerId())));

    await().atMost(DEADLINE).until(() -> events.size() == 1);
    assertEquals(a.peerId(), events.get(0).getString("peerId"));
    assertEquals("echo", events.get(0).getString("procedure"));
    assertEquals(5, events.get(0).getInteger("data"));
  }

  @Test
  void newInboundPeerIsPublishedWithThePeerId() {
    PeerMeshNode a = nodes.start();
    List<JsonObject> events = nodes.events(a, PeerEvent.NEW_INBOUND_PEER);

    PeerMeshNode b = nodes.startConnectedTo(a);

    await().atMost(DEADLINE).until(() -> events.size() == 1);
    assertEquals(b.peerId(), events.get(0).getString("peerId"));
    assertEquals("inbound", events.get(0).getString("direction"));
  }

  // ------------------------------------------------------------------------------------------------------ helpers

  /** Two connected nodes whose frames may be at most 2048 bytes, the smallest the configuration allows. */
  private PeerMeshNode[] smallFramePair() {
    PeerMeshNode a = nodes.start(nodes.options(mesh -> mesh
        .setMaxPeerInfoSize(1024)
        .setMaxMessageSize(2048)));
    PeerMeshNode b = nodes.start(nodes.options(mesh -> mesh
        .setMaxPeerInfoSize(1024)
        .setMaxMessageSize(2048)
        .setSeedPeers(List.of(a.listenAddress()))));
    TestNodes.awaitConnected(a, b);
    TestNodes.awaitConnected(b, a);
    return new PeerMeshNode[] {a, b};
  }

  /** Both still list each other, and a message still goes from a to b over the same connection. */
  private void assertStillConnected(PeerMeshNode a, PeerMeshNode b) {
    List<JsonObject> markers = nodes.collect(b.addresses().message("stillConnected"));
    call(a.addresses().sendToPeer(), message("stillConnected", 1).put("peerId", b.peerId()));
    await().atMost(DEADLINE).until(() -> markers.size() == 1);
    connectedEntry(call(a.addresses().peers(), new JsonObject()), b.peerId());
    connectedEntry(call(b.addresses().peers(), new JsonObject()), a.peerId());
    assertEquals(List.of(), idsOf(call(b.addresses().peers(), new JsonObject()).getJsonArray("disconnected")));
  }

  /**
   * A command's outcome as JSON, success or failure alike, so that several can be checked before the first
   * assertion: {@code {"reply": ...}} or {@code {"failureCode": ..., "message": ...}}.
   */
  private JsonObject call(String address, Object body, boolean outcome) {
    Object result = TestNodes.await(vertx.eventBus().request(address, body)
        .map(m -> (Object) new JsonObject().put("reply", m.body()))
        .recover(err -> io.vertx.core.Future.succeededFuture(err instanceof ReplyException r
            ? new JsonObject().put("failureCode", r.failureCode()).put("message", r.getMessage())
            : new JsonObject().put("failureCode", -1).put("message", String.valueOf(err)))));
    return (JsonObject) result;
  }

  private static JsonObject message(String event, Object data) {
    return new JsonObject().put("event", event).put("data", data);
  }

  private static JsonObject request(String procedure, Object data) {
    return new JsonObject().put("procedure", procedure).put("data", data);
  }

  private void consumer(String address, io.vertx.core.Handler<Message<Object>> handler) {
    TestNodes.await(vertx.eventBus().<Object>consumer(address, handler).completion());
  }

  /** A command whose reply is a JSON object. */
  private JsonObject call(String address, Object body) {
    Object reply = callAny(address, body);
    assertInstanceOf(JsonObject.class, reply, address + " replied " + reply);
    return (JsonObject) reply;
  }

  private Object callAny(String address, Object body) {
    return TestNodes.await(vertx.eventBus().request(address, body).map(Message::body));
  }

  private ReplyException callFails(String address, Object body) {
    Throwable failure = TestNodes.awaitFailure(vertx.eventBus().request(address, body));
    ReplyException reply = assertInstanceOf(ReplyException.class, failure);
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, reply.failureType(), reply.toString());
    assertNotNull(reply.getMessage(), reply.toString());
    return reply;
  }

  private void assertBadRequest(String address, Object body, String named) {
    ReplyException failure = callFails(address, body);
    assertEquals(Failure.BAD_REQUEST.code(), failure.failureCode(), address + " " + body + ": " + failure);
    assertTrue(failure.getMessage().contains(named) || failure.getMessage().contains(named.replace("'", "")),
        address + " " + body + ": the message should name " + named + ": " + failure.getMessage());
  }

  private static List<String> peerIds(JsonObject reply) {
    JsonArray ids = reply.getJsonArray("peerIds");
    assertNotNull(ids, "no peerIds in " + reply);
    List<String> out = new ArrayList<>();
    ids.forEach(id -> out.add((String) id));
    return out;
  }

  private static List<String> idsOf(JsonArray entries) {
    return entries.stream().map(e -> ((JsonObject) e).getString("peerId")).collect(Collectors.toList());
  }

  private static JsonObject connectedEntry(JsonObject listing, String peerId) {
    return listing.getJsonArray("connected").stream()
        .map(JsonObject.class::cast)
        .filter(e -> peerId.equals(e.getString("peerId")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no connected entry for " + peerId + " in " + listing.encodePrettily()));
  }

  private static void assertPeerEntry(JsonObject entry, PeerMeshNode peer, String direction, String state) {
    assertEquals(peer.peerId(), entry.getString("peerId"), entry.encode());
    assertEquals("127.0.0.1", entry.getString("host"), entry.encode());
    assertEquals(peer.listenAddress().port(), entry.getInteger("port"), entry.encode());
    assertEquals(direction, entry.getString("direction"), entry.encode());
    assertEquals(state, entry.getString("state"), entry.encode());
    assertEquals(BusAddresses.MESH, entry.getString("protocol"), entry.encode());
    assertInstanceOf(Number.class, entry.getValue("latencyMicros"), entry.encode());
    assertEquals(peer.nodeInfo(), entry.getJsonObject("nodeInfo"), entry.encode());
  }

  /** JSON equality across number types: the value came back through JSON text, so 42L may be 42. */
  private static void assertJsonEquals(Object expected, Object actual) {
    if (expected instanceof Number e && actual instanceof Number g) {
      if (e instanceof Double || e instanceof Float) {
        assertEquals(e.doubleValue(), g.doubleValue(), 0.0, "expected " + expected + ", got " + actual);
      } else {
        assertEquals(e.longValue(), g.longValue(), "expected " + expected + ", got " + actual);
        assertFalse(g instanceof Double || g instanceof Float, "an integer came back as " + actual);
      }
      return;
    }
    assertEquals(expected, actual);
  }
}
