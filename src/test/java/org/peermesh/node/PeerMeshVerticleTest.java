package org.peermesh.node;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.config.ConfigException;
import org.peermesh.testing.TestNodes;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node deployed as a verticle: by instance, by class name and by Vert.x's launcher, configured by its JSON. */
@ExtendWith(VertxExtension.class)
class PeerMeshVerticleTest {

  /** A config file's JSON: on 127.0.0.1, an ephemeral port, the test network. */
  private static JsonObject config(String busPrefix, Path dataDir) {
    return new JsonObject()
        .put("busPrefix", busPrefix)
        .put("dataDir", dataDir.toString())
        .put("mesh", new JsonObject()
            .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("networkId", TestNodes.NETWORK));
  }

  private static JsonArray connected(Vertx vertx, String busPrefix) {
    return TestNodes.await(vertx.eventBus().<JsonObject>request(busPrefix + ".peers", new JsonObject()))
        .body().getJsonArray("connected");
  }

  @Test
  void deployedByInstanceAndByNameTheNodesConnectAndUndeployingStopsThem(Vertx vertx, @TempDir Path dir)
      throws IOException {
    PeerMeshVerticle a = new PeerMeshVerticle();
    String aId = TestNodes.await(
        vertx.deployVerticle(a, new DeploymentOptions().setConfig(config("a", dir.resolve("a")))));
    int aPort = a.node().listenAddress().port();
    assertTrue(aPort > 0);

    JsonObject bConfig = config("b", dir.resolve("b"));
    bConfig.getJsonObject("mesh").put("seedPeers",
        new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", aPort)));
    String bId = TestNodes.await(vertx.deployVerticle(PeerMeshVerticle.class.getName(),
        new DeploymentOptions().setConfig(bConfig)));

    // A answers its peers command with B, which could only have found it through the config it was deployed with.
    await().atMost(TestNodes.DEADLINE).until(() -> connected(vertx, "a").size() == 1);
    assertEquals(1, connected(vertx, "b").size());

    TestNodes.await(vertx.undeploy(bId));
    await().atMost(TestNodes.DEADLINE).until(() -> connected(vertx, "a").isEmpty());
    TestNodes.await(vertx.undeploy(aId));
    assertFalse(a.node().isActive());
    assertEquals(Set.of(), vertx.deploymentIDs(), "the node's own verticles are undeployed with it");
    try (ServerSocket port = new ServerSocket(aPort, 1, InetAddress.getByName("127.0.0.1"))) {
      assertEquals(aPort, port.getLocalPort());
    }
  }

  @Test
  void aWrongConfigFailsTheDeploymentNamingTheKey(Vertx vertx, @TempDir Path dir) {
    JsonObject wrong = config("w", dir);
    wrong.getJsonObject("mesh").put("maxInbund", 3);
    Throwable failure = TestNodes.awaitFailure(vertx.deployVerticle(PeerMeshVerticle.class.getName(),
        new DeploymentOptions().setConfig(wrong)));
    assertInstanceOf(ConfigException.class, failure);
    assertTrue(failure.getMessage().contains("'mesh.maxInbund'"), failure.getMessage());
    assertEquals(Set.of(), vertx.deploymentIDs());
  }

  /** As {@code java -cp ... io.vertx.launcher.application.VertxApplication PeerMeshVerticle's-name -conf FILE}. */
  @Test
  void vertxsLauncherRunsTheNodeWithItsConfig(@TempDir Path dir) {
    AtomicReference<HookContext> deployed = new AtomicReference<>();
    VertxApplicationHooks hooks = new VertxApplicationHooks() {
      @Override
      public void afterVerticleDeployed(HookContext context) {
        deployed.set(context);
      }
    };
    String[] args = {PeerMeshVerticle.class.getName(), "-conf", config("l", dir).encode()};
    // The protected constructor, so that a failure is returned as an exit code rather than exiting the test JVM.
    int exitCode = new VertxApplication(args, hooks, false, false) {
    }.launch();
    assertEquals(0, exitCode);
    Vertx vertx = deployed.get().vertx();
    try {
      assertEquals(new JsonArray(), connected(vertx, "l"));
    } finally {
      TestNodes.await(vertx.close());
    }
  }
}
