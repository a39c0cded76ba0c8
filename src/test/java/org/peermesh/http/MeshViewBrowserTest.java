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
import org.peermesh.net.PeerAddress;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.Interop;
import org.peermesh.testing.TestNodes;
import org.peermesh.testing.browser.MeshViewPage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mesh view in a real browser, Debian's Chromium, while a 3-node mesh runs with traffic, and a Bitcoin peer beside
 * it: the page shows the node's id, its peers by peer id and state with counters that grow, and a peer that goes
 * away goes from the page. Leaves a screenshot in {@code target/mesh-view.png} (the README's {@code docs/mesh-view.png}
 * is one).
 */
@Interop
@ExtendWith(VertxExtension.class)
class MeshViewBrowserTest {

  static final Path SCREENSHOT = Path.of("target", "mesh-view.png");
  private static final Duration SHOWN = Duration.ofSeconds(30);
  /** How often each node sends each of its peers a message: traffic for the view to show, not a synchronisation. */
  private static final long TRAFFIC_PERIOD_MS = 50;

  private TestNodes nodes;
  private Vertx vertx;
  private MeshViewPage page;
  private final List<Long> timers = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) {
    this.vertx = vertx;
    nodes = new TestNodes(vertx, dir);
  }

  @AfterEach
  void tearDown() {
    timers.forEach(vertx::cancelTimer);
    if (page != null) {
      page.close();
    }
    nodes.close();
  }

  /** Sends a message of {@code size} bytes from {@code from} to {@code to} every period, while the test runs. */
  private void traffic(PeerMeshNode from, PeerMeshNode to, int size) {
    String data = "x".repeat(size);
    timers.add(vertx.setPeriodic(TRAFFIC_PERIOD_MS, t -> {
      if (from.isActive()) {
        from.sendToPeer(to.peerId(), "view-test", data);
      }
    }));
  }

  private static JsonObject peer(String peerId, String state) {
    return new JsonObject().put("peerId", peerId).put("state", state);
  }

  private static JsonObject row(JsonObject view, String peerId) {
    return view.getJsonArray("peers").stream().map(JsonObject.class::cast)
        .filter(row -> peerId.equals(row.getString("peerId"))).findFirst().orElseThrow();
  }

  @Test
  void thePageShowsTheMeshAsItRunsAndAPeerThatLeavesGoes() throws Exception {
    // The node with the view dials the second node and is dialed by the third, which dials the second too.
    PeerMeshNode second = nodes.start();
    PeerMeshNode node = nodes.start(nodes.options(mesh -> mesh.setSeedPeers(List.of(second.listenAddress())))
        .setHttp(new HttpOptions().setPort(0))
        .setProtocol(BitcoinProtocol.NAME, new BitcoinOptions().setNetwork(BitcoinNetwork.REGTEST)
            .setListen(new PeerAddress("127.0.0.1", 0))));
    TestNodes.awaitConnected(node, second);
    PeerMeshNode third = nodes.startConnectedTo(node, second);
    PeerMeshNode bitcoin = nodes.start(nodes.options().setMesh(null).setProtocol(BitcoinProtocol.NAME,
        new BitcoinOptions().setNetwork(BitcoinNetwork.REGTEST)
            .setConnect(List.of(node.listenAddress(BitcoinProtocol.NAME)))));
    traffic(second, node, 2_000);
    traffic(node, third, 6_000);
    traffic(third, node, 300);
    traffic(second, third, 1_000);

    page = MeshViewPage.start();
    page.open("http://" + node.httpAddress() + "/");

    JsonObject both = page.awaitView(new JsonObject().put("selfId", node.peerId())
        .put("peers", new JsonArray().add(peer(second.peerId(), "connected")).add(peer(third.peerId(), "connected"))),
        SHOWN);
    assertEquals(node.peerId(), both.getString("nodeId"));
    assertEquals("open", both.getString("bus"));
    assertEquals("outbound", row(both, second.peerId()).getString("direction"));
    assertEquals("inbound", row(both, third.peerId()).getString("direction"));
    assertEquals("mesh", row(both, second.peerId()).getString("protocol"));

    // The counters grow: more from the second node, more to the third, as the page shows them.
    JsonObject grown = page.awaitView(new JsonObject().put("peers", new JsonArray()
        .add(peer(second.peerId(), "connected").put("bytesInAbove", row(both, second.peerId()).getLong("bytesIn")))
        .add(peer(third.peerId(), "connected").put("bytesOutAbove", row(both, third.peerId()).getLong("bytesOut")))),
        SHOWN);
    assertTrue(row(grown, second.peerId()).getLong("framesIn") > row(both, second.peerId()).getLong("framesIn"),
        grown::encode);

    // The Bitcoin peer beside them, which has no peer id, drawn with the others.
    JsonObject shown = page.awaitView(new JsonObject().put("peers", new JsonArray()
        .add(new JsonObject().put("protocol", BitcoinProtocol.NAME).put("state", "connected"))), SHOWN);
    assertEquals(List.of("mesh", BitcoinProtocol.NAME), shown.getJsonArray("protocols").getList());
    assertEquals(shown.getJsonArray("peers").size(), shown.getInteger("drawnPeers"), shown::encode);
    Files.createDirectories(SCREENSHOT.getParent());
    page.screenshot(SCREENSHOT);
    assertTrue(Files.size(SCREENSHOT) > 10_000, "a screenshot of " + Files.size(SCREENSHOT) + " bytes");

    TestNodes.await(third.stop());
    JsonObject gone = page.awaitView(new JsonObject().put("absent", new JsonArray().add(third.peerId()))
        .put("peers", new JsonArray().add(peer(second.peerId(), "connected"))), SHOWN);
    assertEquals(List.of(), gone.getJsonArray("peers").stream().map(JsonObject.class::cast)
        .filter(row -> third.peerId().equals(row.getString("peerId"))).toList());
    assertEquals(List.of(), page.consoleLines("error"), "the page's console errors");
    TestNodes.await(bitcoin.stop());
  }
}
