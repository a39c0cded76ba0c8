package org.peermesh.http;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestCluster;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.peermesh.http.NodeHealthTest.check;
import static org.peermesh.http.NodeHealthTest.get;

/** {@code /health} of a node clustered over two JVMs: the cluster check, and peers counted across the members. */
class ClusterHealthTest {

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
  void eachMemberSeesTheClusterAndCountsTheWholeNodesPeers(@TempDir Path dir) throws Exception {
    cluster = new TestCluster(dir.resolve("cluster"), 2);
    List<PeerMeshNode> members = cluster.startMembers(
        cluster.memberOptions(mesh -> mesh.setMaxOutbound(0))
            .setHttp(new HttpOptions().setPort(0).setMinPeers(Map.of("mesh", 2))),
        cluster.memberOptions(mesh -> mesh.setMaxOutbound(0))
            .setHttp(new HttpOptions().setPort(0).setMinPeers(Map.of("mesh", 2))));

    for (PeerMeshNode member : members) {
      NodeHealthTest.Answer alone = get(member.httpAddress(), HttpEndpoint.HEALTH_PATH);
      assertEquals(503, alone.status(), alone.body().encode());
      assertEquals("UP", check(alone, NodeHealth.CLUSTER).getString("status"));
      assertEquals(2, check(alone, NodeHealth.CLUSTER).getJsonObject("data").getInteger("members"));
    }

    // One outside peer on each member: each member alone holds one, the node holds two.
    vertx = Vertx.vertx();
    remotes = new TestNodes(vertx, dir.resolve("remotes"));
    for (PeerMeshNode member : members) {
      remotes.start(remotes.options(mesh -> mesh.setMaxOutbound(0).setConnect(List.of(member.listenAddress()))));
    }
    for (PeerMeshNode member : members) {
      await().atMost(TestNodes.DEADLINE)
          .until(() -> get(member.httpAddress(), HttpEndpoint.HEALTH_PATH).status() == 200);
      NodeHealthTest.Answer ready = get(member.httpAddress(), HttpEndpoint.HEALTH_PATH);
      assertEquals(2, check(ready, NodeHealth.PEERS).getJsonObject("data").getJsonObject("mesh")
          .getInteger("connected"), ready.body().encode());
    }
  }
}
