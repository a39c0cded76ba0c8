package org.peermesh.node;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.Failure;
import org.peermesh.bus.PeerEvent;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One hub with 30 connected peers: send-to-16, broadcast, request/response, applyNodeInfo. */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessagingTest {

  private static final int PEERS = 30;

  private Vertx vertx;
  private TestNodes nodes;
  private PeerMeshNode hub;
  private final List<PeerMeshNode> peers = new ArrayList<>();
  /** For each peer id, how many messages of each event it received from the hub. */
  private final Map<String, Map<String, AtomicInteger>> received = new ConcurrentHashMap<>();

  @BeforeAll
  void startMesh(@TempDir Path dir) {
    vertx = Vertx.vertx();
    nodes = new TestNodes(vertx, dir);
    hub = nodes.start(nodes.options(mesh -> mesh.setMaxInbound(PEERS + 5)));
    for (int i = 0; i < PEERS; i++) {
      PeerMeshNode peer = nodes.startConnectedTo(hub);
      peers.add(peer);
      Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
      received.put(peer.peerId(), counts);
      for (String event : List.of("sixteen", "everyone", "marker")) {
        vertx.eventBus().<JsonObject>consumer(peer.addresses().message(event), m -> {
          assertEquals(hub.peerId(), m.body().getString("peerId"));
          counts.computeIfAbsent(event, e -> new AtomicInteger()).incrementAndGet();
        });
      }
      vertx.eventBus().<JsonObject>consumer(peer.addresses().rpc("whoami"), m -> m.reply(peer.peerId()));
    }
    await().atMost(TestNodes.DEADLINE).until(() -> TestNodes.await(hub.getConnectedPeers()).size() == PEERS);
  }

  @AfterAll
  void stopMesh() {
    nodes.close();
    TestNodes.await(vertx.close());
  }

  private int receivers(String event) {
    return (int) received.values().stream().filter(c -> c.containsKey(event)).count();
  }

  private int copies(String event) {
    return received.values().stream().mapToInt(c -> c.getOrDefault(event, new AtomicInteger()).get()).sum();
  }

  /** A broadcast sent after the messages under test: once every peer has it, nothing sent earlier is in flight. */
  private void drain() {
    int before = copies("marker");
    TestNodes.await(hub.broadcast("marker", null));
    await().atMost(TestNodes.DEADLINE).until(() -> copies("marker") == before + PEERS);
  }

  @Test
  void sendReachesExactlySixteenDistinctPeers() {
    List<String> chosen = TestNodes.await(hub.send("sixteen", new JsonObject().put("n", 1)));
    drain();
    assertEquals(16, new HashSet<>(chosen).size());
    assertEquals(16, receivers("sixteen"));
    assertEquals(16, copies("sixteen"));
    for (String peerId : chosen) {
      assertEquals(1, received.get(peerId).get("sixteen").get(), "peer " + peerId + " got the message once");
    }
  }

  @Test
  void broadcastReachesEveryPeerOnce() {
    List<String> reached = TestNodes.await(hub.broadcast("everyone", new JsonObject().put("hello", "all")));
    assertEquals(PEERS, new HashSet<>(reached).size());
    await().atMost(TestNodes.DEADLINE).until(() -> receivers("everyone") == PEERS);
    drain();
    assertEquals(PEERS, copies("everyone"));
  }

  @Test
  void requestIsAnsweredByOnePeer() {
    Set<String> ids = new HashSet<>(received.keySet());
    Object answer = TestNodes.await(hub.request("whoami", null));
    assertTrue(ids.contains((String) answer), "answered by a connected peer: " + answer);
  }

  @Test
  void requestFromPeerIsAnsweredByThatPeer() {
    for (PeerMeshNode peer : List.of(peers.get(0), peers.get(17), peers.get(29))) {
      assertEquals(peer.peerId(), TestNodes.await(hub.requestFromPeer(peer.peerId(), "whoami", null)));
    }
  }

  @Test
  void requestWithoutServingConsumerFailsWithNoHandler() {
    Throwable failure = TestNodes.awaitFailure(hub.requestFromPeer(peers.get(3).peerId(), "nobodyServesThis", 1));
    ReplyException reply = assertInstanceOf(ReplyException.class, failure);
    assertEquals(Failure.NO_HANDLER.code(), reply.failureCode());
    assertTrue(reply.getMessage().contains("nobodyServesThis"), reply.getMessage());
  }

  @Test
  void requestToUnknownPeerFails() {
    Throwable failure = TestNodes.awaitFailure(hub.requestFromPeer("00".repeat(20), "whoami", null));
    assertEquals(Failure.UNKNOWN_PEER.code(), assertInstanceOf(ReplyException.class, failure).failureCode());
  }

  @Test
  void applyNodeInfoReachesEveryPeer() {
    List<JsonObject> updates = nodes.events(peers.get(5), PeerEvent.UPDATED_PEER_INFO);
    JsonObject newInfo = new JsonObject().put("name", "hub").put("height", 42);
    TestNodes.await(hub.applyNodeInfo(newInfo));
    assertEquals(newInfo, hub.nodeInfo());
    for (PeerMeshNode peer : peers) {
      await().atMost(TestNodes.DEADLINE).until(() -> TestNodes.await(peer.getConnectedPeers()).stream()
          .anyMatch(p -> p.peerId().equals(hub.peerId()) && newInfo.equals(p.nodeInfo())));
    }
    await().atMost(TestNodes.DEADLINE).until(() -> !updates.isEmpty());
    assertEquals(hub.peerId(), updates.get(0).getString("peerId"));
    assertEquals(42, updates.get(0).getJsonObject("nodeInfo").getInteger("height"));
  }
}
