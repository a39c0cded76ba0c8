package org.peermesh.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.config.ConfigException;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestNodes;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /health} and {@code /health/live} of a running node, over HTTP on 127.0.0.1. */
@ExtendWith(VertxExtension.class)
class NodeHealthTest {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private TestNodes nodes;

  private Vertx vertx;

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) {
    this.vertx = vertx;
    nodes = new TestNodes(vertx, dir);
  }

  @AfterEach
  void tearDown() {
    nodes.close();
  }

  /** A status and a JSON body. */
  record Answer(int status, JsonObject body) {
  }

  static Answer get(PeerAddress at, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://" + at + path)).timeout(TestNodes.DEADLINE).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), new JsonObject(response.body()));
  }

  /** The check {@code id} of a health answer. */
  static JsonObject check(Answer answer, String id) {
    return answer.body().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(check -> check.getString("id").equals(id)).findFirst().orElseThrow();
  }

  @Test
  void readyOnlyOnceEachProtocolHasItsMinimumOfPeersAndLiveAllAlong() throws Exception {
    NodeOptions options = nodes.options()
        .setHttp(new HttpOptions().setPort(0).setMinPeers(Map.of("mesh", 1)));
    PeerMeshNode node = nodes.start(options);
    PeerAddress http = node.httpAddress();

    Answer alone = get(http, HttpEndpoint.HEALTH_PATH);
    assertEquals(503, alone.status(), alone.body().encode());
    assertEquals("DOWN", alone.body().getString("status"));
    assertEquals(new JsonObject().put("connected", 0).put("min", 1),
        check(alone, NodeHealth.PEERS).getJsonObject("data").getJsonObject("mesh"));
    assertEquals(node.listenAddress().toString(),
        check(alone, NodeHealth.LISTENING).getJsonObject("data").getString("mesh"));

    Answer live = get(http, HttpEndpoint.LIVE_PATH);
    assertEquals(200, live.status(), live.body().encode());
    assertEquals("UP", check(live, NodeHealth.LISTENING).getString("status"));

    nodes.startConnectedTo(node);
    await().atMost(TestNodes.DEADLINE).until(() -> get(http, HttpEndpoint.HEALTH_PATH).status() == 200);
    Answer ready = get(http, HttpEndpoint.HEALTH_PATH);
    assertEquals("UP", ready.body().getString("status"));
    assertEquals(1, check(ready, NodeHealth.PEERS).getJsonObject("data").getJsonObject("mesh").getInteger("connected"));
  }

  @Test
  void noHttpSectionNoServer() {
    PeerMeshNode node = nodes.start();
    assertNull(node.httpAddress());
  }

  @Test
  void aMinimumForAProtocolTheNodeDoesNotRunIsRefused() {
    JsonObject config = new JsonObject().put("http", new JsonObject().put("minPeers", new JsonObject()
        .put("bitcoin", 1).put("mesh", -1)));
    ConfigException refused = assertThrows(ConfigException.class, () -> new NodeOptions(config));
    assertTrue(refused.getMessage().contains("config key 'http.minPeers.bitcoin': the node does not run protocol"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("config key 'http.minPeers.mesh'"), refused.getMessage());
  }

  @Test
  void aTakenPortNamesTheKeyAndTheAddressAndTheNodeDoesNotStart() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      NodeOptions options = nodes.options().setHttp(new HttpOptions().setPort(taken.getLocalPort()));
      PeerMeshNode node = PeerMeshNode.create(vertx, options);
      Throwable failed = TestNodes.awaitFailure(node.start());
      assertEquals("http.port " + taken.getLocalPort() + " on 127.0.0.1 is in use", failed.getMessage());
      assertFalse(node.isActive());
    }
  }
}
