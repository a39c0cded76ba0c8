package org.peermesh.cli;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.http.HttpEndpoint;
import org.peermesh.http.HttpOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestNodes;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code health} in-process against real HTTP servers on 127.0.0.1: a node's endpoint, and servers of the test's. */
@ExtendWith(VertxExtension.class)
class HealthCommandTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

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

  private int health(String url) {
    out.reset();
    err.reset();
    return Main.run(List.of("health", "--url", url), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void exitsOneWhileTheNodeIsNotReadyAndZeroOnceItIsPrintingItsAnswer() {
    PeerMeshNode node = nodes.start(nodes.options()
        .setHttp(new HttpOptions().setPort(0).setMinPeers(Map.of("mesh", 1))));
    String url = "http://" + node.httpAddress() + HttpEndpoint.HEALTH_PATH;

    assertEquals(1, health(url), err());
    assertTrue(out().contains("\"status\":\"DOWN\""), out());
    assertEquals("not ready: HTTP 503 from " + url + System.lineSeparator(), err());

    // Liveness does not wait for peers.
    assertEquals(0, health("http://" + node.httpAddress() + HttpEndpoint.LIVE_PATH), err());

    nodes.startConnectedTo(node);
    await().atMost(TestNodes.DEADLINE).until(() -> health(url) == 0);
    assertTrue(out().contains("\"status\":\"UP\""), out());
    assertEquals("", err());
  }

  @Test
  void noAnswerIsARuntimeFailureNamingTheUrl() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closed = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closed + "/health";
    assertEquals(1, health(url));
    assertEquals("error: no answer from " + url + ": cannot connect" + System.lineSeparator(), err());
    assertEquals("", out());
  }

  @Test
  void printsAtMostItsLimitOfAnOversizedAnswer() {
    String huge = "x".repeat(HealthCommand.MAX_PRINTED_BYTES * 4);
    HttpServer server = TestNodes.await(vertx.createHttpServer()
        .requestHandler(request -> request.response().end(huge))
        .listen(0, "127.0.0.1"));
    assertEquals(0, health("http://127.0.0.1:" + server.actualPort() + "/health"), err());
    assertEquals(HealthCommand.MAX_PRINTED_BYTES, out().strip().length());
  }

  @Test
  void aUrlThatIsNotHttpIsAUsageError() {
    assertEquals(2, health("file:///etc/passwd"));
    assertTrue(err().contains("--url must be an http:// or https:// URL with a host, not 'file:///etc/passwd'"),
        err());
    assertEquals(2, health("http://[bad"));
    assertTrue(err().contains("Invalid value for option '--url'"), err());
  }

  @Test
  void theDefaultUrlIsThatOfTheHttpSectionsDefaults() {
    HttpOptions defaults = new HttpOptions();
    assertEquals("http://" + defaults.listenAddress() + HttpEndpoint.HEALTH_PATH, HealthCommand.DEFAULT_URL);
  }
}
