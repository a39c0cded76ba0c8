package org.peermesh.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.bitcoin.peer.BitcoinOptions;
import org.peermesh.bitcoin.peer.BitcoinProtocol;
import org.peermesh.bus.BusAddresses;
import org.peermesh.config.ConfigException;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestNodes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mesh view on a running node, over HTTP and its SockJS bridge on 127.0.0.1: the page and its libraries served
 * by the node, the snapshots and state changes a client of the bridge gets, and what the bridge refuses.
 */
@ExtendWith(VertxExtension.class)
class MeshViewTest {

  private TestNodes nodes;
  private HttpClient client;
  private Vertx vertx;
  private final List<ViewBridgeClient> clients = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) {
    this.vertx = vertx;
    nodes = new TestNodes(vertx, dir);
    client = HttpClient.newHttpClient();
  }

  @AfterEach
  void tearDown() {
    clients.forEach(ViewBridgeClient::close);
    nodes.close();
  }

  private PeerMeshNode startWithView() {
    return nodes.start(nodes.options().setHttp(new HttpOptions().setPort(0)));
  }

  private ViewBridgeClient connect(PeerMeshNode node, String origin) {
    ViewBridgeClient bridge = ViewBridgeClient.connect(vertx, node.httpAddress(), origin);
    clients.add(bridge);
    return bridge;
  }

  /** A client as the node's own page, registered on the snapshots. */
  private ViewBridgeClient watch(PeerMeshNode node) {
    ViewBridgeClient bridge = connect(node, ViewBridgeClient.originOf(node.httpAddress()));
    bridge.register(node.addresses().viewSnapshot());
    return bridge;
  }

  private HttpResponse<String> get(PeerAddress at, String path) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create("http://" + at + path)).timeout(TestNodes.DEADLINE).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Optional<JsonObject> peer(JsonObject snapshot, String peerId) {
    return snapshot.getJsonArray("peers").stream().map(JsonObject.class::cast)
        .filter(peer -> peerId.equals(peer.getString("peerId"))).findFirst();
  }

  private static boolean connected(JsonObject snapshot, String peerId) {
    return peer(snapshot, peerId).filter(peer -> "connected".equals(peer.getString("state"))
        && peer.containsKey("traffic")).isPresent();
  }

  private static long counter(JsonObject snapshot, String peerId, String counter) {
    return peer(snapshot, peerId).orElseThrow().getJsonObject("traffic").getLong(counter);
  }

  @Test
  void theNodeServesThePageItsLibrariesAndTheViewsAddresses() throws Exception {
    PeerMeshNode node = startWithView();
    PeerAddress http = node.httpAddress();

    HttpResponse<String> page = get(http, "/");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"), page.headers()::toString);
    assertTrue(page.body().contains("<title>PeerMesh · mesh view</title>"), page.body());
    for (String script : List.of("vendor/sockjs.min.js", "vendor/vertx-eventbus.js", "view.js")) {
      assertTrue(page.body().contains("<script src=\"" + script + "\">"), script);
      HttpResponse<String> served = get(http, "/" + script);
      assertEquals(200, served.statusCode(), script);
      assertTrue(served.headers().firstValue("content-type").orElse("").startsWith("text/javascript"), script);
    }
    assertTrue(get(http, "/vendor/sockjs.min.js").body().startsWith("/* sockjs-client v1.6.1 |"));
    assertEquals(200, get(http, "/view.css").statusCode());

    JsonObject addresses = new JsonObject(get(http, MeshView.ADDRESSES_PATH).body());
    assertEquals(new JsonObject().put("bridge", "eventbus").put("snapshot", node.addresses().viewSnapshot())
        .put("stateChange", node.addresses().viewStateChange()), addresses);

    assertEquals(200, get(http, HttpEndpoint.LIVE_PATH).statusCode());
    assertEquals(404, get(http, "/no-such-file.js").statusCode());
  }

  @Test
  void aWatcherGetsSnapshotsOfThePeersWithTheirTrafficAndItsRates() {
    PeerMeshNode node = startWithView();
    PeerMeshNode second = nodes.startConnectedTo(node);
    ViewBridgeClient bridge = watch(node);
    String snapshots = node.addresses().viewSnapshot();

    JsonObject first = bridge.nextOn(snapshots, snapshot -> connected(snapshot, second.peerId()));
    assertEquals(new JsonObject().put("peerId", node.peerId()).put("busPrefix", node.addresses().prefix()),
        first.getJsonObject("node"));
    assertEquals(MeshView.INTERVAL_MS, first.getLong("intervalMs"));
    assertEquals(new JsonArray().add(new JsonObject().put("name", BusAddresses.MESH)
        .put("listen", node.listenAddress().toString()).put("connected", 1).put("peers", 1)),
        first.getJsonArray("protocols"));
    assertEquals(0, first.getInteger("omittedPeers"));
    assertFalse(first.containsKey("cluster"));
    JsonObject listed = peer(first, second.peerId()).orElseThrow();
    assertEquals("mesh", listed.getString("protocol"));
    assertEquals("inbound", listed.getString("direction"));
    assertEquals("127.0.0.1", listed.getString("host"));
    assertNull(listed.getString("member"));

    // 64 KiB from the second node: the first one's counters of it grow by at least that, and its rate shows it.
    long before = counter(first, second.peerId(), "bytesIn");
    TestNodes.await(second.sendToPeer(node.peerId(), "blob", "x".repeat(64 * 1024)));
    JsonObject after = bridge.nextOn(snapshots,
        snapshot -> counter(snapshot, second.peerId(), "bytesIn") >= before + 64 * 1024);
    JsonObject traffic = peer(after, second.peerId()).orElseThrow().getJsonObject("traffic");
    assertTrue(traffic.getLong("framesIn") > peer(first, second.peerId()).orElseThrow().getJsonObject("traffic")
        .getLong("framesIn"), traffic::encode);
    assertTrue(traffic.getDouble("bytesInPerSecond") > 0, traffic::encode);
  }

  @Test
  void stateChangesAreForwardedAsTheyHappenInTheLayersNames() {
    // A Bitcoin peer besides the mesh: Bitcoin says "ready" for connected, the view "connected" for every protocol.
    NodeOptions withBitcoin = nodes.options().setHttp(new HttpOptions().setPort(0))
        .setProtocol(BitcoinProtocol.NAME, new BitcoinOptions().setNetwork(BitcoinNetwork.REGTEST)
            .setListen(new PeerAddress("127.0.0.1", 0)));
    PeerMeshNode node = nodes.start(withBitcoin);
    ViewBridgeClient bridge = watch(node);
    bridge.register(node.addresses().viewStateChange());
    bridge.nextOn(node.addresses().viewSnapshot(), snapshot -> true);

    // Counted from before the dialer starts: its peer may be connected, and the change forwarded, before its start
    // returns.
    int beforeDial = bridge.size();
    PeerMeshNode dialer = nodes.start(nodes.options().setMesh(null).setProtocol(BitcoinProtocol.NAME,
        new BitcoinOptions().setNetwork(BitcoinNetwork.REGTEST)
            .setConnect(List.of(node.listenAddress(BitcoinProtocol.NAME)))));
    JsonObject connected = bridge.onFrom(beforeDial, node.addresses().viewStateChange(),
        change -> change.getString("protocol").equals(BitcoinProtocol.NAME)
            && change.getString("state").equals("connected"));
    assertEquals("handshaking", connected.getString("previous"));
    assertEquals("inbound", connected.getString("direction"));

    JsonObject snapshot = bridge.nextOn(node.addresses().viewSnapshot(), s -> s.getJsonArray("peers").stream()
        .map(JsonObject.class::cast).anyMatch(peer -> peer.getString("protocol").equals(BitcoinProtocol.NAME)
            && peer.containsKey("traffic")));
    JsonObject bitcoinPeer = snapshot.getJsonArray("peers").stream().map(JsonObject.class::cast)
        .filter(peer -> peer.getString("protocol").equals(BitcoinProtocol.NAME)).findFirst().orElseThrow();
    assertEquals("connected", bitcoinPeer.getString("state"));
    assertTrue(bitcoinPeer.getString("client").startsWith("/PeerMesh"), bitcoinPeer::encode);
    assertTrue(bitcoinPeer.getJsonObject("traffic").getLong("framesIn") >= 2, bitcoinPeer::encode);

    int from = bridge.size();
    TestNodes.await(dialer.stop());
    bridge.awaitFrom(from, frame -> node.addresses().viewStateChange().equals(frame.getString("address"))
        && frame.getJsonObject("body").getString("state").equals("closed"));
  }

  @Test
  void theBridgeLetsAClientRegisterOnTheViewsAddressesOnlyAndSendNowhere() {
    PeerMeshNode node = startWithView();
    ViewBridgeClient bridge = watch(node);
    bridge.nextOn(node.addresses().viewSnapshot(), snapshot -> true);
    BusAddresses addresses = node.addresses();

    List<JsonObject> refused = List.of(
        new JsonObject().put("type", "register").put("address", addresses.event(org.peermesh.bus.PeerEvent
            .NEW_INBOUND_PEER)),
        new JsonObject().put("type", "register").put("address", addresses.protocol(BusAddresses.MESH).stateChange()),
        new JsonObject().put("type", "send").put("address", addresses.peers()).put("body", new JsonObject())
            .put("replyAddress", "a0b1c2d3-0000-4000-8000-000000000000"),
        new JsonObject().put("type", "publish").put("address", addresses.viewSnapshot()).put("body", new JsonObject()),
        new JsonObject().put("type", "send").put("address", addresses.viewStateChange()).put("body", new JsonObject()));
    for (JsonObject message : refused) {
      int from = bridge.size();
      bridge.write(message);
      JsonObject error = bridge.awaitFrom(from, frame -> "err".equals(frame.getString("type")));
      assertEquals("access_denied", error.getString("body"), message.encode());
    }
  }

  @Test
  void aPageOfAnotherOriginIsRefusedAndAClientWithoutOneIsServed() {
    PeerMeshNode node = startWithView();
    assertTrue(ViewBridgeClient.refused(vertx, node.httpAddress(), "http://attacker.example",
        node.addresses().viewSnapshot()));

    ViewBridgeClient script = connect(node, null);
    script.register(node.addresses().viewSnapshot());
    assertEquals(node.peerId(), script.nextOn(node.addresses().viewSnapshot(), snapshot -> true)
        .getJsonObject("node").getString("peerId"));
  }

  @Test
  void aPageOfAnOriginTheConfigNamesIsServed() {
    PeerMeshNode node = nodes.start(nodes.options().setHttp(new HttpOptions().setPort(0)
        .setViewOrigins(List.of("https://ops.example", "http://127.0.0.1:9999"))));
    ViewBridgeClient ops = connect(node, "https://ops.example");
    ops.register(node.addresses().viewSnapshot());
    assertEquals(node.peerId(), ops.nextOn(node.addresses().viewSnapshot(), snapshot -> true)
        .getJsonObject("node").getString("peerId"));

    assertTrue(ViewBridgeClient.refused(vertx, node.httpAddress(), "https://ops.example:8443",
        node.addresses().viewSnapshot()));
  }

  @Test
  void viewOriginsThatAreNotOriginsAreRefusedByKey() {
    JsonObject config = new JsonObject().put("http", new JsonObject().put("viewOrigins", new JsonArray()
        .add("https://ops.example").add("https://ops.example/view").add("HTTPS://OPS.EXAMPLE").add("ops.example")));
    ConfigException refused = assertThrows(ConfigException.class, () -> new NodeOptions(config));
    assertFalse(refused.getMessage().contains("http.viewOrigins[0]"), refused.getMessage());
    for (int i = 1; i <= 3; i++) {
      assertTrue(refused.getMessage().contains("config key 'http.viewOrigins[" + i + "]'"), refused.getMessage());
    }
  }

  @Test
  void atMostSixteenClientsWatchAtOnce() {
    PeerMeshNode node = startWithView();
    for (int i = 0; i < ViewBridge.MAX_CLIENTS; i++) {
      watch(node).nextOn(node.addresses().viewSnapshot(), snapshot -> true);
    }
    assertTrue(ViewBridgeClient.refused(vertx, node.httpAddress(), ViewBridgeClient.originOf(node.httpAddress()),
        node.addresses().viewSnapshot()));

    // Once a client leaves, another is admitted, once the node has counted the first one out.
    clients.get(0).close();
    await().atMost(TestNodes.DEADLINE).until(() -> !ViewBridgeClient.refused(vertx, node.httpAddress(),
        ViewBridgeClient.originOf(node.httpAddress()), node.addresses().viewSnapshot()));
  }

  @Test
  void aNodeWithoutTheMeshShowsItsBusPrefix() {
    PeerMeshNode node = nodes.start(nodes.options().setMesh(null).setHttp(new HttpOptions().setPort(0))
        .setProtocol(BitcoinProtocol.NAME, new BitcoinOptions().setNetwork(BitcoinNetwork.REGTEST)
            .setListen(new PeerAddress("127.0.0.1", 0))));
    JsonObject snapshot = watch(node).nextOn(node.addresses().viewSnapshot(), s -> true);
    assertEquals(new JsonObject().put("busPrefix", node.addresses().prefix()), snapshot.getJsonObject("node"));
    assertEquals(List.of(BitcoinProtocol.NAME), snapshot.getJsonArray("protocols").stream()
        .map(p -> ((JsonObject) p).getString("name")).toList());
    assertEquals(new JsonArray(), snapshot.getJsonArray("peers"));
  }
}
