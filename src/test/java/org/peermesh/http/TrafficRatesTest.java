package org.peermesh.http;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The view's traffic rates: counters against the previous snapshot's, per peer. */
class TrafficRatesTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private static JsonObject traffic(long bytesIn, long bytesOut, long framesIn, long framesOut) {
    // queuedBytes and framesSkipped are counters the view does not rate.
    return new JsonObject().put("bytesIn", bytesIn).put("bytesOut", bytesOut).put("framesIn", framesIn)
        .put("framesOut", framesOut).put("queuedBytes", 7).put("framesSkipped", 1);
  }

  @Test
  void aPeerSeenFirstHasItsCountersAndNoRates() {
    JsonObject first = new TrafficRates().next(Map.of("mesh a", traffic(100, 200, 3, 4)), SECOND).get("mesh a");
    assertEquals(new JsonObject().put("bytesIn", 100L).put("bytesOut", 200L).put("framesIn", 3L).put("framesOut", 4L),
        first);
  }

  @Test
  void ratesArePerSecondSinceTheSnapshotBefore() {
    TrafficRates rates = new TrafficRates();
    rates.next(Map.of("mesh a", traffic(100, 200, 3, 4)), SECOND);
    JsonObject second = rates.next(Map.of("mesh a", traffic(2_100, 200, 13, 5)), SECOND + 2 * SECOND).get("mesh a");
    assertEquals(1_000.0, second.getDouble("bytesInPerSecond"));
    assertEquals(0.0, second.getDouble("bytesOutPerSecond"));
    assertEquals(5.0, second.getDouble("framesInPerSecond"));
    assertEquals(0.5, second.getDouble("framesOutPerSecond"));
    assertEquals(2_100L, second.getLong("bytesIn"));
  }

  @Test
  void countersThatWentBackAreANewConnectionWithoutRates() {
    TrafficRates rates = new TrafficRates();
    rates.next(Map.of("mesh a", traffic(5_000, 5_000, 50, 50)), SECOND);
    JsonObject reconnected = rates.next(Map.of("mesh a", traffic(10, 10, 1, 1)), 2 * SECOND).get("mesh a");
    assertFalse(reconnected.containsKey("bytesInPerSecond"), reconnected::encode);
    JsonObject after = rates.next(Map.of("mesh a", traffic(20, 10, 2, 1)), 3 * SECOND).get("mesh a");
    assertEquals(10.0, after.getDouble("bytesInPerSecond"));
  }

  @Test
  void aPeerMissingFromASnapshotIsForgotten() {
    TrafficRates rates = new TrafficRates();
    rates.next(Map.of("mesh a", traffic(100, 100, 1, 1)), SECOND);
    rates.next(Map.of("bitcoin b", traffic(1, 1, 1, 1)), 2 * SECOND);
    JsonObject back = rates.next(Map.of("mesh a", traffic(200, 100, 2, 1)), 3 * SECOND).get("mesh a");
    assertFalse(back.containsKey("bytesInPerSecond"), "rated against a snapshot two back: " + back);
  }

  @Test
  void clearingForgetsEveryPeer() {
    TrafficRates rates = new TrafficRates();
    rates.next(Map.of("mesh a", traffic(100, 100, 1, 1)), SECOND);
    rates.clear();
    assertFalse(rates.next(Map.of("mesh a", traffic(200, 100, 2, 1)), 2 * SECOND).get("mesh a")
        .containsKey("bytesInPerSecond"));
  }
}
