package org.peermesh.mesh;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.PeerInfo;
import org.peermesh.testing.Interop;
import org.peermesh.testing.TestNodes;
import org.peermesh.testing.bitcoin.Microsocks;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The mesh's {@code proxy} key: a node dials its peers through a real SOCKS5 server (Debian's microsocks). */
@Interop
@ExtendWith(VertxExtension.class)
class MeshProxyTest {

  /** Where microsocks's own connections come from: an address no node here uses, so a peer shows the proxy. */
  private static final String PROXY_EGRESS = "127.0.0.5";

  @Test
  void aNodeWithAProxyDialsItsPeersThroughIt(Vertx vertx, @TempDir Path dir) {
    try (TestNodes nodes = new TestNodes(vertx, dir); Microsocks socks = Microsocks.start(PROXY_EGRESS)) {
      PeerMeshNode a = nodes.start();
      PeerMeshNode b = nodes.start(nodes.options(mesh -> mesh
          .setSeedPeers(List.of(a.listenAddress()))
          .setProxy(new PeerAddress(socks.host(), socks.port()))));
      TestNodes.awaitConnected(a, b);
      TestNodes.awaitConnected(b, a);
      PeerInfo seenByA = TestNodes.await(a.getConnectedPeers()).stream()
          .filter(peer -> peer.peerId().equals(b.peerId())).findFirst().orElseThrow();
      assertEquals(PROXY_EGRESS, seenByA.host());
    }
  }
}
