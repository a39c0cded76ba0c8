package org.peermesh.examples;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.PeerEvent;
import org.peermesh.peer.PeerInfo;
import org.peermesh.node.PeerMeshNode;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * lisk-p2p's find-city game on three nodes. Each node starts in a random city, kept in its nodeInfo, and keeps
 * telling its peers where it is. A node told of another city moves there half of the time (applyNodeInfo, which
 * pushes the move to its peers), so the nodes drift together. The game ends when all three are in one city and
 * each node's peers show that city in the nodeInfo it received from them.
 */
public final class FindCityExample {

  static final List<String> CITIES = List.of("Aberdeen", "Abilene", "Akron", "Albany", "Albuquerque", "Alexandria",
      "Jefferson", "Jersey City", "Manchester", "Marina", "Marysville", "McAllen", "McHenry", "Medford", "Melbourne",
      "Murfreesboro", "Murrieta", "Muskegon", "Myrtle Beach", "Naperville", "Naples", "Nashua", "Nashville",
      "New Bedford", "New Haven", "New London", "New Orleans", "New York", "Victorville", "Virginia Beach", "Visalia",
      "Waco", "Warren", "Washington", "West Valley City", "Wilmington", "Winston", "Winter Haven", "Worcester", "York",
      "Youngstown");

  /** Where the game ended and how many moves it took. */
  public record Outcome(String city, int moves) {
  }

  private FindCityExample() {
  }

  public static Future<Outcome> run(Vertx vertx, Path dataDir, long tellIntervalMs, Consumer<String> out) {
    return ExampleMesh.start(vertx, "city", 3, dataDir, i -> new JsonObject().put("module", "city").put("city", randomCity()))
        .compose(mesh -> play(vertx, mesh, tellIntervalMs, out).eventually(mesh::stop));
  }

  private static Future<Outcome> play(Vertx vertx, ExampleMesh mesh, long tellIntervalMs, Consumer<String> out) {
    Promise<Outcome> found = Promise.promise();
    AtomicInteger moves = new AtomicInteger();
    AtomicInteger movesInFlight = new AtomicInteger();
    for (PeerMeshNode node : mesh.nodes()) {
      out.accept("node " + ExampleMesh.shortId(node.peerId()) + " starts in " + city(node.nodeInfo()));
      vertx.eventBus().<JsonObject>consumer(node.addresses().message("randomWorld"), message -> {
        String told = message.body().getJsonObject("data").getString("city");
        synchronized (found) {
          String mine = city(node.nodeInfo());
          // Once found, nobody moves: a message sent before the game ended must not undo it.
          if (!found.future().isComplete() && !told.equals(mine) && ThreadLocalRandom.current().nextBoolean()) {
            moves.incrementAndGet();
            movesInFlight.incrementAndGet();
            out.accept("node " + ExampleMesh.shortId(node.peerId()) + " moves from " + mine + " to " + told);
            node.applyNodeInfo(node.nodeInfo().put("city", told)).onComplete(applied -> {
              movesInFlight.decrementAndGet();
              checkFound(mesh, moves, movesInFlight, found);
            });
          }
        }
      });
      vertx.eventBus().consumer(node.addresses().event(PeerEvent.UPDATED_PEER_INFO),
          update -> checkFound(mesh, moves, movesInFlight, found));
    }
    long teller = vertx.setPeriodic(tellIntervalMs, t -> mesh.nodes().forEach(node ->
        node.send("randomWorld", new JsonObject().put("city", city(node.nodeInfo())))));
    mesh.whenMeshed(vertx).onSuccess(v -> checkFound(mesh, moves, movesInFlight, found));
    return found.future().onComplete(done -> vertx.cancelTimer(teller)).onSuccess(outcome ->
        out.accept("all nodes are in " + outcome.city() + " after " + outcome.moves() + " moves"));
  }

  /** Found when no move is still being applied and every node, and what its peers know of it, is in one city. */
  private static void checkFound(ExampleMesh mesh, AtomicInteger moves, AtomicInteger movesInFlight,
                                 Promise<Outcome> found) {
    synchronized (found) {
      if (movesInFlight.get() == 0) {
        checkFoundLocked(mesh, moves, found);
      }
    }
  }

  private static void checkFoundLocked(ExampleMesh mesh, AtomicInteger moves, Promise<Outcome> found) {
    String city = city(mesh.nodes().get(0).nodeInfo());
    for (PeerMeshNode node : mesh.nodes()) {
      if (!city.equals(city(node.nodeInfo()))) {
        return;
      }
      List<PeerInfo> peers = node.getConnectedPeers().result();
      if (peers.size() != mesh.nodes().size() - 1 || !peers.stream().allMatch(p -> city.equals(city(p.nodeInfo())))) {
        return;
      }
    }
    found.tryComplete(new Outcome(city, moves.get()));
  }

  private static String city(JsonObject nodeInfo) {
    return nodeInfo.getString("city");
  }

  private static String randomCity() {
    return CITIES.get(ThreadLocalRandom.current().nextInt(CITIES.size()));
  }
}
