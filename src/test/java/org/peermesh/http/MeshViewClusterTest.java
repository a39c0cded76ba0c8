package org.peermesh.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestCluster;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mesh view of one member of a clustered node: the cluster's members, this member among them, and which member
 * holds each peer, with counters for this member's own.
 */
class MeshViewClusterTest {

  private TestCluster cluster;
  private Vertx outside;
  private TestNodes peers;
  private ViewBridgeClient bridge;

  @BeforeEach
  void setUp(@TempDir Path dir) {
    cluster = new TestCluster(dir.resolve("cluster"), 2);
    outside = Vertx.vertx();
    peers = new TestNodes(outside, dir.resolve("peers"));
  }

  @AfterEach
  void tearDown() {
    if (bridge != null) {
      bridge.close();
    }
    peers.close();
    TestNodes.await(outside.close());
    cluster.close();
  }

  private static Optional<JsonObject> peer(JsonObject snapshot, String peerId) {
    return snapshot.getJsonArray("peers").stream().map(JsonObject.class::cast)
        .filter(peer -> peerId.equals(peer.getString("peerId"))).findFirst();
  }

  @Test
  void theViewShowsTheMembersAndWhichMemberHoldsEachPeer() {
    PeerMeshNode watched = cluster.startMember(cluster.memberOptions().setHttp(new HttpOptions().setPort(0)));
    PeerMeshNode other = cluster.startMember(cluster.memberOptions());
    PeerMeshNode ours = peers.start(peers.options(mesh -> mesh.setSeedPeers(List.of(watched.listenAddress()))));
    PeerMeshNode theirs = peers.start(peers.options(mesh -> mesh.setSeedPeers(List.of(other.listenAddress()))));

    bridge = ViewBridgeClient.connect(cluster.vertxOf(watched), watched.httpAddress(), null);
    bridge.register(watched.addresses().viewSnapshot());
    JsonObject snapshot = bridge.nextOn(watched.addresses().viewSnapshot(), s ->
        s.getJsonObject("cluster").getJsonArray("members").size() == 2
            && peer(s, ours.peerId()).filter(p -> p.containsKey("traffic")).isPresent()
            && peer(s, theirs.peerId()).isPresent());

    List<Object> members = snapshot.getJsonObject("cluster").getJsonArray("members").getList();
    String self = snapshot.getJsonObject("node").getString("member");
    assertTrue(members.contains(self), snapshot::encode);
    assertEquals(watched.peerId(), snapshot.getJsonObject("node").getString("peerId"));

    JsonObject local = peer(snapshot, ours.peerId()).orElseThrow();
    assertEquals(self, local.getString("member"));
    assertEquals("connected", local.getString("state"));
    assertTrue(local.getJsonObject("traffic").getLong("bytesIn") > 0, local::encode);

    JsonObject elsewhere = peer(snapshot, theirs.peerId()).orElseThrow();
    assertNotEquals(self, elsewhere.getString("member"));
    assertTrue(members.contains(elsewhere.getString("member")), snapshot::encode);
    assertEquals("connected", elsewhere.getString("state"));
    assertFalse(elsewhere.containsKey("traffic"), "another member's peer has its counters there: " + elsewhere);
  }
}
