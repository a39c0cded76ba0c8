package org.peermesh.peer;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link PeerMetrics} that records every call, for tests of what the layer reports: each event as a line
 * ({@code "refused inbound banned"}), and the traffic as counts and bytes by direction and type.
 */
public final class RecordingPeerMetrics implements PeerMetrics {

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, LongAdder> messages = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> bytes = new ConcurrentHashMap<>();

  /** Every event but traffic, in order: {@code "<what> <direction or outcome> <detail>"}. */
  public List<String> events() {
    return List.copyOf(events);
  }

  /** The events that start with {@code prefix}. */
  public List<String> events(String prefix) {
    return events.stream().filter(event -> event.startsWith(prefix)).toList();
  }

  /** Messages counted {@code "received"} or {@code "sent"} of {@code type}. */
  public long messages(String way, String type) {
    LongAdder count = messages.get(way + " " + type);
    return count == null ? 0 : count.sum();
  }

  /** Bytes counted {@code "received"} or {@code "sent"} of {@code type}. */
  public long bytes(String way, String type) {
    LongAdder count = bytes.get(way + " " + type);
    return count == null ? 0 : count.sum();
  }

  private void count(String way, String type, int size) {
    messages.computeIfAbsent(way + " " + type, k -> new LongAdder()).increment();
    bytes.computeIfAbsent(way + " " + type, k -> new LongAdder()).add(size);
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public Traffic traffic() {
    return new Traffic() {
      @Override
      public void received(String type, int size) {
        count("received", type, size);
      }

      @Override
      public void sent(String type, int size) {
        count("sent", type, size);
      }
    };
  }

  @Override
  public void stateChanged(Direction direction, PeerState previous, PeerState next) {
    events.add("state " + direction.jsonName() + " " + previous.jsonName() + ">" + next.jsonName());
  }

  @Override
  public void handshakeEstablished(Direction direction) {
    events.add("established " + direction.jsonName());
  }

  @Override
  public void handshakeRefused(Direction direction, String kind) {
    events.add("refused " + direction.jsonName() + " " + kind);
  }

  @Override
  public void handshakeFailed(Direction direction) {
    events.add("failed " + direction.jsonName());
  }

  @Override
  public void disconnected(Direction direction, DisconnectReason reason) {
    events.add("disconnected " + direction.jsonName() + " " + reason.name().toLowerCase());
  }

  @Override
  public void penalized(boolean banned) {
    events.add(banned ? "penalized banned" : "penalized");
  }

  @Override
  public void dropped(Drop why, int count) {
    events.add("dropped " + why.tagValue() + " " + count);
  }

  @Override
  public void requestCompleted(Direction direction, RequestOutcome outcome, long nanos) {
    events.add("request " + direction.jsonName() + " " + outcome.tagValue());
  }
}
