package org.peermesh.antelope.peer;

import org.junit.jupiter.api.Test;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The Antelope configs in conf/ load, with every key checked, and say what the README says they do. */
class AntelopeConfFilesTest {

  private static AntelopeOptions antelope(String file) {
    NodeOptions options = NodeOptions.fromFile(Path.of("conf", file));
    assertNull(options.getMesh(), "the mesh protocol is off");
    return (AntelopeOptions) options.getProtocols().get(AntelopeProtocol.NAME);
  }

  @Test
  void jungle4FollowsAPublicPeerFromItsHead() {
    AntelopeOptions jungle = antelope("antelope-jungle4.json");
    assertEquals("73e4385a2708e6d7048834fbc1079f2fabb17b3c125b146af438971e90716c4d", jungle.getChainId());
    assertEquals(1, jungle.getConnect().size());
    assertEquals(AntelopeOptions.SYNC_FROM_HEAD, jungle.getSyncFrom());
    assertNull(jungle.getListen());
  }

  @Test
  void theLocalRelayListensOnLoopbackForSeveralClients() {
    AntelopeOptions local = antelope("antelope-local.json");
    assertEquals(new PeerAddress("127.0.0.1", 9876), local.getListen());
    assertEquals(List.of(), local.getConnect());
    assertEquals(8, local.getMaxClientsPerHost());
    assertEquals(AntelopeOptions.AllowedConnection.ANY, local.getAllowedConnection());
  }
}
