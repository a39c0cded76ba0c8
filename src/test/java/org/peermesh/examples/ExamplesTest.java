package org.peermesh.examples;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The examples the CLI runs, run here the same way, asserting on what each node heard. */
@ExtendWith(VertxExtension.class)
class ExamplesTest {

  @Test
  void echoEveryNodeHearsHiAndHiBackFromBothOthers(Vertx vertx, @TempDir Path dir) {
    List<String> lines = new CopyOnWriteArrayList<>();
    List<EchoExample.Heard> heard = TestNodes.await(EchoExample.run(vertx, dir, lines::add));
    assertEquals(3, heard.size());
    Set<String> ids = new HashSet<>();
    heard.forEach(h -> ids.add(h.peerId()));
    for (EchoExample.Heard node : heard) {
      Set<String> others = new HashSet<>(ids);
      others.remove(node.peerId());
      assertEquals(others, new HashSet<>(node.hiFrom()), "hi heard by " + node.peerId());
      assertEquals(others, new HashSet<>(node.hiBackFrom()), "hi back heard by " + node.peerId());
      assertEquals(2, node.hiFrom().size());
      assertEquals(2, node.hiBackFrom().size());
    }
    assertEquals(12, lines.stream().filter(l -> l.contains(" received \"hi")).count(), String.join("\n", lines));
  }

  @Test
  void findCityEndsWithAllNodesInOneCity(Vertx vertx, @TempDir Path dir) {
    List<String> lines = new CopyOnWriteArrayList<>();
    FindCityExample.Outcome outcome = TestNodes.await(FindCityExample.run(vertx, dir, 50, lines::add));
    assertTrue(FindCityExample.CITIES.contains(outcome.city()), outcome.city());
    assertEquals(outcome.moves(), lines.stream().filter(l -> l.contains(" moves from ")).count());
    assertTrue(lines.get(lines.size() - 1).startsWith("all nodes are in " + outcome.city()), lines.toString());
  }

  /**
   * The watcher dials after four blocks: it syncs those from the relay with sync_request and gets the other six live,
   * each once, in order, with the ids the feeder built.
   */
  @Test
  void antelopeWatchSeesEveryBlockInOrderOnce(Vertx vertx, @TempDir Path dir) {
    List<String> lines = new CopyOnWriteArrayList<>();
    List<JsonObject> blocks = TestNodes.await(AntelopeWatchExample.run(vertx, dir, lines::add));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L),
        blocks.stream().map(b -> b.getLong("blockNum")).toList());
    for (JsonObject block : blocks) {
      assertEquals(block.getString("id"), block.getJsonObject("message").getString("id"));
    }
    assertEquals(10, lines.stream().filter(l -> l.startsWith("watcher: block #")).count(), String.join("\n", lines));
  }

  /** The seed's MyProtocol: the client's "foo" reaches the server, whose "bar" reaches the client. */
  @Test
  void devp2pMyProtocolAnswersFooWithBar(Vertx vertx, @TempDir Path dir) {
    List<String> lines = new CopyOnWriteArrayList<>();
    assertEquals("bar", TestNodes.await(Devp2pExample.run(vertx, dir, lines::add)));
    assertTrue(lines.stream().anyMatch(l -> l.equals("server: foo from MyProtocol-client")), lines.toString());
    assertTrue(lines.stream().anyMatch(l -> l.equals("client: bar from MyProtocol-server")), lines.toString());
  }
}
