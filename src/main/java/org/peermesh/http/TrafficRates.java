package org.peermesh.http;

import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rates of each peer's traffic between two snapshots of the mesh view: its counters now against those of the
 * previous snapshot that had the peer. Only the peers of the latest snapshot are kept, so this holds no more than one
 * snapshot's worth.
 */
final class TrafficRates {

  /** The counters of {@link org.peermesh.peer.PeerConnection#traffic()} that get a rate. */
  static final List<String> COUNTERS = List.of("bytesIn", "bytesOut", "framesIn", "framesOut");
  /** What a counter's rate is called: {@code bytesInPerSecond}. */
  static final String RATE_SUFFIX = "PerSecond";

  private record Sample(long atNanos, JsonObject traffic) {
  }

  private Map<String, Sample> previous = new HashMap<>();

  /**
   * Adds to each peer's counters, by key, their rates per second since the previous call that had the peer: none for
   * a peer seen first, or whose counters went back (a new connection under the same name). Forgets the peers not
   * given.
   */
  Map<String, JsonObject> next(Map<String, JsonObject> trafficByPeer, long nowNanos) {
    Map<String, Sample> current = new HashMap<>();
    Map<String, JsonObject> rated = new HashMap<>();
    trafficByPeer.forEach((peer, traffic) -> {
      JsonObject out = new JsonObject();
      COUNTERS.forEach(counter -> out.put(counter, traffic.getLong(counter, 0L)));
      Sample before = previous.get(peer);
      if (before != null && nowNanos > before.atNanos() && COUNTERS.stream()
          .allMatch(counter -> out.getLong(counter) >= before.traffic().getLong(counter))) {
        double seconds = (nowNanos - before.atNanos()) / 1e9;
        COUNTERS.forEach(counter -> out.put(counter + RATE_SUFFIX,
            Math.round((out.getLong(counter) - before.traffic().getLong(counter)) / seconds * 10) / 10.0));
      }
      current.put(peer, new Sample(nowNanos, out.copy()));
      rated.put(peer, out);
    });
    previous = current;
    return rated;
  }

  /** Forgets every peer: nobody watches, and the next rates start afresh. */
  void clear() {
    previous = new HashMap<>();
  }
}
