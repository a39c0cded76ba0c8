package org.peermesh.examples;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.PeerEvent;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.node.PeerMeshVerticle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Two nodes in one JVM, deployed as verticles: b connects to a, says hello and asks a for its height. */
public final class ReadmeJavaExample {

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    run(vertx, Files.createTempDirectory("peermesh"), System.out::println)
        .onComplete(height -> vertx.close());
  }

  /** Completes with a's answer to b's request, once both nodes are undeployed. */
  public static Future<Object> run(Vertx vertx, Path dataDir, Consumer<String> out) {
    PeerMeshVerticle a = new PeerMeshVerticle();
    return vertx.deployVerticle(a, new DeploymentOptions().setConfig(config("a", dataDir, new JsonArray())))
        .compose(aId -> {
          PeerMeshNode nodeA = a.node();
          // Messages from peers, by event name; requests from peers, by procedure name.
          vertx.eventBus().<JsonObject>consumer(nodeA.addresses().message("chat"),
              m -> out.accept(m.body().getString("peerId") + " says " + m.body().getValue("data")));
          vertx.eventBus().<JsonObject>consumer(nodeA.addresses().rpc("height"), m -> m.reply(42));

          Promise<Void> connected = Promise.promise();
          vertx.eventBus().consumer(new BusAddresses("b").event(PeerEvent.CONNECT_OUTBOUND),
              m -> connected.tryComplete());
          PeerMeshVerticle b = new PeerMeshVerticle();
          JsonArray connect = new JsonArray().add(nodeA.listenAddress().toJson());
          return vertx.deployVerticle(b, new DeploymentOptions().setConfig(config("b", dataDir, connect)))
              .compose(bId -> connected.future()
                  .compose(v -> {
                    PeerMeshNode nodeB = b.node();
                    nodeB.send("chat", new JsonObject().put("text", "hello"));  // up to 16 peers chosen by selection
                    nodeB.broadcast("chat", "to everyone");                       // every connected peer
                    return nodeB.request("height", null);                         // one peer answers
                  })
                  .onSuccess(height -> out.accept("a's height: " + height))
                  .eventually(() -> vertx.undeploy(bId)))
              .eventually(() -> vertx.undeploy(aId));
        });
  }

  /** A node's config, the same JSON as a config file: on 127.0.0.1, a port the system picks, dialing connect. */
  private static JsonObject config(String busPrefix, Path dataDir, JsonArray connect) {
    return new JsonObject()
        .put("busPrefix", busPrefix)
        .put("dataDir", dataDir.resolve(busPrefix).toString())
        .put("mesh", new JsonObject()
            .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("connect", connect));
  }
}
