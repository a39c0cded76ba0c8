package org.peermesh.devp2p.peer;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.net.PeerAddress;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.awaitility.Awaitility.await;
import static org.peermesh.testing.TestNodes.await;

/** Two Java devp2p servers over loopback: the seed's MyProtocol, foo answered with bar. */
class Devp2pServerTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  @Test
  void myProtocolAnswersFooWithBar(@TempDir Path a, @TempDir Path b) {
    List<String> answers = new CopyOnWriteArrayList<>();
    Devp2pProtocol server = Devp2pProtocol.of("MyProtocol", 1, 1, (peer, rw) -> rw.handler(msg -> {
      if (msg.decodeList().string(0, "word").asString("word").equals("foo")) {
        rw.sendItems(0, "bar");
      }
    }));
    Devp2pProtocol client = Devp2pProtocol.of("MyProtocol", 1, 1, (peer, rw) -> {
      rw.handler(msg -> answers.add(msg.decodeList().string(0, "word").asString("word")));
      rw.sendItems(0, "foo");
    });
    Devp2pServer listening = await(Devp2pServer.create(vertx, new Devp2pOptions().setName("listening")
        .setListen(new PeerAddress("127.0.0.1", 0)), a, server).start());
    Devp2pServer dialing = await(Devp2pServer.create(vertx, new Devp2pOptions().setName("dialing"), b, client)
        .start());
    JsonObject peer = await(dialing.connect(listening.enode()));
    assertEquals(listening.id().hex(), peer.getString("id"));
    assertEquals("listening", peer.getString("clientId"));
    await().until(() -> !answers.isEmpty());
    assertEquals(List.of("bar"), answers);
  }

  /**
   * Discovery feeds the dialer: a node given another's enode URL as its only bootnode proves it over discv4, then
   * dials it over RLPx (or is dialed by it, which found it too), and the two run MyProtocol.
   */
  @Test
  void aNodeFoundByDiscoveryIsDialed(@TempDir Path a, @TempDir Path b) {
    List<String> heard = new CopyOnWriteArrayList<>();
    Devp2pProtocol listener = Devp2pProtocol.of("MyProtocol", 1, 1, (peer, rw) -> rw.handler(msg ->
        heard.add(peer.clientId() + ": " + msg.decodeList().string(0, "word").asString("word"))));
    Devp2pProtocol greeter = Devp2pProtocol.of("MyProtocol", 1, 1, (peer, rw) -> rw.sendItems(0, "found you"));
    Devp2pServer bootnode = await(Devp2pServer.create(vertx, new Devp2pOptions().setName("bootnode")
        .setListen(new PeerAddress("127.0.0.1", 0)).setDiscovery(new Devp2pOptions.DiscoveryOptions().setPort(0)),
        a, "bootnode", List.of(listener)).start());
    int udpPort = bootnode.nodeInfo().getJsonObject("discovery").getInteger("udpPort");
    String bootnodeUrl = bootnode.enode() + "?discport=" + udpPort;
    Devp2pServer joiner = await(Devp2pServer.create(vertx, new Devp2pOptions().setName("joiner").setMaxPeers(3)
        .setListen(new PeerAddress("127.0.0.1", 0)).setDiscovery(new Devp2pOptions.DiscoveryOptions().setPort(0))
        .setBootnodes(List.of(bootnodeUrl)), b, "joiner", List.of(greeter)).start());
    await().until(() -> !heard.isEmpty());
    assertEquals(List.of("joiner: found you"), heard);
    // Each finds the other and may dial it: whichever connection won, it is the only one.
    await().until(() -> joiner.peers().size() == 1 && joiner.peers().get(0).containsKey("id"));
    assertEquals(bootnode.id().hex(), joiner.peers().get(0).getString("id"));
  }
}
