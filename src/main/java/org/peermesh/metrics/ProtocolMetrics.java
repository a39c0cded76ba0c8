package org.peermesh.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.PeerMetrics;
import org.peermesh.peer.PeerState;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * The meters of one protocol's peers, on Micrometer. Peers by state are counts kept here, not meters per peer; the
 * meters of events come from small caches, so that an event registers nothing once its meter exists; and each
 * connection's {@link PeerMetrics.Traffic} remembers the meters of the type it counted last, so that a stream of one
 * type looks nothing up.
 */
final class ProtocolMetrics implements PeerMetrics {

  /** The states a connection is counted in: a closed one is no longer a connection. */
  private static final PeerState[] OPEN_STATES = {PeerState.CONNECTING, PeerState.HANDSHAKING, PeerState.CONNECTED};
  private static final Direction[] DIRECTIONS = Direction.values();
  private static final DisconnectReason[] REASONS = DisconnectReason.values();
  private static final RequestOutcome[] OUTCOMES = RequestOutcome.values();
  /**
   * At most this many message types and refusal kinds each: they are the code's constants, far fewer, and this only
   * keeps a protocol that named them from what a peer sent from growing the series without bound.
   */
  static final int MAX_NAMES = 256;
  /** Where names beyond {@link #MAX_NAMES} are counted. */
  static final String OTHER = "other";

  private final Meters meters;
  private final Tags protocolTags;
  private final AtomicInteger[] peers = new AtomicInteger[DIRECTIONS.length * OPEN_STATES.length];
  private final Counter[] handshakesOk = new Counter[DIRECTIONS.length];
  private final Counter[] handshakesRefused = new Counter[DIRECTIONS.length];
  private final Counter[] handshakesFailed = new Counter[DIRECTIONS.length];
  private final Counter penalties;
  private final Counter bans;
  private final Counter[] dropped = new Counter[Drop.values().length];
  private final AtomicReferenceArray<Counter> disconnects =
      new AtomicReferenceArray<>(DIRECTIONS.length * REASONS.length);
  private final AtomicReferenceArray<Timer> requests = new AtomicReferenceArray<>(DIRECTIONS.length * OUTCOMES.length);
  private final BoundedNames<Counter[]> refusedByKind;
  private final BoundedNames<TypeMeters> received;
  private final BoundedNames<TypeMeters> sent;

  ProtocolMetrics(Meters meters, String protocol) {
    this.meters = meters;
    this.protocolTags = Tags.of(Metric.Tag.PROTOCOL, protocol);
    for (Direction direction : DIRECTIONS) {
      for (PeerState state : OPEN_STATES) {
        AtomicInteger count = new AtomicInteger();
        peers[peersIndex(direction, state)] = count;
        meters.gauge(Metric.PEERS, protocolTags.and(Metric.Tag.DIRECTION, direction.jsonName(),
            Metric.Tag.STATE, state.jsonName()), count, AtomicInteger::get);
      }
      Tags byDirection = protocolTags.and(Metric.Tag.DIRECTION, direction.jsonName());
      handshakesOk[direction.ordinal()] = meters.counter(Metric.HANDSHAKES, byDirection.and(Metric.Tag.OUTCOME, "ok"));
      handshakesRefused[direction.ordinal()] =
          meters.counter(Metric.HANDSHAKES, byDirection.and(Metric.Tag.OUTCOME, "refused"));
      handshakesFailed[direction.ordinal()] =
          meters.counter(Metric.HANDSHAKES, byDirection.and(Metric.Tag.OUTCOME, "failed"));
    }
    penalties = meters.counter(Metric.PENALTIES, protocolTags);
    bans = meters.counter(Metric.BANS, protocolTags);
    for (Drop drop : Drop.values()) {
      dropped[drop.ordinal()] = meters.counter(Metric.MESSAGES_DROPPED,
          protocolTags.and(Metric.Tag.REASON, drop.tagValue()));
    }
    refusedByKind = new BoundedNames<>(kind -> {
      Counter[] byDirection = new Counter[DIRECTIONS.length];
      for (Direction direction : DIRECTIONS) {
        byDirection[direction.ordinal()] = meters.counter(Metric.HANDSHAKES_REFUSED,
            protocolTags.and(Metric.Tag.DIRECTION, direction.jsonName(), Metric.Tag.REASON, kind));
      }
      return byDirection;
    });
    received = new BoundedNames<>(type -> new TypeMeters(
        meters.counter(Metric.MESSAGES_RECEIVED, protocolTags.and(Metric.Tag.TYPE, type)),
        meters.counter(Metric.RECEIVED_BYTES, protocolTags.and(Metric.Tag.TYPE, type))));
    sent = new BoundedNames<>(type -> new TypeMeters(
        meters.counter(Metric.MESSAGES_SENT, protocolTags.and(Metric.Tag.TYPE, type)),
        meters.counter(Metric.SENT_BYTES, protocolTags.and(Metric.Tag.TYPE, type))));
  }

  private static int peersIndex(Direction direction, PeerState state) {
    return direction.ordinal() * OPEN_STATES.length + state.ordinal() - PeerState.CONNECTING.ordinal();
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public Traffic traffic() {
    return new ConnectionTraffic();
  }

  @Override
  public void stateChanged(Direction direction, PeerState previous, PeerState next) {
    if (previous != PeerState.CLOSED) {
      peers[peersIndex(direction, previous)].decrementAndGet();
    }
    if (next != PeerState.CLOSED) {
      peers[peersIndex(direction, next)].incrementAndGet();
    }
  }

  @Override
  public void handshakeEstablished(Direction direction) {
    handshakesOk[direction.ordinal()].increment();
  }

  @Override
  public void handshakeRefused(Direction direction, String kind) {
    handshakesRefused[direction.ordinal()].increment();
    refusedByKind.get(kind)[direction.ordinal()].increment();
  }

  @Override
  public void handshakeFailed(Direction direction) {
    handshakesFailed[direction.ordinal()].increment();
  }

  @Override
  public void disconnected(Direction direction, DisconnectReason reason) {
    int index = direction.ordinal() * REASONS.length + reason.ordinal();
    Counter counter = disconnects.get(index);
    if (counter == null) {
      // Registering again returns the meter there is: callers that race get the same one.
      counter = meters.counter(Metric.DISCONNECTS, protocolTags.and(Metric.Tag.DIRECTION, direction.jsonName(),
          Metric.Tag.REASON, reason.name().toLowerCase()));
      disconnects.set(index, counter);
    }
    counter.increment();
  }

  @Override
  public void penalized(boolean banned) {
    penalties.increment();
    if (banned) {
      bans.increment();
    }
  }

  @Override
  public void dropped(Drop why, int messages) {
    dropped[why.ordinal()].increment(messages);
  }

  @Override
  public void requestCompleted(Direction direction, RequestOutcome outcome, long nanos) {
    int index = direction.ordinal() * OUTCOMES.length + outcome.ordinal();
    Timer timer = requests.get(index);
    if (timer == null) {
      timer = meters.histogram(Metric.REQUEST_DURATION, protocolTags.and(Metric.Tag.DIRECTION, direction.jsonName(),
          Metric.Tag.OUTCOME, outcome.tagValue()));
      requests.set(index, timer);
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A message type's count and bytes in one direction. */
  private record TypeMeters(Counter messages, Counter bytes) {

    void count(int size) {
      messages.increment();
      bytes.increment(size);
    }
  }

  /**
   * One connection's traffic, on its context only: the meters of the latest type each way, found again by the
   * type's identity, as a type name is a constant.
   */
  private final class ConnectionTraffic implements Traffic {

    private String receivedType;
    private TypeMeters receivedMeters;
    private String sentType;
    private TypeMeters sentMeters;

    @Override
    public void received(String type, int bytes) {
      if (type != receivedType) {
        receivedMeters = received.get(type);
        receivedType = type;
      }
      receivedMeters.count(bytes);
    }

    @Override
    public void sent(String type, int bytes) {
      if (type != sentType) {
        sentMeters = sent.get(type);
        sentType = type;
      }
      sentMeters.count(bytes);
    }
  }

  /** Meters by name, at most {@link #MAX_NAMES} names; the rest share the meters of {@link #OTHER}. */
  private static final class BoundedNames<T> {

    private final ConcurrentHashMap<String, T> byName = new ConcurrentHashMap<>();
    private final Function<String, T> create;

    BoundedNames(Function<String, T> create) {
      this.create = create;
    }

    T get(String name) {
      T meters = byName.get(name);
      if (meters != null) {
        return meters;
      }
      // Not atomic with the insert: a few callers at once may pass the bound by a few names, which bounds it still.
      return byName.computeIfAbsent(byName.size() < MAX_NAMES ? name : OTHER, create);
    }
  }
}
