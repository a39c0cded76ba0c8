package org.peermesh.discovery;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.PeerEvent;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbound shuffle keeps the node connected: it replaces an outbound peer only with a connection it has made
 * first, and with nothing to dial it keeps the peer. Rounds are counted by their {@code outboundShuffled} events.
 */
@ExtendWith(VertxExtension.class)
class OutboundShuffleTest {

  /** The smallest shuffle interval the config allows: many rounds within a test. */
  private static final int SHUFFLE_MS = 100;
  /** Long enough to never fire during a test: only the shuffle changes the outbound peers. */
  private static final int NEVER_MS = 3_600_000;
  private static final int ROUNDS = 10;

  @Test
  void aTwoNodeMeshNeverLosesItsOnlyConnection(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> closedOnA = nodes.events(a, PeerEvent.CLOSE_INBOUND);
      NodeOptions bOptions = shuffling(nodes.options(mesh -> mesh.setSeedPeers(List.of(a.listenAddress()))));
      List<JsonObject> rounds = nodes.events(bOptions, PeerEvent.OUTBOUND_SHUFFLED);
      List<JsonObject> closedOnB = nodes.events(bOptions, PeerEvent.CLOSE_OUTBOUND);
      PeerMeshNode b = nodes.start(bOptions);
      TestNodes.awaitConnected(b, a);

      await().atMost(TestNodes.DEADLINE).until(() -> rounds.stream().filter(r -> a.peerId().equals(r.getString("peerId")))
          .count() >= ROUNDS);
      for (JsonObject round : rounds) {
        assertEquals("kept", round.getString("outcome"), round.encode());
      }
      assertTrue(rounds.stream().anyMatch(r -> "no candidate to replace it with".equals(r.getString("reason"))),
          rounds.toString());
      assertTrue(closedOnB.isEmpty(), "B dropped A: " + closedOnB);
      assertTrue(closedOnA.isEmpty(), "A lost B: " + closedOnA);
      TestNodes.awaitConnected(b, a);
    }
  }

  /**
   * N knows seed S and, from S's getPeers answer, C. Its shuffle replaces S with C: C is connected before S is
   * dropped, so N's outbound peers never go below one.
   */
  @Test
  void aPeerIsReplacedOnlyOnceItsReplacementIsConnected(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode s = nodes.start();
      PeerMeshNode c = nodes.startConnectedTo(s);
      NodeOptions nOptions = shuffling(nodes.options(mesh -> mesh.setSeedPeers(List.of(s.listenAddress()))));
      BusAddresses nAddresses = new BusAddresses(nOptions.getBusPrefix());
      List<JsonObject> rounds = nodes.events(nOptions, PeerEvent.OUTBOUND_SHUFFLED);
      // Connects and closes in the order N published them: one list, filled on one context.
      List<String> outboundChanges = new CopyOnWriteArrayList<>();
      Context context = vertx.getOrCreateContext();
      for (PeerEvent change : List.of(PeerEvent.CONNECT_OUTBOUND, PeerEvent.CLOSE_OUTBOUND)) {
        Promise<Void> registered = Promise.promise();
        context.runOnContext(v -> vertx.eventBus().<JsonObject>consumer(nAddresses.event(change),
            m -> outboundChanges.add(change.eventName() + " " + m.body().getString("peerId")))
            .completion().onComplete(registered));
        TestNodes.await(registered.future());
      }
      PeerMeshNode n = nodes.start(nOptions);

      JsonObject replaced = await().atMost(TestNodes.DEADLINE).until(() -> rounds.stream()
          .filter(r -> "replaced".equals(r.getString("outcome"))).findFirst(), Optional::isPresent).get();
      assertEquals(s.peerId(), replaced.getString("peerId"), replaced.encode());
      assertEquals(c.peerId(), replaced.getString("replacementPeerId"), replaced.encode());
      TestNodes.awaitConnected(n, c);

      String connectC = PeerEvent.CONNECT_OUTBOUND.eventName() + " " + c.peerId();
      String closeS = PeerEvent.CLOSE_OUTBOUND.eventName() + " " + s.peerId();
      await().atMost(TestNodes.DEADLINE).until(() -> outboundChanges.contains(closeS));
      assertTrue(outboundChanges.indexOf(connectC) < outboundChanges.indexOf(closeS),
          "S was dropped before C was connected: " + outboundChanges);
      int connected = 0;
      for (String change : outboundChanges) {
        connected += change.startsWith(PeerEvent.CONNECT_OUTBOUND.eventName()) ? 1 : -1;
        assertTrue(connected >= 1, "N was left without an outbound peer: " + outboundChanges);
      }
    }
  }

  /** A shuffling node that does nothing else after its start: no populator, no seed rounds. */
  private static NodeOptions shuffling(NodeOptions options) {
    return TestNodes.withMesh(options, mesh -> mesh
        .setPopulatorInterval(NEVER_MS)
        .setFallbackSeedPeerDiscoveryInterval(NEVER_MS)
        .setOutboundShuffleInterval(SHUFFLE_MS));
  }
}
