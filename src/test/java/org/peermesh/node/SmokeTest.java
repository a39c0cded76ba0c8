package org.peermesh.node;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.BusAddresses;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(VertxExtension.class)
class SmokeTest {

  @Test
  void twoNodesTalk(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start();
      PeerMeshNode b = nodes.startConnectedTo(a);
      List<JsonObject> got = nodes.collect(a.addresses().message("hello"));
      TestNodes.await(b.send("hello", new JsonObject().put("x", 1)));
      await().atMost(TestNodes.DEADLINE).until(() -> got.size() == 1);
      assertEquals(1, got.get(0).getJsonObject("data").getInteger("x"));
      assertEquals(b.peerId(), got.get(0).getString("peerId"));
      vertx.eventBus().consumer(b.addresses().rpc("echo"), m -> m.reply(((JsonObject) m.body()).getValue("data")));
      Object answer = TestNodes.await(a.requestFromPeer(b.peerId(), "echo", "ping"));
      assertEquals("ping", answer);
      // The generic way to a protocol's pool reaches the mesh's too.
      assertEquals(a.listenAddress(), a.listenAddress(BusAddresses.MESH));
      List<JsonObject> meshPeers = a.peers(BusAddresses.MESH);
      assertEquals(1, meshPeers.size(), meshPeers.toString());
      assertEquals(b.peerId(), meshPeers.get(0).getString("peerId"));
      assertEquals("inbound", meshPeers.get(0).getString("direction"));
    }
  }
}
