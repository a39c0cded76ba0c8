package org.peermesh.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.PeerMetrics;
import org.peermesh.peer.PeerState;

import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One protocol's meters, as the layer's calls move them. */
class ProtocolMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProtocolMetrics metrics = new ProtocolMetrics(new Meters(registry), "echo");

  private double gauge(Direction direction, PeerState state) {
    return registry.get(Metric.PEERS.meterName()).tag(Metric.Tag.PROTOCOL, "echo")
        .tag(Metric.Tag.DIRECTION, direction.jsonName()).tag(Metric.Tag.STATE, state.jsonName()).gauge().value();
  }

  private double count(Metric metric, String... tags) {
    return registry.get(metric.meterName()).tags(tags).counter().count();
  }

  @Test
  void connectionsAreCountedInTheStateTheyAreInUntilTheyClose() {
    metrics.stateChanged(Direction.OUTBOUND, PeerState.CLOSED, PeerState.CONNECTING);
    metrics.stateChanged(Direction.INBOUND, PeerState.CLOSED, PeerState.HANDSHAKING);
    metrics.stateChanged(Direction.INBOUND, PeerState.CLOSED, PeerState.HANDSHAKING);
    assertEquals(1, gauge(Direction.OUTBOUND, PeerState.CONNECTING));
    assertEquals(2, gauge(Direction.INBOUND, PeerState.HANDSHAKING));

    metrics.stateChanged(Direction.OUTBOUND, PeerState.CONNECTING, PeerState.HANDSHAKING);
    metrics.stateChanged(Direction.OUTBOUND, PeerState.HANDSHAKING, PeerState.CONNECTED);
    metrics.stateChanged(Direction.INBOUND, PeerState.HANDSHAKING, PeerState.CLOSED);
    // A connection that ends before it began, as one banned while it deployed.
    metrics.stateChanged(Direction.INBOUND, PeerState.CLOSED, PeerState.CLOSED);
    assertEquals(0, gauge(Direction.OUTBOUND, PeerState.CONNECTING));
    assertEquals(0, gauge(Direction.OUTBOUND, PeerState.HANDSHAKING));
    assertEquals(1, gauge(Direction.OUTBOUND, PeerState.CONNECTED));
    assertEquals(1, gauge(Direction.INBOUND, PeerState.HANDSHAKING));
    assertEquals(0, gauge(Direction.INBOUND, PeerState.CONNECTED));
  }

  @Test
  void eachConnectionsMessagesAreCountedByTypeWithTheirBytes() {
    PeerMetrics.Traffic one = metrics.traffic();
    PeerMetrics.Traffic other = metrics.traffic();
    for (int i = 0; i < 3; i++) {
      one.received("say", 10);
      one.received("ping", 4);
      other.received("say", 20);
    }
    one.sent("echo", 11);
    assertEquals(6, count(Metric.MESSAGES_RECEIVED, Metric.Tag.TYPE, "say"));
    assertEquals(90, count(Metric.RECEIVED_BYTES, Metric.Tag.TYPE, "say"));
    assertEquals(3, count(Metric.MESSAGES_RECEIVED, Metric.Tag.TYPE, "ping"));
    assertEquals(12, count(Metric.RECEIVED_BYTES, Metric.Tag.TYPE, "ping"));
    assertEquals(1, count(Metric.MESSAGES_SENT, Metric.Tag.TYPE, "echo"));
    assertEquals(11, count(Metric.SENT_BYTES, Metric.Tag.TYPE, "echo"));
  }

  /** A protocol that named types after what peers sent would grow the series only to the bound, then count "other". */
  @Test
  void typesAndRefusalKindsBeyondTheBoundAreCountedAsOther() {
    PeerMetrics.Traffic traffic = metrics.traffic();
    int names = ProtocolMetrics.MAX_NAMES + 44;
    for (int i = 0; i < names; i++) {
      traffic.received("type-" + i, 1);
      metrics.handshakeRefused(Direction.INBOUND, "kind-" + i);
    }
    Set<String> types = registry.find(Metric.MESSAGES_RECEIVED.meterName()).meters().stream()
        .map(meter -> meter.getId().getTag(Metric.Tag.TYPE)).collect(Collectors.toSet());
    assertEquals(ProtocolMetrics.MAX_NAMES + 1, types.size());
    assertTrue(types.contains(ProtocolMetrics.OTHER));
    assertEquals(44, count(Metric.MESSAGES_RECEIVED, Metric.Tag.TYPE, ProtocolMetrics.OTHER));
    assertEquals(44, count(Metric.HANDSHAKES_REFUSED, Metric.Tag.DIRECTION, "inbound",
        Metric.Tag.REASON, ProtocolMetrics.OTHER));
    assertEquals(names, count(Metric.HANDSHAKES, Metric.Tag.DIRECTION, "inbound", Metric.Tag.OUTCOME, "refused"));
  }

  @Test
  void handshakesDisconnectsPenaltiesDropsAndRequestsHaveTheirMeters() {
    metrics.handshakeEstablished(Direction.OUTBOUND);
    metrics.handshakeFailed(Direction.INBOUND);
    metrics.disconnected(Direction.INBOUND, DisconnectReason.WRITE_QUEUE_FULL);
    metrics.disconnected(Direction.INBOUND, DisconnectReason.WRITE_QUEUE_FULL);
    metrics.penalized(false);
    metrics.penalized(true);
    metrics.dropped(PeerMetrics.Drop.ACK_TIMEOUT, 3);
    metrics.requestCompleted(Direction.OUTBOUND, PeerMetrics.RequestOutcome.TIMEOUT, 2_000_000);

    assertEquals(1, count(Metric.HANDSHAKES, Metric.Tag.DIRECTION, "outbound", Metric.Tag.OUTCOME, "ok"));
    assertEquals(1, count(Metric.HANDSHAKES, Metric.Tag.DIRECTION, "inbound", Metric.Tag.OUTCOME, "failed"));
    assertEquals(2, count(Metric.DISCONNECTS, Metric.Tag.DIRECTION, "inbound", Metric.Tag.REASON, "write_queue_full"));
    assertEquals(2, count(Metric.PENALTIES));
    assertEquals(1, count(Metric.BANS));
    assertEquals(3, count(Metric.MESSAGES_DROPPED, Metric.Tag.REASON, "ack_timeout"));
    assertEquals(0, count(Metric.MESSAGES_DROPPED, Metric.Tag.REASON, "write_queue_full"));
    assertEquals(1, registry.get(Metric.REQUEST_DURATION.meterName()).tags(Metric.Tag.DIRECTION, "outbound",
        Metric.Tag.OUTCOME, "timeout").timer().count());
    // Only the disconnect reasons that happened have a series: nineteen close codes would be noise.
    assertEquals(1, registry.find(Metric.DISCONNECTS.meterName()).meters().size());
    assertTrue(registry.getMeters().stream().map(Meter::getId)
        .allMatch(id -> "echo".equals(id.getTag(Metric.Tag.PROTOCOL))));
  }
}
