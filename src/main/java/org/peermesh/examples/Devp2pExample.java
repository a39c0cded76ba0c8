package org.peermesh.examples;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.peer.Devp2pOptions;
import org.peermesh.devp2p.peer.Devp2pServer;
import org.peermesh.net.PeerAddress;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The ESC/go-ethereum seed's {@code MyProtocol} (version 1, one message code) on PeerMesh, on 127.0.0.1: a server
 * that answers "foo" with "bar", and a client that dials its enode URL, says "foo" once connected and prints the
 * answer. The protocol is the Go seed's {@code Run} in a few lines of Java.
 */
public final class Devp2pExample {

  /** The seed's sub-protocol, the name, version and length go-ethereum's {@code p2p.Protocol} gives it. */
  static final String NAME = "MyProtocol";

  private Devp2pExample() {
  }

  /** The server's side: answers {@code ["foo"]} with {@code ["bar"]}, as the seed's {@code Run} does. */
  public static Devp2pProtocol myProtocol(Consumer<String> out) {
    return Devp2pProtocol.of(NAME, 1, 1, (peer, rw) -> rw.handler(msg -> {
      String word = msg.decodeList().string(0, "word").asString("word");
      out.accept("server: " + word + " from " + peer.clientId());
      if (word.equals("foo")) {
        rw.sendItems(0, "bar");
      }
    }));
  }

  /** Runs both sides; completes with the client's answer once it has it, after both servers stopped. */
  public static Future<String> run(Vertx vertx, Path dataDir, Consumer<String> out) {
    Promise<String> answer = Promise.promise();
    Devp2pProtocol client = Devp2pProtocol.of(NAME, 1, 1, (peer, rw) -> {
      rw.handler(msg -> {
        String word = msg.decodeList().string(0, "word").asString("word");
        out.accept("client: " + word + " from " + peer.clientId());
        answer.tryComplete(word);
      });
      rw.sendItems(0, "foo");
    });
    Devp2pServer server = Devp2pServer.create(vertx, new Devp2pOptions().setName("MyProtocol-server")
        .setListen(new PeerAddress("127.0.0.1", 0)), dataDir.resolve("server"), "example-server",
        List.of(myProtocol(out)));
    Devp2pServer dialer = Devp2pServer.create(vertx, new Devp2pOptions().setName("MyProtocol-client"),
        dataDir.resolve("client"), "example-client", List.of(client));
    return server.start()
        .compose(s -> {
          out.accept("server " + s.enode());
          return dialer.start();
        })
        .compose(d -> d.connect(server.enode()))
        .compose(peer -> answer.future())
        .eventually(() -> Future.join(dialer.stop(), server.stop()));
  }
}
