package org.peermesh.devp2p.peer;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.devp2p.discovery.EnodeUrl;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.Interop;
import org.peermesh.testing.JsonEvents;
import org.peermesh.testing.JsonLinesProcess;
import org.peermesh.testing.TestNodes;
import org.peermesh.testing.ethereumjs.EthereumjsPeer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.JsonEvents.named;
import static org.peermesh.testing.TestNodes.DEADLINE;
import static org.peermesh.testing.TestNodes.await;
import static org.peermesh.testing.ethereumjs.EthereumjsPeer.message;

/**
 * devp2p in a node run from its config, without the mesh: the config in conf/ loads, the node says who it is, and a
 * capability is served by a service in another language through the bridge, for a real ethereumjs peer.
 */
class Devp2pNodeTest {

  /** "foo" and "bar" as ethereumjs' harness writes RLP strings: hex without 0x. */
  private static final String FOO = "666f6f";
  private static final String BAR = "626172";

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  @Test
  void theConfInConfLoadsWithEveryKey() {
    NodeOptions options = NodeOptions.fromFile(Path.of("conf", "devp2p.json"));
    assertNull(options.getMesh(), "the mesh protocol is off");
    Devp2pOptions devp2p = (Devp2pOptions) options.getProtocols().get(RlpxProtocol.NAME);
    assertEquals(new PeerAddress("127.0.0.1", 30303), devp2p.getListen());
    assertEquals(30303, devp2p.getDiscovery().getPort());
    assertEquals(List.of(new Devp2pOptions.BusCapability("MyProtocol", 1, 1)), devp2p.getCapabilities());
    assertEquals(1L, devp2p.getEth().getNetworkId());
    assertEquals("PeerMesh-devp2p-example", devp2p.getName());
  }

  /**
   * The "done when": an ethereumjs peer says ["foo"] on MyProtocol to a node that serves MyProtocol over the
   * bus, where a Node.js bridge client answers ["bar"] with the send command.
   */
  @Test
  @Interop
  void aBridgeClientServesMyProtocolToAnEthereumjsPeer(@TempDir Path dir) throws Exception {
    int bridgePort = TestNodes.freePort();
    PeerMeshNode node = PeerMeshNode.create(vertx, new NodeOptions(new JsonObject()
        .put("mesh", false)
        .put("dataDir", dir.toString())
        .put("bridge", new JsonObject().put("host", "127.0.0.1").put("port", bridgePort))
        .put("devp2p", new JsonObject()
            .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("name", "PeerMesh-bridge-test")
            .put("discovery", new JsonObject().put("port", 0))
            .put("capabilities", new JsonArray().add(new JsonObject()
                .put("name", "MyProtocol").put("version", 1).put("length", 1))))));
    await(node.start());
    try (JsonLinesProcess service = JsonLinesProcess.start("ethereumjs", "bus-my-protocol", "bus-my-protocol.js",
             List.of("--port", String.valueOf(bridgePort)));
         EthereumjsPeer ethereumjs = EthereumjsPeer.start(EthereumjsPeer.Options.defaults("ethereumjs-bus")
             .withCapabilities(List.of("MyProtocol/1")))) {
      service.events().await(named("registered"), DEADLINE);
      JsonObject info = await(vertx.eventBus().<JsonObject>request(node.addresses().protocol(RlpxProtocol.NAME)
          .command(RlpxProtocol.NODE_INFO), new JsonObject())).body();
      EnodeUrl enode = EnodeUrl.parse(info.getString("enode"));
      assertEquals(node.listenAddress(RlpxProtocol.NAME).port(), enode.tcpPort());
      assertTrue(info.getJsonObject("discovery").getString("enr").startsWith("enr:"), info.encode());
      assertTrue(Files.getPosixFilePermissions(dir.resolve(Devp2pProvider.KEY_FILE))
          .equals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)), "owner-only key file");

      ethereumjs.connect(enode.id().hex(), enode.host(), enode.tcpPort());
      ethereumjs.awaitEvent(named("peer_added"), DEADLINE);
      ethereumjs.send(enode.id().hex(), "MyProtocol/1", 0, new JsonArray().add(FOO));

      JsonObject received = service.events().await(named("received"), DEADLINE);
      assertEquals(new JsonArray().add("0x" + FOO), received.getJsonArray("items"));
      JsonObject bar = ethereumjs.awaitEvent(message("MyProtocol/1", 0), DEADLINE);
      assertEquals(new JsonArray().add(BAR), bar.getJsonArray("payload"));
      JsonObject sent = service.events().await(named("sent"), DEADLINE);
      assertEquals(received.getString("peer"), sent.getJsonObject("body").getString("peer"));
    } finally {
      await(node.stop());
    }
  }
}
