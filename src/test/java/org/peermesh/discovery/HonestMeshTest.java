package org.peermesh.discovery;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.PeerEvent;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.PeerInfo;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lisk-p2p banned honest peers of small networks through its own rate limits. Three honest nodes run for several
 * minutes of normal discovery (default intervals; the shuffle shortened so that it happens) while the application
 * streams messages, requests answers and changes its nodeInfo faster than peers accept pushes: no peer may lose a
 * single point of reputation.
 */
@ExtendWith(VertxExtension.class)
class HonestMeshTest {

  private static final Duration SOAK = Duration.ofMinutes(3);

  @Test
  void honestPeersAreNeverPenalised(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      // One live list per node: the lists fill as events arrive.
      List<List<JsonObject>> penalties = new ArrayList<>();
      List<PeerMeshNode> mesh = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        NodeOptions options = nodes.options(meshOptions -> meshOptions
            .setOutboundShuffleInterval(60_000)
            .setSeedPeers(mesh.isEmpty() ? List.of() : List.of(mesh.get(0).listenAddress())));
        penalties.add(nodes.events(options, PeerEvent.PEER_PENALIZED));
        mesh.add(nodes.start(options));
      }
      AtomicInteger answered = new AtomicInteger();
      AtomicInteger received = new AtomicInteger();
      for (PeerMeshNode node : mesh) {
        vertx.eventBus().consumer(node.addresses().rpc("height"), m -> m.reply(42));
        vertx.eventBus().consumer(node.addresses().message("block"), m -> received.incrementAndGet());
      }
      AtomicInteger tick = new AtomicInteger();
      // 20 broadcasts per second per node, a request every 100 ms, a nodeInfo change every second.
      long traffic = vertx.setPeriodic(50, t -> {
        int n = tick.incrementAndGet();
        for (PeerMeshNode node : mesh) {
          node.broadcast("block", new JsonObject().put("n", n));
          if (n % 2 == 0) {
            node.request("height", null).onSuccess(h -> answered.incrementAndGet());
          }
          if (n % 20 == 0) {
            node.applyNodeInfo(node.nodeInfo().put("height", n));
          }
        }
      });
      try {
        await().during(SOAK).atMost(SOAK.plusMinutes(1)).pollInterval(Duration.ofSeconds(1))
            .until(() -> penalties.stream().allMatch(List::isEmpty));
      } finally {
        vertx.cancelTimer(traffic);
      }
      assertTrue(penalties.stream().allMatch(List::isEmpty), "penalties: " + penalties);
      for (PeerMeshNode node : mesh) {
        // A shuffle may have just dropped a peer; the populator takes it back.
        await().atMost(TestNodes.DEADLINE).until(() -> TestNodes.await(node.getConnectedPeers()).size() == 2);
        TestNodes.await(node.getConnectedPeers())
            .forEach(p -> assertEquals(PeerInfo.INITIAL_REPUTATION, p.reputation(), p.toString()));
      }
      assertTrue(received.get() > 10_000, "messages flowed: " + received.get());
      assertTrue(answered.get() > 1_000, "requests were answered: " + answered.get());
    }
  }
}
