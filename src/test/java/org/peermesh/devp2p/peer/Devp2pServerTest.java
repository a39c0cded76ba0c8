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
}
