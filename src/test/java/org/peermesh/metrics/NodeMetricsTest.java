package org.peermesh.metrics;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bitcoin.peer.BitcoinProtocol;
import org.peermesh.bus.BridgeOptions;
import org.peermesh.bus.BusAddresses;
import org.peermesh.http.HttpOptions;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.RawSocket;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics} of running nodes, over HTTP on 127.0.0.1: what the peer layer counts for real peers on real
 * sockets, read back as Prometheus reads it.
 */
class NodeMetricsTest {

  private static final String MESH = BusAddresses.MESH;

  private Vertx vertx;
  private TestNodes nodes;
  private Path dir;

  @BeforeEach
  void setUp(@TempDir Path dir) {
    this.dir = dir;
    vertx = Vertx.vertx();
    nodes = new TestNodes(vertx, dir.resolve("nodes"));
  }

  @AfterEach
  void tearDown() {
    nodes.close();
    TestNodes.await(vertx.close());
  }

  private NodeOptions withMetrics(NodeOptions options) {
    return options.setHttp(new HttpOptions().setPort(0));
  }

  /** Waits until {@code name} with {@code labels} reads {@code expected} at {@code node}'s /metrics. */
  private static void awaitValue(PeerMeshNode node, double expected, String name, String... labels) {
    await().atMost(TestNodes.DEADLINE).until(() -> Scrape.now(node.httpAddress()).value(name, labels) == expected);
  }

  @Test
  void peersHandshakesMessagesAndBytesAreCountedByDirectionAndType() {
    PeerMeshNode a = nodes.start(withMetrics(nodes.options()));
    NodeOptions bOptions = withMetrics(nodes.options());
    bOptions.getMesh().setSeedPeers(List.of(a.listenAddress()));
    PeerMeshNode b = nodes.start(bOptions);
    TestNodes.awaitConnected(a, b);
    TestNodes.awaitConnected(b, a);

    awaitValue(a, 1, "peermesh_peers", "protocol", MESH, "direction", "inbound", "state", "connected");
    awaitValue(b, 1, "peermesh_peers", "protocol", MESH, "direction", "outbound", "state", "connected");
    Scrape atA = Scrape.now(a.httpAddress());
    assertTrue(atA.contentType().startsWith("text/plain; version=0.0.4"), atA.contentType());
    assertEquals(0, atA.value("peermesh_peers", "direction", "outbound"));
    assertEquals(0, atA.value("peermesh_peers", "state", "handshaking"));
    assertEquals(1, atA.value("peermesh_handshakes_total", "protocol", MESH, "direction", "inbound", "outcome", "ok"));
    assertEquals(0, atA.value("peermesh_handshakes_total", "outcome", "refused"));
    // The handshake's own messages, by the mesh's wire names: a dialed node reads a Hello and an Auth.
    assertEquals(1, atA.value("peermesh_messages_received_total", "protocol", MESH, "type", "Hello"));
    assertEquals(1, atA.value("peermesh_messages_received_total", "protocol", MESH, "type", "Auth"));

    String event = "chat";
    int sends = 5;
    for (int i = 0; i < sends; i++) {
      TestNodes.await(b.sendToPeer(a.peerId(), event, "hello " + i));
    }
    long frame = new AppMessage(event, JsonPayload.of("hello 0")).frameLength() + Integer.BYTES;
    awaitValue(a, sends, "peermesh_messages_received_total", "protocol", MESH, "type", "AppMessage");
    Scrape received = Scrape.now(a.httpAddress());
    Scrape sent = Scrape.now(b.httpAddress());
    assertEquals(sends, sent.value("peermesh_messages_sent_total", "protocol", MESH, "type", "AppMessage"));
    // Both ends count a message as it travels, length prefix included: what one sent, the other received.
    assertEquals(sends * frame, received.value("peermesh_received_bytes_total", "protocol", MESH, "type", "AppMessage"));
    assertEquals(sends * frame, sent.value("peermesh_sent_bytes_total", "protocol", MESH, "type", "AppMessage"));
    assertEquals(received.value("peermesh_received_bytes_total", "type", "Hello"),
        sent.value("peermesh_sent_bytes_total", "type", "Hello"));
    // No peer chooses a label: the event's name is nowhere.
    assertFalse(received.text().contains(event), "an event name in /metrics");
  }

  @Test
  void requestsAreTimedInAHistogramEachWayByOutcome() {
    PeerMeshNode a = nodes.start(withMetrics(nodes.options()));
    PeerMeshNode b = nodes.startConnectedTo(a);
    vertx.eventBus().consumer(b.addresses().rpc("answer"), request -> request.reply(new JsonObject().put("ok", true)));
    vertx.eventBus().consumer(b.addresses().rpc("refuse"), request -> request.fail(418, "no"));
    vertx.eventBus().consumer(a.addresses().rpc("served"), request -> request.reply("served"));

    TestNodes.await(a.requestFromPeer(b.peerId(), "answer", new JsonObject()));
    TestNodes.awaitFailure(a.requestFromPeer(b.peerId(), "refuse", new JsonObject()));
    TestNodes.await(b.requestFromPeer(a.peerId(), "served", new JsonObject()));

    awaitValue(a, 1, "peermesh_request_duration_seconds_count", "protocol", MESH, "direction", "inbound",
        "outcome", "ok");
    Scrape scrape = Scrape.now(a.httpAddress());
    assertEquals(1, scrape.value("peermesh_request_duration_seconds_count", "protocol", MESH, "direction", "outbound",
        "outcome", "ok"));
    assertEquals(1, scrape.value("peermesh_request_duration_seconds_count", "direction", "outbound",
        "outcome", "failed"));
    assertEquals("histogram", scrape.families().get("peermesh_request_duration_seconds"));
    List<Scrape.Sample> buckets = scrape.named("peermesh_request_duration_seconds_bucket").stream()
        .filter(sample -> sample.labels().get("direction").equals("outbound")
            && sample.labels().get("outcome").equals("ok")).toList();
    assertEquals(18, buckets.size(), "17 bounds and +Inf: " + buckets);
    assertEquals(1, buckets.get(buckets.size() - 1).value(), "the +Inf bucket holds the one request");
    assertTrue(scrape.value("peermesh_request_duration_seconds_sum", "direction", "outbound", "outcome", "ok") > 0);
  }

  @Test
  void aRefusedHandshakeAPenaltyABanAndDisconnectsAreCountedByReason() {
    PeerMeshNode a = nodes.start(withMetrics(nodes.options()));

    // A node of another network dials: refused by a's handshake, for what it is.
    PeerMeshNode stranger = nodes.start(nodes.options(mesh -> mesh.setNetworkId("another-network")
        .setSeedPeers(List.of(a.listenAddress()))));
    awaitValue(a, 1, "peermesh_handshakes_refused_total", "protocol", MESH, "direction", "inbound",
        "reason", "incompatible_network");
    TestNodes.await(stranger.stop());
    Scrape refused = Scrape.now(a.httpAddress());
    // Once, or again if it redialed before it stopped: each refusal is counted, and each was a disconnect.
    double refusals = refused.value("peermesh_handshakes_refused_total", "reason", "incompatible_network");
    assertEquals(refusals, refused.value("peermesh_handshakes_total", "direction", "inbound", "outcome", "refused"));
    assertEquals(refusals, refused.value("peermesh_disconnects_total", "direction", "inbound",
        "reason", "incompatible_network"));

    // A peer that leaves says why: a's count has its reason.
    PeerMeshNode leaving = nodes.startConnectedTo(a);
    TestNodes.await(leaving.stop());
    awaitValue(a, 1, "peermesh_disconnects_total", "protocol", MESH, "direction", "inbound",
        "reason", "node_shutdown");

    PeerMeshNode b = nodes.startConnectedTo(a);
    penalize(a, b, 10);
    awaitValue(a, 1, "peermesh_penalties_total", "protocol", MESH);
    assertEquals(0, Scrape.now(a.httpAddress()).value("peermesh_bans_total", "protocol", MESH));
    penalize(a, b, 100);
    awaitValue(a, 1, "peermesh_bans_total", "protocol", MESH);
    awaitValue(a, 1, "peermesh_disconnects_total", "protocol", MESH, "direction", "inbound", "reason", "banned");
    Scrape banned = Scrape.now(a.httpAddress());
    assertEquals(2, banned.value("peermesh_penalties_total", "protocol", MESH));
    assertEquals(0, banned.value("peermesh_peers", "protocol", MESH, "state", "connected"));
  }

  private void penalize(PeerMeshNode node, PeerMeshNode peer, int penalty) {
    TestNodes.await(vertx.eventBus().request(node.addresses().applyPenalty(),
        new JsonObject().put("peerId", peer.peerId()).put("penalty", penalty).put("reason", "test")));
  }

  /** Bitcoin's messages by command: a version and a verack each way, as many bytes at both ends. */
  @Test
  void bitcoinMessagesAreCountedByCommand() {
    NodeOptions listening = new NodeOptions(new JsonObject()
        .put("dataDir", dir.resolve("x").toString()).put("busPrefix", "x").put("mesh", false)
        .put("http", new JsonObject().put("port", 0))
        .put(BitcoinProtocol.NAME, new JsonObject().put("network", "regtest")
            .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", 0))));
    PeerMeshNode x = nodes.start(listening);
    PeerAddress xListens = x.listenAddress(BitcoinProtocol.NAME);
    NodeOptions dialing = new NodeOptions(new JsonObject()
        .put("dataDir", dir.resolve("y").toString()).put("busPrefix", "y").put("mesh", false)
        .put("http", new JsonObject().put("port", 0))
        .put(BitcoinProtocol.NAME, new JsonObject().put("network", "regtest")
            .put("connect", List.of(xListens.toJson()))));
    PeerMeshNode y = nodes.start(dialing);

    awaitValue(x, 1, "peermesh_peers", "protocol", BitcoinProtocol.NAME, "direction", "inbound",
        "state", "connected");
    awaitValue(y, 1, "peermesh_handshakes_total", "protocol", BitcoinProtocol.NAME, "direction", "outbound",
        "outcome", "ok");
    Scrape atX = Scrape.now(x.httpAddress());
    Scrape atY = Scrape.now(y.httpAddress());
    for (String command : List.of("version", "verack")) {
      assertEquals(1, atX.value("peermesh_messages_received_total", "protocol", BitcoinProtocol.NAME,
          "type", command), command);
      assertEquals(1, atY.value("peermesh_messages_sent_total", "protocol", BitcoinProtocol.NAME, "type", command),
          command);
      double bytes = atX.value("peermesh_received_bytes_total", "type", command);
      assertEquals(atY.value("peermesh_sent_bytes_total", "type", command), bytes, command);
      assertTrue(bytes >= 24, command + ": a header of 24 bytes at least, not " + bytes);
    }
  }

  /**
   * On a Vert.x created with Micrometer's metrics, /metrics carries Vert.x's own figures too, the event bus's without
   * its addresses; the node's leave the registry with it. A second node on that Vert.x keeps a registry of its own.
   */
  @Test
  void onAVertxWithMetricsTheScrapeCarriesVertxsFiguresAndTheNodesLeaveWithIt() {
    Vertx measured = Vertx.vertx(new VertxOptions().setMetricsOptions(VertxMetrics.options()));
    TestNodes onMeasured = new TestNodes(measured, dir.resolve("measured"));
    try {
      PeerMeshNode first = onMeasured.start(withMetrics(onMeasured.options()));
      PeerMeshNode second = onMeasured.start(withMetrics(onMeasured.options()));
      onMeasured.startConnectedTo(first);

      Scrape shared = Scrape.now(first.httpAddress());
      assertFalse(shared.familiesStartingWith("vertx_eventbus_").isEmpty(), shared.families().keySet().toString());
      assertFalse(shared.familiesStartingWith("jvm_").isEmpty(), shared.families().keySet().toString());
      assertEquals(1, shared.value("peermesh_peers", "protocol", MESH, "direction", "inbound", "state", "connected"));
      assertTrue(shared.samples().stream().filter(sample -> sample.name().startsWith("vertx_eventbus_"))
          .noneMatch(sample -> sample.labels().containsKey("address")), "per-address event-bus series");
      Scrape own = Scrape.now(second.httpAddress());
      assertTrue(own.familiesStartingWith("vertx_").isEmpty(), own.families().keySet().toString());
      assertNotEquals(0, own.familiesStartingWith("peermesh_").size());

      TestNodes.await(first.stop());
      assertTrue(BackendRegistries.getDefaultNow().getMeters().stream()
          .noneMatch(meter -> meter.getId().getName().startsWith("peermesh.")), "the node's meters outlived it");
    } finally {
      onMeasured.close();
      TestNodes.await(measured.close());
    }
  }

  /** The TCP bridge's clients and a node without an http section, which keeps no metrics. */
  @Test
  void theBridgesClientsAreCountedAndANodeWithoutHttpServesNone() {
    NodeOptions options = withMetrics(nodes.options());
    int bridgePort = TestNodes.freePort();
    options.setBridge(new BridgeOptions().setPort(bridgePort));
    PeerMeshNode node = nodes.start(options);
    Scrape before = Scrape.now(node.httpAddress());
    assertEquals("gauge", before.families().get("peermesh_bridge_connections"));
    assertEquals(0, before.value("peermesh_bridge_connections"));
    assertEquals("counter", before.families().get("peermesh_bridge_deliveries_dropped_total"));
    try (RawSocket client = new RawSocket(new PeerAddress("127.0.0.1", bridgePort), "127.0.0.1", 10_000)) {
      awaitValue(node, 1, "peermesh_bridge_connections");
    }
    awaitValue(node, 0, "peermesh_bridge_connections");

    PeerMeshNode without = nodes.start();
    assertNull(without.httpAddress());
  }
}
