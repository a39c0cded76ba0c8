package org.peermesh.devp2p.discv4;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.peermesh.devp2p.discovery.EnodeUrl;
import org.peermesh.devp2p.discovery.NodeId;
import org.peermesh.testing.Interop;
import org.peermesh.testing.TestNodes;
import org.peermesh.testing.ethereumjs.DptNode;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Discv4Service} against the real @ethereumjs/devp2p 10.0.0 DPT ({@link DptNode}) over loopback: ethereumjs
 * answers Ping with a 3-item Pong, answers FindNode without endpoint proof, and adds a node it learns from a Ping's
 * "from" endpoint once that node answers its own Ping.
 */
@Interop
class Discv4InteropTest {

  private Vertx vertx;
  private Discv4Service service;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    if (service != null) {
      TestNodes.await(service.stop());
    }
    TestNodes.await(vertx.close());
  }

  private Discv4Service start(List<EnodeUrl> bootnodes) {
    service = new Discv4Service(vertx, RawDiscv4Node.freshKey(), new Discv4Options()
        .setHost(DptNode.HOST).setPort(0).setTcpPort(30303).setBootnodes(bootnodes));
    TestNodes.await(service.start());
    return service;
  }

  private static EnodeUrl enode(DptNode node) {
    return new EnodeUrl(NodeId.fromHex(node.id()), node.host(), 0, node.udpPort());
  }

  private static Set<String> ids(Discv4Service service) {
    return service.nodes().stream().map(node -> node.id().hex()).collect(Collectors.toSet());
  }

  @Test
  void aDptNodeBootstrapsFromUsAndBothListEachOther() {
    Discv4Service ours = start(List.of());
    try (DptNode dpt = DptNode.start()) {
      // ethereumjs pings us (our Pong has the enrSeq it ignores) and asks us for neighbours as soon as we answer,
      // which may be before its Pong proves its endpoint to us: that FindNode is then dropped, geth's way, and costs
      // its bootstrap nothing. Nothing else of ours is dropped.
      assertEquals(ours.self().id().hex(), dpt.bootstrap(ours.self().host(), ours.self().udpPort()));
      // We ping it back, as an unknown pinger; it enters our table when it answers, with the endpoint we saw.
      await().atMost(TestNodes.DEADLINE).until(() -> ids(ours).contains(dpt.id()));
      EnodeUrl entry = ours.nodes().get(0);
      assertEquals(DptNode.HOST, entry.host());
      assertEquals(dpt.udpPort(), entry.udpPort());
      await().atMost(TestNodes.DEADLINE).until(() -> dpt.peerIds().contains(ours.self().id().hex()));
      JsonObject us = dpt.peers().stream().filter(peer -> ours.self().id().hex().equals(peer.getString("id")))
          .findFirst().orElseThrow();
      assertEquals(ours.self().udpPort(), us.getInteger("udpPort"));
      assertTrue(ours.stats().getJsonObject("dropped").fieldNames().stream()
          .allMatch(reason -> reason.equals("unbonded")), ours.stats().encode());
    }
  }

  @Test
  void ourTableFillsFromASmallDptNetwork() {
    try (DptNode first = DptNode.start(); DptNode second = DptNode.start(); DptNode third = DptNode.start()) {
      assertEquals(first.id(), second.bootstrap(first));
      assertEquals(first.id(), third.bootstrap(first));
      await().atMost(TestNodes.DEADLINE).until(() -> first.peerIds().containsAll(List.of(second.id(), third.id())));

      // Given only the first, our lookup of our own id asks it, and its Neighbors name the other two.
      Discv4Service ours = start(List.of(enode(first)));
      await().atMost(TestNodes.DEADLINE).until(() -> ids(ours).containsAll(List.of(first.id(), second.id(),
          third.id())));
      assertEquals(3, ours.stats().getInteger("tableSize"));
      for (DptNode dpt : List.of(first, second, third)) {
        await().atMost(TestNodes.DEADLINE).until(() -> dpt.peerIds().contains(ours.self().id().hex()));
      }
    }
  }
}
