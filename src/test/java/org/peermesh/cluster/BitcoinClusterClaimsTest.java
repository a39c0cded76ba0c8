package org.peermesh.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.bitcoin.peer.BitcoinOptions;
import org.peermesh.bitcoin.peer.BitcoinProtocol;
import org.peermesh.bus.BusAddresses;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.testing.TestCluster;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;

/** A Bitcoin peer that two members of a clustered node are told to dial is held by one connection. */
class BitcoinClusterClaimsTest {

  private Vertx vertx;
  private TestCluster cluster;

  @BeforeEach
  void setUp(@TempDir Path dir) {
    vertx = Vertx.vertx();
    cluster = new TestCluster(dir, 2);
  }

  @AfterEach
  void tearDown() {
    cluster.close();
    TestNodes.await(vertx.close());
  }

  @Test
  void twoMembersToldToDialOneBitcoinPeerHoldOneConnection() {
    // The Bitcoin peer: a listener that counts the connections it is offered and answers none, so that the one
    // it accepts stays in its handshake for the whole test.
    AtomicInteger accepted = new AtomicInteger();
    NetServer bitcoinPeer = vertx.createNetServer().connectHandler(socket -> accepted.incrementAndGet());
    int port = TestNodes.await(bitcoinPeer.listen(0, "127.0.0.1")).actualPort();
    PeerAddress target = new PeerAddress("127.0.0.1", port);

    NodeOptions first = watcherOf(target);
    NodeOptions second = watcherOf(target);
    Vertx observer = cluster.join(first.getCluster());
    List<JsonObject> errors = new CopyOnWriteArrayList<>();
    TestNodes.await(observer.eventBus().<JsonObject>consumer(new BusAddresses(TestCluster.PREFIX).protocol(BitcoinProtocol.NAME).error(),
        m -> errors.add(m.body())).completion());

    cluster.startMembers(first, second);

    JsonObject refused = awaitEvent(errors, e -> e.getString("error").equals("duplicate_connection"));
    assertEquals(target.toString(), refused.getString("peer"));
    await().atMost(TestNodes.DEADLINE).until(() -> accepted.get() >= 1);
    assertEquals(1, accepted.get(), "connections the Bitcoin peer was offered");
  }

  /** A member without the mesh protocol that keeps {@code target} connected, as a Bitcoin watcher does. */
  private NodeOptions watcherOf(PeerAddress target) {
    return cluster.memberOptions().setMesh(null).setProtocol(BitcoinProtocol.NAME, new BitcoinOptions()
        .setNetwork(BitcoinNetwork.REGTEST)
        .setConnect(List.of(target)));
  }
}
