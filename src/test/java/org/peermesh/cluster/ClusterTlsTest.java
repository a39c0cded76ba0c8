package org.peermesh.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.BusAddresses;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestCluster;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.peermesh.testing.TestNodes.DEADLINE;

/** The event bus between members over TLS with client authentication, from PEM files named in the config. */
class ClusterTlsTest {

  private Vertx vertx;
  private TestNodes remotes;
  private TestCluster cluster;
  private SelfSignedCertificate certificate;

  @AfterEach
  void tearDown() {
    remotes.close();
    cluster.close();
    TestNodes.await(vertx.close());
    certificate.delete();
  }

  @Test
  void membersAndServicesWithTheClusterCertificateTalkAndAPlainJvmIsRefused(@TempDir Path dir) {
    vertx = Vertx.vertx();
    remotes = new TestNodes(vertx, dir.resolve("remotes"));
    cluster = new TestCluster(dir.resolve("cluster"), 2);
    certificate = SelfSignedCertificate.create("localhost");
    ClusterOptions tls = new ClusterOptions().setSyncInterval(1_000).setTls(new ClusterOptions.Tls(
        certificate.certificatePath(), certificate.privateKeyPath(), certificate.certificatePath()));
    PeerMeshNode member = cluster.startMember(TestNodes.withMesh(cluster.memberOptions().setCluster(tls), mesh -> mesh
        .setMaxOutbound(0)));
    PeerMeshNode remote = remotes.start(remotes.options(mesh -> mesh
        .setMaxOutbound(0)
        .setConnect(List.of(member.listenAddress()))));
    await().atMost(DEADLINE).until(() -> TestNodes.await(member.getConnectedPeers()).size() == 1);
    BusAddresses addresses = new BusAddresses(TestCluster.PREFIX);

    Vertx trusted = cluster.join(tls);
    JsonObject peers = TestNodes.await(trusted.eventBus().<JsonObject>request(addresses.peers(), new JsonObject()))
        .body();
    assertEquals(remote.peerId(), peers.getJsonArray("connected").getJsonObject(0).getString("peerId"));

    // A JVM that joined Hazelcast but has no certificate cannot reach the members' event bus.
    Vertx plain = cluster.join(new ClusterOptions());
    Throwable refused = TestNodes.awaitFailure(plain.eventBus().request(addresses.peers(), new JsonObject(),
        new DeliveryOptions().setSendTimeout(3_000)));
    assertNotNull(refused);
  }
}
