package org.peermesh.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.PeerEvent;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.PeerInfo;
import org.peermesh.testing.RawPeer;
import org.peermesh.testing.TestCluster;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.TestNodes.DEADLINE;

/**
 * One node clustered over three members in this JVM, with ten remote nodes connected to each member: the event-bus
 * contract is the same as a node in one JVM, served over the peers of all members from any member.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

  private static final int MEMBERS = 3;
  private static final int PER_MEMBER = 10;
  private static final int PEERS = MEMBERS * PER_MEMBER;

  private TestCluster cluster;
  private final List<PeerMeshNode> members = new ArrayList<>();
  private Vertx vertx;
  private TestNodes remotes;
  /** The remote nodes, by the member each is connected to. */
  private final Map<PeerMeshNode, List<PeerMeshNode>> remotesOf = new LinkedHashMap<>();
  private final Map<String, Map<String, AtomicInteger>> received = new ConcurrentHashMap<>();
  private Vertx service;

  @BeforeAll
  void startCluster(@TempDir Path dir) {
    cluster = new TestCluster(dir.resolve("cluster"), MEMBERS);
    for (int i = 0; i < MEMBERS; i++) {
      members.add(cluster.startMember(cluster.memberOptions(mesh -> mesh.setMaxOutbound(0))));
    }
    vertx = Vertx.vertx();
    remotes = new TestNodes(vertx, dir.resolve("remotes"));
    for (PeerMeshNode member : members) {
      List<PeerMeshNode> connected = new ArrayList<>();
      for (int j = 0; j < PER_MEMBER; j++) {
        PeerMeshNode remote = remotes.start(remotes.options(mesh -> mesh
            .setMaxOutbound(0)
            .setConnect(List.of(member.listenAddress()))));
        connected.add(remote);
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        received.put(remote.peerId(), counts);
        for (String event : List.of("news", "sixteen", "direct")) {
          vertx.eventBus().<JsonObject>consumer(remote.addresses().message(event),
              m -> counts.computeIfAbsent(event, e -> new AtomicInteger()).incrementAndGet());
        }
        vertx.eventBus().<JsonObject>consumer(remote.addresses().rpc("whoami"),
            request -> request.reply(new JsonObject().put("peerId", remote.peerId())));
      }
      remotesOf.put(member, connected);
    }
    for (PeerMeshNode member : members) {
      await().atMost(DEADLINE).until(() -> TestNodes.await(member.getConnectedPeers()).size() == PEERS);
    }
    service = cluster.join(new ClusterOptions());
  }

  @AfterAll
  void stop() {
    remotes.close();
    cluster.close();
    TestNodes.await(vertx.close());
  }

  private List<PeerMeshNode> allRemotes() {
    return remotesOf.values().stream().flatMap(List::stream).toList();
  }

  private int count(PeerMeshNode remote, String event) {
    AtomicInteger n = received.get(remote.peerId()).get(event);
    return n == null ? 0 : n.get();
  }

  @Test
  @Order(1)
  void everyMemberRoutesOverThePeersOfAllMembersAndEachPeerHasOneConnection() {
    String nodeId = members.get(0).peerId();
    for (PeerMeshNode member : members) {
      assertEquals(nodeId, member.peerId(), "the members share one identity");
      Set<String> listed = new HashSet<>();
      TestNodes.await(member.getConnectedPeers()).forEach(p -> listed.add(p.peerId()));
      assertEquals(allRemotes().stream().map(PeerMeshNode::peerId).collect(java.util.stream.Collectors.toSet()),
          listed);
    }
    remotesOf.forEach((member, connected) -> {
      for (PeerMeshNode remote : connected) {
        List<PeerInfo> peers = TestNodes.await(remote.getConnectedPeers());
        assertEquals(1, peers.size(), "one connection to the clustered node");
        assertEquals(nodeId, peers.get(0).peerId());
        assertEquals(member.listenAddress().port(), peers.get(0).port(), "held by the member it dialed");
      }
    });
  }

  @Test
  @Order(2)
  void broadcastIssuedOnOneMemberReachesThePeersOfEveryMemberOnce() {
    PeerMeshNode issuer = members.get(2);
    for (int wave = 1; wave <= 2; wave++) {
      List<String> reached = TestNodes.await(issuer.broadcast("news", new JsonObject().put("wave", wave)));
      assertEquals(PEERS, new HashSet<>(reached).size());
      int expected = wave;
      await().atMost(DEADLINE).until(() -> allRemotes().stream().allMatch(r -> count(r, "news") >= expected));
    }
    for (PeerMeshNode remote : remotesOf.get(members.get(0))) {
      assertEquals(2, count(remote, "news"), "a peer of another member got each broadcast once");
    }
  }

  @Test
  @Order(3)
  void sendToSixteenSelectsAmongThePeersOfAllMembers() {
    List<String> chosen = TestNodes.await(members.get(1).send("sixteen", new JsonObject().put("n", 1)));
    Set<String> distinct = new HashSet<>(chosen);
    assertEquals(16, distinct.size());
    await().atMost(DEADLINE).until(() -> allRemotes().stream().filter(r -> count(r, "sixteen") > 0).count() == 16);
    for (PeerMeshNode remote : allRemotes()) {
      assertEquals(distinct.contains(remote.peerId()) ? 1 : 0, count(remote, "sixteen"), remote.peerId());
    }
  }

  @Test
  @Order(4)
  void requestFromPeerReachesAPeerHeldByAnotherMember() {
    for (int i = 0; i < MEMBERS; i++) {
      PeerMeshNode issuer = members.get(i);
      for (PeerMeshNode remote : remotesOf.get(members.get((i + 1) % MEMBERS))) {
        Object answer = TestNodes.await(issuer.requestFromPeer(remote.peerId(), "whoami", new JsonObject()));
        assertEquals(remote.peerId(), ((JsonObject) answer).getString("peerId"));
      }
    }
    Object anyone = TestNodes.await(members.get(0).request("whoami", new JsonObject()));
    assertTrue(received.containsKey(((JsonObject) anyone).getString("peerId")));
  }

  @Test
  @Order(5)
  void aServiceJvmWithoutANodeReceivesEventsAndIssuesCommands() {
    BusAddresses addresses = new BusAddresses(TestCluster.PREFIX);
    List<JsonObject> messages = new CopyOnWriteArrayList<>();
    TestNodes.await(service.eventBus().<JsonObject>consumer(addresses.event(PeerEvent.MESSAGE_RECEIVED),
        m -> messages.add(m.body())).completion());
    PeerMeshNode sender = remotesOf.get(members.get(1)).get(3);
    TestNodes.await(sender.send("hello", new JsonObject().put("from", "remote")));
    await().atMost(DEADLINE).until(() -> messages.stream().anyMatch(m -> sender.peerId().equals(m.getString("peerId"))
        && "hello".equals(m.getString("event")) && "remote".equals(m.getJsonObject("data").getString("from"))));

    JsonObject peers = TestNodes.await(service.eventBus().<JsonObject>request(addresses.peers(), new JsonObject()))
        .body();
    assertEquals(PEERS, peers.getJsonArray("connected").size());
    PeerMeshNode target = remotesOf.get(members.get(2)).get(5);
    JsonObject sent = TestNodes.await(service.eventBus().<JsonObject>request(addresses.sendToPeer(), new JsonObject()
        .put("peerId", target.peerId()).put("event", "direct").put("data", new JsonObject().put("n", 1)))).body();
    assertEquals(target.peerId(), sent.getJsonArray("peerIds").getString(0));
    await().atMost(DEADLINE).until(() -> count(target, "direct") == 1);
  }

  @Test
  @Order(6)
  void applyNodeInfoOnOneMemberReachesThePeersOfEveryMember() {
    JsonObject nodeInfo = new JsonObject().put("name", "clustered").put("height", 42);
    TestNodes.await(members.get(0).applyNodeInfo(nodeInfo));
    for (PeerMeshNode member : members) {
      await().atMost(DEADLINE).until(() -> member.nodeInfo().equals(nodeInfo));
    }
    await().atMost(DEADLINE).until(() -> allRemotes().stream().allMatch(r -> TestNodes.await(r.getConnectedPeers())
        .stream().allMatch(p -> nodeInfo.equals(p.nodeInfo()))));
  }

  @Test
  @Order(7)
  void applyPenaltyIsAppliedByTheMemberHoldingThePeer() {
    PeerMeshNode target = remotesOf.get(members.get(1)).get(0);
    JsonObject outcome = TestNodes.await(service.eventBus().<JsonObject>request(
        new BusAddresses(TestCluster.PREFIX).applyPenalty(),
        new JsonObject().put("peerId", target.peerId()).put("penalty", 10).put("reason", "invalid block"))).body();
    assertEquals(90, outcome.getInteger("reputation"));
    await().atMost(DEADLINE).until(() -> TestNodes.await(members.get(2).getConnectedPeers()).stream()
        .anyMatch(p -> p.peerId().equals(target.peerId()) && p.reputation() == 90));
  }

  @Test
  @Order(8)
  void aPeerBannedByOneMemberIsRefusedByTheOthers() {
    PeerMeshNode offender = remotes.start(remotes.options(mesh -> mesh
        .setMaxOutbound(0)
        .setConnect(List.of(members.get(1).listenAddress()))));
    await().atMost(DEADLINE).until(() -> TestNodes.await(members.get(0).getConnectedPeers()).stream()
        .anyMatch(p -> p.peerId().equals(offender.peerId())));
    JsonObject outcome = TestNodes.await(service.eventBus().<JsonObject>request(
        new BusAddresses(TestCluster.PREFIX).applyPenalty(),
        new JsonObject().put("peerId", offender.peerId()).put("penalty", 100).put("reason", "forged blocks"))).body();
    assertTrue(outcome.getBoolean("banned"));
    NodeOptions again = TestNodes.withMesh(offender.config(), mesh -> mesh
        .setConnect(List.of(members.get(0).listenAddress())));
    TestNodes.await(offender.stop());

    // Refused once it proved itself: the offender may have admitted the member's side by then, so either event.
    List<JsonObject> aborted = remotes.events(again, PeerEvent.CONNECT_ABORT_OUTBOUND);
    List<JsonObject> closed = remotes.events(again, PeerEvent.CLOSE_OUTBOUND);
    remotes.start(again);
    await().atMost(DEADLINE).until(() -> !aborted.isEmpty() || !closed.isEmpty());
    JsonObject refusal = aborted.isEmpty() ? closed.get(0) : aborted.get(0);
    assertEquals(DisconnectReason.BANNED.code(), refusal.getInteger("code"), refusal.encode());
  }

  /**
   * A broadcaster on one member that waits for its replies goes at the pace of a peer another member holds, as it
   * does for its own: while that peer reads nothing, the reply that finds it backed up waits (ackTimeout) and names
   * it; the sender stops there with the peer still connected, and once the peer reads it has every message, in order.
   */
  @Test
  @Order(9)
  void aBroadcasterWaitsForABackedUpPeerThatAnotherMemberHolds() throws Exception {
    PeerMeshNode holder = members.get(0);
    PeerMeshNode broadcaster = members.get(1);
    BusAddresses addresses = broadcaster.addresses();
    List<JsonObject> closes = new CopyOnWriteArrayList<>();
    TestNodes.await(service.eventBus().<JsonObject>consumer(addresses.event(PeerEvent.CLOSE_INBOUND),
        m -> closes.add(m.body())).completion());
    try (RawPeer raw = new RawPeer().receiveBufferSize(4096)) {
      raw.connect(holder.listenAddress()).handshake(TestNodes.NETWORK);
      await().atMost(DEADLINE).until(() -> TestNodes.await(broadcaster.getConnectedPeers()).stream()
          .anyMatch(peer -> peer.peerId().equals(raw.peerId())));

      String payload = "x".repeat(4096);
      JsonObject reply = new JsonObject();
      int sent = 0;
      while (!reply.getJsonArray("backedUp", new JsonArray()).contains(raw.peerId())) {
        assertTrue(sent < 50_000, "no reply waited for the backed-up peer in " + sent + " broadcasts");
        sent++;
        reply = TestNodes.await(cluster.vertxOf(broadcaster).eventBus().<JsonObject>request(
            addresses.local(addresses.broadcast()), new JsonObject().put("event", "paced").put("data", payload + sent)))
            .body();
        assertTrue(reply.getJsonArray("peerIds").contains(raw.peerId()), reply.encode());
      }

      assertEquals(List.of(), closes.stream().filter(e -> raw.peerId().equals(e.getString("peerId"))).toList());
      for (int number = 1; number <= sent; number++) {
        AppMessage message = assertInstanceOf(AppMessage.class, raw.readSkippingPings());
        assertEquals(payload + number, message.data().value(), "message " + number + " of " + sent);
      }
    }
    await().atMost(DEADLINE).until(() -> TestNodes.await(holder.getConnectedPeers()).size() == PEERS);
  }

  @Test
  @Order(10)
  void aMemberThatStopsClosesAndRemovesItsPeersAtOnce() {
    BusAddresses addresses = new BusAddresses(TestCluster.PREFIX);
    List<JsonObject> removed = new CopyOnWriteArrayList<>();
    List<JsonObject> closed = new CopyOnWriteArrayList<>();
    TestNodes.await(service.eventBus().<JsonObject>consumer(addresses.event(PeerEvent.REMOVE_PEER),
        m -> removed.add(m.body())).completion());
    TestNodes.await(service.eventBus().<JsonObject>consumer(addresses.event(PeerEvent.CLOSE_INBOUND),
        m -> closed.add(m.body())).completion());
    List<JsonObject> farewells = new CopyOnWriteArrayList<>();
    TestNodes.await(service.eventBus().<JsonObject>consumer(addresses.clusterDirectory(), m -> {
      if (m.body().getBoolean("leaving", false)) {
        farewells.add(m.body());
      }
    }).completion());
    PeerMeshNode leaving = members.get(2);
    Set<String> itsPeers = new HashSet<>(remotesOf.get(leaving).stream().map(PeerMeshNode::peerId).toList());
    TestNodes.await(leaving.stop());

    await().atMost(DEADLINE).until(() -> removed.stream().map(e -> e.getString("peerId")).toList()
        .containsAll(itsPeers));
    assertTrue(closed.stream().map(e -> e.getString("peerId")).toList().containsAll(itsPeers));
    for (PeerMeshNode member : members.subList(0, 2)) {
      await().atMost(DEADLINE).until(() -> TestNodes.await(member.getConnectedPeers()).size() == PEERS - PER_MEMBER);
      TestNodes.await(member.getConnectedPeers()).forEach(p -> assertTrue(!itsPeers.contains(p.peerId())));
    }
    assertNotEquals(0, removed.size());

    // It said goodbye, so that the others, once it leaves the cluster, log that it left rather than that it was lost.
    await().atMost(DEADLINE).until(() -> !farewells.isEmpty());
    assertEquals(1, farewells.size(), farewells.toString());
    assertEquals(((VertxInternal) cluster.vertxOf(leaving)).clusterManager().getNodeId(),
        farewells.get(0).getString("member"));
    assertEquals(new JsonArray(), farewells.get(0).getJsonArray("peers"));
  }
}
