package org.peermesh.reputation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peermesh.bus.Failure;
import org.peermesh.bus.PeerEvent;
import org.peermesh.crypto.NodeKey;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.Disconnect;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.NodeInfoUpdate;
import org.peermesh.mesh.wire.Request;
import org.peermesh.mesh.wire.Response;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.PeerInfo;
import org.peermesh.testing.RawPeer;
import org.peermesh.testing.TestNodes;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.aboutPeer;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;
import static org.peermesh.testing.PeerTestSupport.awaitListed;
import static org.peermesh.testing.PeerTestSupport.awaitNotListed;
import static org.peermesh.testing.PeerTestSupport.connectedPeer;
import static org.peermesh.testing.PeerTestSupport.invalidJsonAppMessageBody;

/**
 * The penalties a node applies to a peer by itself (message rate, protocol request rate, nodeInfo push rate,
 * invalid peer lists, malformed frames, unanswered requests) and those an application applies through
 * {@code applyPenalty}, seen from a hand-driven peer and through the node's {@code peerPenalized} and
 * {@code banPeer} events. Every peer starts at 100 and is banned at 0.
 *
 * <p>Where "no further penalty" must be shown, the test asks the node for the peer's reputation with an
 * {@code applyPenalty} of 0 (which publishes a {@code peerPenalized} event of penalty 0, ignored by the checks),
 * or reads it from the node's peer list: both are the node's own score, not an event that may still be on its way.
 */
@ExtendWith(VertxExtension.class)
class PenaltyTest {

  private static final int BANNED = DisconnectReason.BANNED.code();
  private static final Pattern RATE_REASON = Pattern.compile("^(\\d+) messages/s, over the limit of (\\d+)/s$");

  // ------------------------------------------------------------------------------------------------ message rate

  /**
   * A burst over wsMaxMessageRate in one aligned window costs {@code Penalty.forMessageRate} of the rate the node
   * measured (judged by the first frame of a later window); a burst far over it bans the peer at once.
   */
  @Test
  void floodingCostsThePenaltyOfTheMeasuredRateAndEndsInABan(Vertx vertx, @TempDir Path dir) throws Exception {
    int interval = 200;
    int limit = 100;
    int step = 10;
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode node = nodes.start(nodes.options(meshOptions -> meshOptions
          .setRateCalculationInterval(interval)
          .setWsMaxMessageRate(limit)
          .setWsMaxMessageRatePenalty(step)));
      List<JsonObject> penalized = nodes.events(node, PeerEvent.PEER_PENALIZED);
      List<JsonObject> bans = nodes.events(node, PeerEvent.BAN_PEER);
      raw.connect(node.listenAddress(), "127.0.0.1").handshake(TestNodes.NETWORK);
      awaitListed(node, raw.peerId());

      // 50 frames: 250 msg/s if one window holds them all, 1.5 limits over: penalty 20 (a started limit counts).
      // If the burst straddles a window boundary each part is judged by itself, but one of them holds at least 25
      // frames, more than the 20 allowed.
      List<JsonObject> firstBurst = nodes.collect(node.addresses().message("burst-1"));
      raw.sendAll(appMessages("burst-1", 50));
      await().atMost(TestNodes.DEADLINE).until(() -> firstBurst.size() == 50);
      awaitNextWindow(interval);
      sendMarker(nodes, node, raw, "marker-1");

      int reputation = reputationOf(vertx, node, raw.peerId());
      assertTrue(reputation < 100, "a burst of 250 msg/s against a limit of 100 msg/s cost nothing");
      assertTrue(reputation > 0, "a burst of 50 frames must not ban: reputation " + reputation);
      List<JsonObject> ratePenalties = awaitPenaltiesSumming(penalized, raw.peerId(), 100 - reputation);
      for (JsonObject event : ratePenalties) {
        assertRatePenalty(event, limit, step);
      }

      // 1,500 frames: at least 750 of them in one window (3,750 msg/s), a penalty of 370 or more: banned.
      List<JsonObject> secondBurst = nodes.collect(node.addresses().message("burst-2"));
      raw.sendAll(appMessages("burst-2", 1_500));
      Predicate<JsonObject> banOfRaw = e -> raw.peerId().equals(e.getString("peerId"));
      await().atMost(TestNodes.DEADLINE).until(() -> secondBurst.size() == 1_500 || bans.stream().anyMatch(banOfRaw));
      if (bans.stream().noneMatch(banOfRaw)) {
        // The node processed the whole burst in one window: the first frame of a later one judges it. (A frame
        // that ends in a ban is never delivered, so all 1,500 delivered means no ban yet.)
        awaitNextWindow(interval);
        raw.send(new AppMessage("marker-2", JsonPayload.of(true)));
      }
      Disconnect disconnect = raw.expectDisconnect();
      assertEquals(BANNED, disconnect.code(), "Disconnect " + disconnect);

      JsonObject ban = awaitEvent(bans, banOfRaw);
      assertEquals("peer:" + raw.peerId(), ban.getString("key"), "a proven peer on 127.0.0.1 is banned by id");
      JsonObject banning = awaitEvent(penalized, e -> raw.peerId().equals(e.getString("peerId"))
          && e.getInteger("reputation") == 0);
      assertRatePenalty(banning, limit, step);
      assertEquals(banning.getString("reason"), ban.getString("reason"));
      awaitNotListed(node, raw.peerId());
    }
  }

  private static void assertRatePenalty(JsonObject event, int limit, int step) {
    Matcher reason = RATE_REASON.matcher(event.getString("reason"));
    assertTrue(reason.matches(), "not a message-rate penalty: " + event.encode());
    double measured = Double.parseDouble(reason.group(1));
    assertEquals(limit, Integer.parseInt(reason.group(2)), event.encode());
    int penalty = event.getInteger("penalty");
    assertTrue(penalty > 0, event.encode());
    assertEquals(0, penalty % step, "a multiple of wsMaxMessageRatePenalty: " + event.encode());
    assertEquals(Penalty.forMessageRate(measured, limit, step), penalty, event.encode());
    // The rule itself: one step per started limit over the limit.
    assertEquals((int) Math.ceil((measured - limit) / limit) * step, penalty, event.encode());
  }

  // ------------------------------------------------------------------------------------------------ malformed

  @Test
  void malformedFrameAfterTheHandshakeCostsAllAndBans(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode node = nodes.start();
      List<JsonObject> penalized = nodes.events(node, PeerEvent.PEER_PENALIZED);
      List<JsonObject> bans = nodes.events(node, PeerEvent.BAN_PEER);
      List<JsonObject> closes = nodes.events(node, PeerEvent.CLOSE_INBOUND);
      raw.connect(node.listenAddress(), "127.0.0.1").handshake(TestNodes.NETWORK);
      awaitListed(node, raw.peerId());

      raw.sendRaw(RawPeer.frame(WireMessage.APP_MESSAGE, invalidJsonAppMessageBody()));

      assertEquals(BANNED, raw.expectDisconnect().code());
      JsonObject ban = awaitEvent(bans, aboutPeer(raw.peerId()));
      assertEquals("peer:" + raw.peerId(), ban.getString("key"));
      assertTrue(ban.getString("reason").startsWith("malformed frame"), ban.encode());
      JsonObject closed = awaitEvent(closes, aboutPeer(raw.peerId()));
      assertEquals(BANNED, closed.getInteger("code"));
      List<JsonObject> costs = awaitPenalties(penalized, raw.peerId(), 1);
      assertEquals(1, costs.size(), "one penalty: " + costs);
      assertEquals(Penalty.MALFORMED_FRAME.amount(), costs.get(0).getInteger("penalty"));
      assertEquals(0, costs.get(0).getInteger("reputation"));
      assertEquals("127.0.0.1", costs.get(0).getString("host"));
      awaitNotListed(node, raw.peerId());
    }
  }

  // ------------------------------------------------------------------------------------- protocol procedures

  /**
   * getPeers answers {@code {"peers": [...]}} from the peer book, getNodeInfo the node's nodeInfo; either asked
   * again within rateCalculationInterval is answered 429 and costs 10; after the interval it is answered again.
   */
  @Test
  void protocolProceduresAreAnsweredOncePerInterval(Vertx vertx, @TempDir Path dir) throws Exception {
    int interval = 1_000;
    try (TestNodes nodes = new TestNodes(vertx, dir);
         RawPeer listed = new RawPeer().listenPort(4567);
         RawPeer raw = new RawPeer()) {
      PeerMeshNode node = nodes.start(nodes.options(meshOptions -> meshOptions
          .setRateCalculationInterval(interval)));
      List<JsonObject> penalized = nodes.events(node, PeerEvent.PEER_PENALIZED);
      List<JsonObject> discovered = nodes.events(node, PeerEvent.DISCOVERED_PEER);
      // An inbound peer that listens is booked; it is what getPeers has to give.
      listed.connect(node.listenAddress(), "127.0.0.1").handshake(TestNodes.NETWORK);
      awaitEvent(discovered, e -> listed.peerId().equals(e.getString("sourcePeerId")));
      raw.connect(node.listenAddress(), "127.0.0.1").handshake(TestNodes.NETWORK);
      awaitListed(node, raw.peerId());

      raw.send(new Request(1, "getPeers", JsonPayload.of(null)));
      Response peers = assertInstanceOf(Response.class, raw.readSkippingPings());
      assertEquals(1, peers.id());
      assertTrue(peers.isSuccess(), peers.toString());
      assertEquals(new JsonObject().put("peers", new JsonArray().add(new PeerAddress("127.0.0.1", 4567).toJson())),
          peers.data().value());

      raw.send(new Request(2, "getPeers", JsonPayload.of(null)));
      Response refused = assertInstanceOf(Response.class, raw.readSkippingPings());
      long refusedAt = System.nanoTime();
      assertEquals(2, refused.id());
      assertEquals(Failure.TOO_MANY_REQUESTS.code(), refused.status(), refused.toString());
      JsonObject cost = awaitEvent(penalized, e -> raw.peerId().equals(e.getString("peerId")));
      assertEquals(Penalty.PROTOCOL_REQUEST_RATE.amount(), cost.getInteger("penalty"));
      assertEquals(90, cost.getInteger("reputation"));
      assertTrue(cost.getString("reason").contains("getPeers"), cost.encode());

      raw.send(new Request(3, "getNodeInfo", JsonPayload.of(null)));
      Response nodeInfo = assertInstanceOf(Response.class, raw.readSkippingPings());
      assertEquals(3, nodeInfo.id());
      assertTrue(nodeInfo.isSuccess(), nodeInfo.toString());
      assertEquals(node.nodeInfo(), nodeInfo.data().value());

      // Once the interval since the refused request has passed, getPeers is answered again, at no cost.
      await().atMost(TestNodes.DEADLINE).pollInterval(Duration.ofMillis(10))
          .until(() -> System.nanoTime() - refusedAt > TimeUnit.MILLISECONDS.toNanos(interval + 50));
      raw.send(new Request(4, "getPeers", JsonPayload.of(null)));
      Response again = assertInstanceOf(Response.class, raw.readSkippingPings());
      assertEquals(4, again.id());
      assertTrue(again.isSuccess(), again.toString());
      assertEquals(90, reputationOf(vertx, node, raw.peerId()), "exactly one penalty of 10");
    }
  }

  // ---------------------------------------------------------------------------------------------- nodeInfo pushes

  @Test
  void aFifthNodeInfoPushWithinTheWindowCostsTen(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode node = nodes.start();
      List<JsonObject> penalized = nodes.events(node, PeerEvent.PEER_PENALIZED);
      List<JsonObject> updated = nodes.events(node, PeerEvent.UPDATED_PEER_INFO);
      raw.connect(node.listenAddress(), "127.0.0.1").handshake(TestNodes.NETWORK);
      awaitListed(node, raw.peerId());

      raw.sendAll(IntStream.range(0, Penalty.NODE_INFO_PUSHES_PER_WINDOW).mapToObj(PenaltyTest::nodeInfoUpdate).toList());
      await().atMost(TestNodes.DEADLINE).until(() -> count(updated, raw.peerId()) == 4);
      assertEquals(100, reputationOf(vertx, node, raw.peerId()), "four pushes within the window are allowed");

      raw.send(nodeInfoUpdate(4));
      JsonObject cost = awaitEvent(penalized, e -> raw.peerId().equals(e.getString("peerId"))
          && e.getInteger("penalty") > 0);
      assertEquals(Penalty.NODE_INFO_PUSH_RATE.amount(), cost.getInteger("penalty"));
      assertEquals(90, cost.getInteger("reputation"));
      assertTrue(cost.getString("reason").contains("nodeInfo pushes"), cost.encode());
      assertEquals(90, reputationOf(vertx, node, raw.peerId()), "exactly one penalty, for the fifth push");
      assertEquals(1, nonZero(penalized, raw.peerId()).size(), penalized.toString());
      // Penalised, not refused: the fifth nodeInfo is taken all the same.
      await().atMost(TestNodes.DEADLINE).until(() -> connectedPeer(node, raw.peerId())
          .map(p -> p.nodeInfo().getInteger("v", -1)).orElse(-1) == 4);
    }
  }

  // ------------------------------------------------------------------------------------------ invalid peer list

  /**
   * The node dials the raw peer (its seed) and asks it getPeers; an answer that is not a list of at most 200
   * addresses costs 100: banned, disconnected, and reported as failedToFetchPeers.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "{\"peers\": \"nope\"}",
      "{\"peers\": [{\"host\": \"127.0.0.1\", \"port\": 0}]}",
      "{\"peers\": [{\"host\": \"127.0.0.1\"}]}",
      "[]",
      "201 entries"})
  void anInvalidPeerListCostsAllAndBans(String answer, Vertx vertx, @TempDir Path dir) throws Exception {
    Object body = answer.equals("201 entries") ? tooManyPeers() : new JsonObject("{\"a\":" + answer + "}").getValue("a");
    try (TestNodes nodes = new TestNodes(vertx, dir);
         ServerSocket listener = RawPeer.listen("127.0.0.1");
         RawPeer raw = new RawPeer()) {
      NodeOptions options = nodes.options(meshOptions -> meshOptions
          .setSeedPeers(List.of(new PeerAddress("127.0.0.1", listener.getLocalPort())))
          .setPopulatorInterval(200));
      List<JsonObject> failedToFetch = nodes.events(options, PeerEvent.FAILED_TO_FETCH_PEERS);
      List<JsonObject> penalized = nodes.events(options, PeerEvent.PEER_PENALIZED);
      List<JsonObject> bans = nodes.events(options, PeerEvent.BAN_PEER);
      PeerMeshNode node = nodes.startDialing(options, raw, listener);

      Request getPeers = assertInstanceOf(Request.class, raw.readSkippingPings());
      assertEquals("getPeers", getPeers.procedure());
      raw.send(Response.success(getPeers.id(), JsonPayload.of(body)));

      assertEquals(BANNED, raw.expectDisconnect().code());
      JsonObject failure = awaitEvent(failedToFetch, aboutPeer(raw.peerId()));
      assertEquals("invalid peer list", failure.getString("error"));
      JsonObject cost = awaitEvent(penalized, aboutPeer(raw.peerId()));
      assertEquals(Penalty.INVALID_PEER_LIST.amount(), cost.getInteger("penalty"));
      assertEquals(0, cost.getInteger("reputation"));
      JsonObject ban = awaitEvent(bans, aboutPeer(raw.peerId()));
      assertEquals("peer:" + raw.peerId(), ban.getString("key"));
      awaitNotListed(node, raw.peerId());
    }
  }

  private static JsonObject tooManyPeers() {
    JsonArray peers = new JsonArray();
    for (int i = 0; i < 201; i++) {
      peers.add(new PeerAddress("10.0." + (i / 250) + "." + (i % 250 + 1), 5000).toJson());
    }
    return new JsonObject().put("peers", peers);
  }

  // ------------------------------------------------------------------------------------------ unanswered request

  /**
   * Requests unanswered past ackTimeout fail their callers with 504; once the grace period (5 s, fixed) has also
   * passed, each costs 2. A request answered late but within the grace costs nothing. Three requests: A and C
   * are never answered, B is answered right after its caller got the 504. C's grace ends after B's, so when C's
   * penalty is seen any penalty for B would have been too.
   */
  @Test
  void anUnansweredRequestCostsTwoAfterTheGracePeriod(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode node = nodes.start(nodes.options(meshOptions -> meshOptions.setAckTimeout(300)));
      List<JsonObject> penalized = nodes.events(node, PeerEvent.PEER_PENALIZED);
      raw.connect(node.listenAddress(), "127.0.0.1").handshake(TestNodes.NETWORK);
      awaitListed(node, raw.peerId());

      Future<Object> a = node.requestFromPeer(raw.peerId(), "never-a", 1);
      Request requestA = assertInstanceOf(Request.class, raw.readSkippingPings());
      Future<Object> b = node.requestFromPeer(raw.peerId(), "late-b", 2);
      Request requestB = assertInstanceOf(Request.class, raw.readSkippingPings());
      Future<Object> c = node.requestFromPeer(raw.peerId(), "never-c", 3);
      Request requestC = assertInstanceOf(Request.class, raw.readSkippingPings());
      assertEquals(List.of("never-a", "late-b", "never-c"),
          List.of(requestA.procedure(), requestB.procedure(), requestC.procedure()));

      for (Future<Object> caller : List.of(a, b, c)) {
        ReplyException timeout = assertInstanceOf(ReplyException.class, TestNodes.awaitFailure(caller));
        assertEquals(Failure.TIMEOUT.code(), timeout.failureCode(), timeout.getMessage());
      }
      raw.send(Response.success(requestB.id(), JsonPayload.of("late, but within the grace")));
      assertTrue(nonZero(penalized, raw.peerId()).isEmpty(), "no penalty before the grace period: " + penalized);

      JsonObject costC = awaitEvent(penalized, e -> raw.peerId().equals(e.getString("peerId"))
          && e.getString("reason").contains("never-c"));
      assertEquals(Penalty.UNANSWERED_REQUEST.amount(), costC.getInteger("penalty"));
      List<JsonObject> costs = nonZero(penalized, raw.peerId());
      assertEquals(2, costs.size(), "A and C cost, B (answered late) does not: " + costs);
      assertTrue(costs.get(0).getString("reason").contains("never-a"), costs.toString());
      assertEquals(Penalty.UNANSWERED_REQUEST.amount(), costs.get(0).getInteger("penalty"));
      assertEquals(List.of(98, 96), costs.stream().map(e -> e.getInteger("reputation")).toList());
      assertEquals(96, reputationOf(vertx, node, raw.peerId()));
      assertEquals(96, connectedPeer(node, raw.peerId()).orElseThrow().reputation());
    }
  }

  // ---------------------------------------------------------------------------------------------- applyPenalty

  @Test
  void applyPenaltyLowersTheScoreAndBansAtZero(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode node = nodes.start();
      List<JsonObject> penalized = nodes.events(node, PeerEvent.PEER_PENALIZED);
      List<JsonObject> bans = nodes.events(node, PeerEvent.BAN_PEER);
      raw.connect(node.listenAddress(), "127.0.0.1").handshake(TestNodes.NETWORK);
      awaitListed(node, raw.peerId());

      JsonObject first = applyPenalty(vertx, node, new JsonObject().put("peerId", raw.peerId()).put("penalty", 30)
          .put("reason", "invalid block"));
      assertEquals(new JsonObject().put("peerId", raw.peerId()).put("reputation", 70).put("banned", false), first);
      JsonObject firstEvent = awaitEvent(penalized, aboutPeer(raw.peerId()));
      assertEquals(30, firstEvent.getInteger("penalty"));
      assertEquals(70, firstEvent.getInteger("reputation"));
      assertEquals("invalid block", firstEvent.getString("reason"));
      assertEquals("127.0.0.1", firstEvent.getString("host"));
      await().atMost(TestNodes.DEADLINE).until(() -> connectedPeer(node, raw.peerId())
          .map(PeerInfo::reputation).orElse(-1) == 70);

      JsonObject second = applyPenalty(vertx, node, new JsonObject().put("peerId", raw.peerId()).put("penalty", 70));
      assertEquals(new JsonObject().put("peerId", raw.peerId()).put("reputation", 0).put("banned", true), second);
      assertEquals(BANNED, raw.expectDisconnect().code());
      JsonObject ban = awaitEvent(bans, aboutPeer(raw.peerId()));
      assertEquals("peer:" + raw.peerId(), ban.getString("key"));
      assertEquals("applied by the application", ban.getString("reason"));
      awaitNotListed(node, raw.peerId());

      // A banned peer is gone: penalising it again is a penalty for an unknown peer.
      assertEquals(Failure.UNKNOWN_PEER.code(),
          applyPenaltyFailure(vertx, node, new JsonObject().put("peerId", raw.peerId()).put("penalty", 1)));
    }
  }

  @Test
  void applyPenaltyRefusesBadBodiesAndUnknownPeers(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode node = nodes.start();
      List<JsonObject> penalized = nodes.events(node, PeerEvent.PEER_PENALIZED);
      raw.connect(node.listenAddress(), "127.0.0.1").handshake(TestNodes.NETWORK);
      awaitListed(node, raw.peerId());
      String id = raw.peerId();

      for (Object bad : List.of(
          new JsonObject().put("peerId", id),
          new JsonObject().put("penalty", 10),
          new JsonObject().put("peerId", id).put("penalty", -1),
          new JsonObject().put("peerId", id).put("penalty", 1.5),
          new JsonObject().put("peerId", id).put("penalty", "10"),
          new JsonObject().put("peerId", 42).put("penalty", 10),
          "not an object")) {
        assertEquals(Failure.BAD_REQUEST.code(), applyPenaltyFailure(vertx, node, bad), "body " + bad);
      }
      String stranger = NodeKey.generate().peerId().toString();
      assertEquals(Failure.UNKNOWN_PEER.code(),
          applyPenaltyFailure(vertx, node, new JsonObject().put("peerId", stranger).put("penalty", 10)));

      assertEquals(100, reputationOf(vertx, node, id), "no refused command touched the score");
      assertTrue(nonZero(penalized, id).isEmpty(), penalized.toString());
      awaitListed(node, id);
    }
  }

  /** A whitelisted peer loses its reputation like any other, but is never banned nor disconnected for it. */
  @Test
  void aWhitelistedPeerIsNeverBanned(Vertx vertx, @TempDir Path dir) throws Exception {
    String host = "127.7.0.1";
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode node = nodes.start(nodes.options(meshOptions -> meshOptions
          .setWhitelistedPeers(List.of(new PeerAddress(host, 1)))));
      List<JsonObject> bans = nodes.events(node, PeerEvent.BAN_PEER);
      List<JsonObject> penalized = nodes.events(node, PeerEvent.PEER_PENALIZED);
      raw.connect(node.listenAddress(), host).handshake(TestNodes.NETWORK);
      awaitListed(node, raw.peerId());
      assertTrue(connectedPeer(node, raw.peerId()).orElseThrow().whitelisted());

      JsonObject reply = applyPenalty(vertx, node, new JsonObject().put("peerId", raw.peerId()).put("penalty", 150));
      assertEquals(new JsonObject().put("peerId", raw.peerId()).put("reputation", 0).put("banned", false), reply);
      JsonObject event = awaitEvent(penalized, aboutPeer(raw.peerId()));
      assertEquals(host, event.getString("host"));
      assertEquals(0, event.getInteger("reputation"));
      // At 0 already: more of it still does not ban.
      reply = applyPenalty(vertx, node, new JsonObject().put("peerId", raw.peerId()).put("penalty", 10));
      assertEquals(false, reply.getBoolean("banned"));

      // Still connected, both ways.
      List<JsonObject> received = nodes.collect(node.addresses().message("still-here"));
      raw.send(new AppMessage("still-here", JsonPayload.of(1)));
      await().atMost(TestNodes.DEADLINE).until(() -> !received.isEmpty());
      TestNodes.await(node.sendToPeer(raw.peerId(), "hello", "you"));
      AppMessage message = assertInstanceOf(AppMessage.class, raw.readSkippingPings());
      assertEquals("hello", message.event());
      assertEquals(0, connectedPeer(node, raw.peerId()).orElseThrow().reputation());
      assertTrue(bans.isEmpty(), "a whitelisted peer was banned: " + bans);
    }
  }

  /** A fixed peer (one the node dials and keeps) loses its reputation too, but is never banned for it. */
  @Test
  void aFixedPeerIsNeverBanned(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir);
         ServerSocket listener = RawPeer.listen("127.0.0.1");
         RawPeer raw = new RawPeer()) {
      NodeOptions options = nodes.options(meshOptions -> meshOptions
          .setConnect(List.of(new PeerAddress("127.0.0.1", listener.getLocalPort()))));
      List<JsonObject> bans = nodes.events(options, PeerEvent.BAN_PEER);
      PeerMeshNode node = nodes.startDialing(options, raw, listener);
      awaitListed(node, raw.peerId());
      assertTrue(connectedPeer(node, raw.peerId()).orElseThrow().fixed());

      JsonObject reply = applyPenalty(vertx, node, new JsonObject().put("peerId", raw.peerId()).put("penalty", 150));
      assertEquals(new JsonObject().put("peerId", raw.peerId()).put("reputation", 0).put("banned", false), reply);

      // Still connected, both ways. (The node asks its new outbound peer getPeers: answered on the way.)
      TestNodes.await(node.sendToPeer(raw.peerId(), "hello", "you"));
      AppMessage message = assertInstanceOf(AppMessage.class, raw.readServingGetPeers());
      assertEquals("hello", message.event());
      List<JsonObject> received = nodes.collect(node.addresses().message("still-here"));
      raw.send(new AppMessage("still-here", JsonPayload.of(1)));
      await("the node receives a message from its fixed peer").atMost(Duration.ofSeconds(5))
          .until(() -> !received.isEmpty());
      assertEquals(0, connectedPeer(node, raw.peerId()).orElseThrow().reputation());
      assertTrue(bans.isEmpty(), "a fixed peer was banned: " + bans);
    }
  }

  // ------------------------------------------------------------------------------------------------ honest peers

  /**
   * Two real nodes: one sends 50 messages/s (half the limit of 100/s) for three windows, then applies ten
   * nodeInfos in a row, which it pushes at most four times per window. Neither side penalises the other.
   */
  @Test
  void honestTrafficCostsNothing(Vertx vertx, @TempDir Path dir) throws Exception {
    int interval = 400;
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      NodeOptions optionsA = nodes.options(meshOptions -> meshOptions.setRateCalculationInterval(interval));
      List<JsonObject> penalizedA = nodes.events(optionsA, PeerEvent.PEER_PENALIZED);
      PeerMeshNode a = nodes.start(optionsA);
      NodeOptions optionsB = nodes.options(meshOptions -> meshOptions
          .setRateCalculationInterval(interval)
          .setSeedPeers(List.of(a.listenAddress())));
      List<JsonObject> penalizedB = nodes.events(optionsB, PeerEvent.PEER_PENALIZED);
      PeerMeshNode b = nodes.start(optionsB);
      TestNodes.awaitConnected(a, b);
      TestNodes.awaitConnected(b, a);
      List<JsonObject> updatedOnA = nodes.events(a, PeerEvent.UPDATED_PEER_INFO);
      List<JsonObject> received = nodes.collect(a.addresses().message("steady"));

      // 60 messages at 50/s: one every 20 ms (each timer set by the previous send, so a stalled event loop never
      // catches up in a burst), 20 per 400 ms window where 40 are allowed.
      int total = 60;
      vertx.runOnContext(v -> sendSteadily(vertx, b, a.peerId(), "steady", 0, total));
      await().atMost(TestNodes.DEADLINE).until(() -> received.size() == total);

      for (int i = 0; i < 10; i++) {
        TestNodes.await(b.applyNodeInfo(new JsonObject().put("name", "b").put("v", i)));
      }
      await().atMost(TestNodes.DEADLINE).until(() -> !updatedOnA.isEmpty());

      // The marker: in a later window than the traffic, so that every window of it has been judged by a.
      awaitNextWindow(interval);
      List<JsonObject> markers = nodes.collect(a.addresses().message("marker"));
      TestNodes.await(b.sendToPeer(a.peerId(), "marker", true));
      await().atMost(TestNodes.DEADLINE).until(() -> !markers.isEmpty());
      List<JsonObject> backMarkers = nodes.collect(b.addresses().message("marker-back"));
      TestNodes.await(a.sendToPeer(b.peerId(), "marker-back", true));
      await().atMost(TestNodes.DEADLINE).until(() -> !backMarkers.isEmpty());

      assertEquals(100, connectedPeer(a, b.peerId()).orElseThrow().reputation());
      assertEquals(100, connectedPeer(b, a.peerId()).orElseThrow().reputation());
      assertTrue(penalizedA.isEmpty(), "a penalised b: " + penalizedA);
      assertTrue(penalizedB.isEmpty(), "b penalised a: " + penalizedB);
      assertTrue(updatedOnA.size() <= Penalty.NODE_INFO_PUSHES_PER_WINDOW,
          "b pushed more than " + Penalty.NODE_INFO_PUSHES_PER_WINDOW + " nodeInfos within the window: " + updatedOnA);
    }
  }

  // ------------------------------------------------------------------------------------------------------ helpers

  private static void sendSteadily(Vertx vertx, PeerMeshNode from, String to, String event, int sent, int total) {
    if (sent < total) {
      from.sendToPeer(to, event, sent);
      vertx.setTimer(20, t -> sendSteadily(vertx, from, to, event, sent + 1, total));
    }
  }

  private static List<AppMessage> appMessages(String event, int count) {
    List<AppMessage> messages = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      messages.add(new AppMessage(event, JsonPayload.of(i)));
    }
    return messages;
  }

  private static NodeInfoUpdate nodeInfoUpdate(int version) {
    return new NodeInfoUpdate(JsonPayload.of(new JsonObject().put("name", "raw").put("v", version)));
  }

  /** An AppMessage body with a valid event name and data that is not JSON. */

  /** Sends an AppMessage and waits until the node has delivered it: every frame before it has been processed. */
  private static void sendMarker(TestNodes nodes, PeerMeshNode node, RawPeer raw, String event) {
    List<JsonObject> got = nodes.collect(node.addresses().message(event));
    raw.send(new AppMessage(event, JsonPayload.of(true)));
    await().atMost(TestNodes.DEADLINE).until(() -> !got.isEmpty());
  }

  /**
   * Waits until the clock is in a later rateCalculationInterval window than now. The node aligns its windows on
   * {@link System#nanoTime()} of this same JVM, so a frame sent after this is judged in a later window than
   * every frame the node processed before the call.
   */
  private static void awaitNextWindow(int intervalMs) {
    long windowNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
    long window = System.nanoTime() / windowNanos;
    await().atMost(TestNodes.DEADLINE).pollInterval(Duration.ofMillis(5))
        .until(() -> System.nanoTime() / windowNanos > window);
  }

  private static JsonObject applyPenalty(Vertx vertx, PeerMeshNode node, Object body) {
    return (JsonObject) TestNodes.await(vertx.eventBus().request(node.addresses().applyPenalty(), body)).body();
  }

  private static int applyPenaltyFailure(Vertx vertx, PeerMeshNode node, Object body) {
    Throwable failure = TestNodes.awaitFailure(vertx.eventBus().request(node.addresses().applyPenalty(), body));
    return assertInstanceOf(ReplyException.class, failure).failureCode();
  }

  /** The peer's current score, asked with a penalty of 0 (the event it publishes has penalty 0). */
  private static int reputationOf(Vertx vertx, PeerMeshNode node, String peerId) {
    JsonObject reply = applyPenalty(vertx, node, new JsonObject().put("peerId", peerId).put("penalty", 0)
        .put("reason", "reading the score"));
    assertFalse(reply.getBoolean("banned"));
    return reply.getInteger("reputation");
  }

  private static List<JsonObject> nonZero(List<JsonObject> penalized, String peerId) {
    return penalized.stream().filter(e -> peerId.equals(e.getString("peerId")) && e.getInteger("penalty") > 0)
        .toList();
  }

  private static List<JsonObject> awaitPenalties(List<JsonObject> penalized, String peerId, int count) {
    await().atMost(TestNodes.DEADLINE).until(() -> nonZero(penalized, peerId).size() >= count);
    return nonZero(penalized, peerId);
  }

  /** Waits until the peer's non-zero penalties add up to {@code total}, and returns them. */
  private static List<JsonObject> awaitPenaltiesSumming(List<JsonObject> penalized, String peerId, int total) {
    await().atMost(TestNodes.DEADLINE).until(() -> nonZero(penalized, peerId).stream()
        .mapToInt(e -> e.getInteger("penalty")).sum() == total);
    return nonZero(penalized, peerId);
  }

  private static long count(List<JsonObject> events, String peerId) {
    return events.stream().filter(aboutPeer(peerId)).count();
  }

}
