package org.peermesh.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.PeerEvent;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.PeerInfo;
import org.peermesh.testing.TestCluster;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.TestNodes.DEADLINE;

/** One connection per remote peer across the members, and claims that heal after the shared map lost its way. */
class ClusterClaimsTest {

  private Vertx vertx;
  private TestNodes remotes;
  private TestCluster cluster;

  @BeforeEach
  void setUp(@TempDir Path dir) {
    vertx = Vertx.vertx();
    remotes = new TestNodes(vertx, dir.resolve("remotes"));
    cluster = new TestCluster(dir.resolve("cluster"), 2);
  }

  @AfterEach
  void tearDown() {
    remotes.close();
    cluster.close();
    TestNodes.await(vertx.close());
  }

  private static long connectionsTo(PeerMeshNode remote, String nodeId) {
    return TestNodes.await(remote.getConnectedPeers()).stream().filter(p -> p.peerId().equals(nodeId)).count();
  }

  private static void awaitListedOnce(PeerMeshNode member, PeerMeshNode remote) {
    await().atMost(DEADLINE).until(() -> TestNodes.await(member.getConnectedPeers()).stream()
        .filter(p -> p.peerId().equals(remote.peerId())).count() == 1);
  }

  @Test
  void twoMembersThatDialTheSamePeerAtOnceHoldOneConnection() {
    PeerMeshNode remote = remotes.start(remotes.options(mesh -> mesh.setMaxOutbound(0)));
    List<JsonObject> admitted = remotes.events(remote, PeerEvent.NEW_INBOUND_PEER);
    List<PeerMeshNode> members = cluster.startMembers(
        cluster.memberOptions(mesh -> mesh.setMaxOutbound(0).setConnect(List.of(remote.listenAddress()))),
        cluster.memberOptions(mesh -> mesh.setMaxOutbound(0).setConnect(List.of(remote.listenAddress()))));

    members.forEach(member -> awaitListedOnce(member, remote));
    assertEquals(1, connectionsTo(remote, members.get(0).peerId()));
    assertEquals(1, admitted.size(), "the remote peer never admitted a second connection: " + admitted);
  }

  @Test
  void aPeerThatDialsTwoMembersIsHeldByOneAndRefusedByTheOther() {
    List<PeerMeshNode> members = cluster.startMembers(
        cluster.memberOptions(mesh -> mesh.setMaxOutbound(0)), cluster.memberOptions(mesh -> mesh.setMaxOutbound(0)));
    var options = remotes.options(mesh -> mesh
        .setMaxOutbound(0)
        .setConnect(members.stream().map(PeerMeshNode::listenAddress).toList()));
    List<JsonObject> aborted = remotes.events(options, PeerEvent.CONNECT_ABORT_OUTBOUND);
    PeerMeshNode remote = remotes.start(options);

    members.forEach(member -> awaitListedOnce(member, remote));
    await().atMost(DEADLINE).until(() -> !aborted.isEmpty());
    assertEquals(1, connectionsTo(remote, members.get(0).peerId()));
    assertEquals(DisconnectReason.DUPLICATE_CONNECTION.code(), aborted.get(0).getInteger("code"), aborted.get(0).encode());
  }

  @Test
  void claimsOfAMemberThatIsGoneAreSweptAndTheLostClaimsOfLivePeersRestored() {
    PeerMeshNode member = cluster.startMember(cluster.memberOptions(mesh -> mesh.setMaxOutbound(0)));
    PeerMeshNode remote = remotes.start(remotes.options(mesh -> mesh
        .setMaxOutbound(0)
        .setConnect(List.of(member.listenAddress()))));
    awaitListedOnce(member, remote);
    Vertx service = cluster.join(new ClusterOptions());
    BusAddresses addresses = new BusAddresses(TestCluster.PREFIX);
    List<JsonObject> removed = new CopyOnWriteArrayList<>();
    TestNodes.await(service.eventBus().<JsonObject>consumer(addresses.event(PeerEvent.REMOVE_PEER),
        m -> removed.add(m.body())).completion());
    List<JsonObject> connected = new CopyOnWriteArrayList<>();
    TestNodes.await(service.eventBus().<JsonObject>consumer(addresses.event(PeerEvent.NEW_INBOUND_PEER),
        m -> connected.add(m.body())).completion());
    AsyncMap<String, String> claims = TestNodes.await(service.sharedData()
        .<String, String>getAsyncMap(ClusterPeerDirectory.claimsMap(addresses)));

    // What a healed partition can leave behind: a claim of a member no longer in the cluster, and a lost claim.
    String holder = TestNodes.await(claims.get(remote.peerId()));
    TestNodes.await(claims.put("stale-peer", "member-that-left"));
    TestNodes.await(claims.remove(remote.peerId()));

    await().atMost(DEADLINE).until(() -> TestNodes.await(claims.get("stale-peer")) == null
        && holder.equals(TestNodes.await(claims.get(remote.peerId()))));
    await().atMost(DEADLINE).until(() -> removed.stream().anyMatch(e -> "stale-peer".equals(e.getString("peerId"))));
    await().atMost(DEADLINE).until(() -> connected.stream().anyMatch(e -> remote.peerId().equals(e.getString("peerId"))
        && e.getBoolean("restored", false)));
    List<PeerInfo> listed = TestNodes.await(member.getConnectedPeers());
    assertEquals(List.of(remote.peerId()), listed.stream().map(PeerInfo::peerId).toList());
  }

  @Test
  void aMemberWithAnotherNodeKeyIsRefused(@TempDir Path other) {
    PeerMeshNode member = cluster.startMember(cluster.memberOptions());
    PeerMeshNode stranger = PeerMeshNode.create(cluster.join(new ClusterOptions()),
        cluster.memberOptions().setKeyFile(other.resolve("other.key").toString()));
    Throwable refused = TestNodes.awaitFailure(stranger.start());
    assertTrue(refused.getMessage().contains("but the node on bus prefix '" + TestCluster.PREFIX + "' in this cluster is "
        + member.peerId()), refused.getMessage());
    assertFalse(stranger.isActive());
  }

  @Test
  void whenTheMemberHoldingAPeerLeavesAnotherMemberDialsItIntoAFreeOutboundSlot() {
    PeerMeshNode remote = remotes.start(remotes.options(mesh -> mesh.setMaxOutbound(0)));
    List<JsonObject> admitted = remotes.events(remote, PeerEvent.NEW_INBOUND_PEER);
    PeerMeshNode holder = cluster.startMember(cluster.memberOptions(mesh -> mesh
        .setMaxOutbound(1)
        .setSeedPeers(List.of(remote.listenAddress()))));
    awaitListedOnce(holder, remote);
    PeerMeshNode survivor = cluster.startMember(cluster.memberOptions(mesh -> mesh
        .setMaxOutbound(1)
        .setSeedPeers(List.of(remote.listenAddress()))
        .setPopulatorInterval(200)
        .setFallbackSeedPeerDiscoveryInterval(200)));
    awaitListedOnce(survivor, remote);
    assertEquals(1, admitted.size(), "the survivor left the peer to the member holding it: " + admitted);

    TestNodes.await(holder.stop());
    await().atMost(DEADLINE).until(() -> admitted.size() == 2);
    awaitListedOnce(survivor, remote);
    List<PeerInfo> held = TestNodes.await(remote.getConnectedPeers());
    assertEquals(1, held.size());
    assertEquals(survivor.listenAddress().port(), held.get(0).port(), "the peer is now held by the survivor");
  }
}
