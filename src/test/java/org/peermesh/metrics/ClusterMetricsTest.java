package org.peermesh.metrics;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.http.HttpOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestCluster;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A node clustered over two JVMs: each member's /metrics has the cluster's members and the whole node's peers. */
class ClusterMetricsTest {

  private TestCluster cluster;
  private Vertx vertx;
  private TestNodes remotes;

  @AfterEach
  void stop() {
    if (remotes != null) {
      remotes.close();
      TestNodes.await(vertx.close());
    }
    cluster.close();
  }

  @Test
  void eachMemberCountsTheMembersAndTheWholeNodesPeersAndOnlyItsOwnConnections(@TempDir Path dir) {
    cluster = new TestCluster(dir.resolve("cluster"), 2);
    List<PeerMeshNode> members = cluster.startMembers(
        cluster.memberOptions(mesh -> mesh.setMaxOutbound(0)).setHttp(new HttpOptions().setPort(0)),
        cluster.memberOptions(mesh -> mesh.setMaxOutbound(0)).setHttp(new HttpOptions().setPort(0)));
    for (PeerMeshNode member : members) {
      Scrape alone = Scrape.now(member.httpAddress());
      assertEquals(2, alone.value("peermesh_cluster_members"));
      assertEquals(0, alone.value("peermesh_cluster_peers"));
    }

    // One outside peer on each member: each member holds one connection, the node two peers.
    vertx = Vertx.vertx();
    remotes = new TestNodes(vertx, dir.resolve("remotes"));
    for (PeerMeshNode member : members) {
      remotes.start(remotes.options(mesh -> mesh.setMaxOutbound(0).setConnect(List.of(member.listenAddress()))));
    }
    for (PeerMeshNode member : members) {
      await().atMost(TestNodes.DEADLINE)
          .until(() -> Scrape.now(member.httpAddress()).value("peermesh_cluster_peers") == 2);
      assertEquals(1, Scrape.now(member.httpAddress()).value("peermesh_peers", "protocol", "mesh",
          "direction", "inbound", "state", "connected"));
    }
  }
}
