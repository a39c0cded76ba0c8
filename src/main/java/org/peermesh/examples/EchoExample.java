package org.peermesh.examples;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.peermesh.node.PeerMeshNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * lisk-p2p's echo example: three nodes connect to each other, each says "hi" to all, and each answers every "hi"
 * with "hi back". It ends when every node has heard "hi" and "hi back" from both others.
 */
public final class EchoExample {

  /** What each node heard: peer ids that said "hi" to it, and that answered its own "hi". */
  public record Heard(String peerId, List<String> hiFrom, List<String> hiBackFrom) {
  }

  private EchoExample() {
  }

  public static Future<List<Heard>> run(Vertx vertx, Path dataDir, Consumer<String> out) {
    return ExampleMesh.start(vertx, "echo", 3, dataDir, i -> new JsonObject().put("module", "greet"))
        .compose(mesh -> greet(vertx, mesh, out).eventually(mesh::stop));
  }

  private static Future<List<Heard>> greet(Vertx vertx, ExampleMesh mesh, Consumer<String> out) {
    Promise<List<Heard>> done = Promise.promise();
    Map<String, Heard> heard = new ConcurrentHashMap<>();
    int others = mesh.nodes().size() - 1;
    for (PeerMeshNode node : mesh.nodes()) {
      Heard mine = new Heard(node.peerId(), new ArrayList<>(), new ArrayList<>());
      heard.put(node.peerId(), mine);
      vertx.eventBus().<JsonObject>consumer(node.addresses().message("greet"), message -> {
        String from = message.body().getString("peerId");
        String greeting = message.body().getJsonObject("data").getString("greet");
        out.accept("node " + ExampleMesh.shortId(node.peerId()) + " received \"" + greeting + "\" from "
            + ExampleMesh.shortId(from));
        synchronized (mine) {
          if ("hi".equals(greeting)) {
            mine.hiFrom().add(from);
            node.sendToPeer(from, "greet", new JsonObject().put("greet", "hi back"));
          } else {
            mine.hiBackFrom().add(from);
          }
        }
        boolean everyoneHeardAll = heard.values().stream().allMatch(h -> {
          synchronized (h) {
            return h.hiFrom().size() == others && h.hiBackFrom().size() == others;
          }
        });
        if (everyoneHeardAll) {
          done.tryComplete(List.copyOf(heard.values()));
        }
      });
    }
    mesh.whenMeshed(vertx).onSuccess(meshed ->
        mesh.nodes().forEach(node -> node.broadcast("greet", new JsonObject().put("greet", "hi"))));
    return done.future();
  }
}
