package org.peermesh.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchReportTest {

  @Test
  void medianMinAndMaxOfTheRounds() {
    Figure odd = Figure.rate("a", "msg/s", new double[] {5, 1, 3});
    assertEquals(3, odd.median());
    assertEquals(1, odd.min());
    assertEquals(5, odd.max());
    assertEquals(2.5, Figure.rate("b", "msg/s", new double[] {4, 1, 3, 2}).median());
  }

  @Test
  void ratioSaysHowManyTimesBetterPeerMeshIs() {
    BenchReport report = new BenchReport();
    report.add(Figure.rate("stream", "msg/s", new double[] {50}).against("stream-baseline"));
    report.add(Figure.rate("stream-baseline", "msg/s", new double[] {100}));
    report.add(Figure.latency("request-1-p50", "us", new double[] {100}));
    report.add(Figure.latency("lisk-request-1-p50", "us", new double[] {200}).beneath("request-1-p50"));
    report.add(Figure.rate("lisk-stream", "msg/s", new double[] {10}).beneath("stream"));

    JsonObject stream = row(report, "stream");
    assertEquals(0.5, stream.getDouble("ratio"));
    assertEquals(new JsonObject().put("name", "stream-baseline").put("median", 100.0), stream.getJsonObject("baseline"));
    assertNull(row(report, "stream-baseline").getValue("baseline"));
    // A foreign figure's ratio is PeerMesh's figure over it: a latency half as long, a rate five times higher.
    assertEquals(2.0, row(report, "lisk-request-1-p50").getDouble("ratio"));
    assertEquals(5.0, row(report, "lisk-stream").getDouble("ratio"));
    assertEquals(5, report.toJson().getJsonArray("scenarios").size());
  }

  @Test
  void aFigureIsReportedOnce() {
    BenchReport report = new BenchReport();
    report.add(Figure.rate("stream", "msg/s", new double[] {1}));
    assertThrows(IllegalStateException.class, () -> report.add(Figure.rate("stream", "msg/s", new double[] {2})));
  }

  @Test
  void optionsAreCheckedAndQuickShrinksTheRun() {
    BenchOptions quick = new BenchOptions().setQuick(true);
    assertEquals(BenchOptions.QUICK_ROUNDS, quick.rounds());
    assertEquals(BenchOptions.QUICK_SECONDS, quick.seconds());
    assertEquals(List.of(16), quick.peerCounts(List.of(16, 1000), List.of(16)));
    assertEquals(List.of(16, 1000), new BenchOptions().peerCounts(List.of(16, 1000), List.of(16)));
    assertEquals(List.of(7), quick.setPeers(7).peerCounts(List.of(16, 1000), List.of(16)));
    assertEquals(7, quick.setRounds(7).rounds(), "a round count given wins over quick's");
    assertThrows(IllegalArgumentException.class, () -> new BenchOptions().setRounds(0));
    assertThrows(IllegalArgumentException.class, () -> new BenchOptions().setSeconds(0));
    assertThrows(IllegalArgumentException.class, () -> new BenchOptions().setPayload(1), "no JSON string is 1 byte");
  }

  @Test
  void onlyKnownScenariosAreChosen() {
    Bench bench = Bench.standard();
    assertEquals(List.of("request", "stream"), bench.chosen(new BenchOptions().setScenarios(List.of("request", "stream")))
        .stream().map(Scenario::name).toList());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> bench.chosen(new BenchOptions().setScenarios(List.of("strem"))));
    assertTrue(unknown.getMessage().contains("'strem'"), unknown.getMessage());
  }

  private static JsonObject row(BenchReport report, String name) {
    return report.toJson().getJsonArray("scenarios").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("name").equals(name)).findFirst().orElseThrow();
  }
}
