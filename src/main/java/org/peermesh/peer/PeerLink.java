package org.peermesh.peer;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.peermesh.net.PeerAddress;

/**
 * One connection as the peer layer lends it to its protocol's handshake driver and session: who the peer is, and
 * the few things a protocol does to it. Every method runs on the connection's context.
 *
 * @param <M> the protocol's message type
 */
public interface PeerLink<M> {

  /** The peer's name on the bus: its address, {@code host:port} ({@code [v6]:port}). */
  String name();

  Direction direction();

  /** The address dialed, or the one an inbound peer came from. */
  PeerAddress remote();

  /** Queues a message; what is queued within one event-loop turn leaves in one socket write. */
  void send(M message);

  /** Ends the connection for {@code refusal}: a violation resets it and costs the peer its penalty. */
  void refuse(Refusal refusal);

  /**
   * Charges the peer {@code penalty} for a misbehaviour that does not end the connection by itself.
   *
   * @return whether that banned the peer: the connection is then closing
   */
  boolean penalize(int penalty, String reason);

  /**
   * Whether the socket takes more bytes now: false from the moment its write queue is full until it drains, when the
   * session hears {@link Session#drained}. A session that holds back what it acknowledges while it is false makes
   * senders go at the peer's pace.
   */
  boolean writable();

  /**
   * Whether {@code bytes} more fit in the outbox: past {@code maxWriteQueueSize} bytes waiting, a message sent
   * cuts the peer off as one that does not read.
   */
  boolean hasRoomFor(long bytes);

  /**
   * Takes from the node's memory budget what {@code waitingBytes} of messages held for the peer need (messages that
   * wait for room in its queue), or gives back what they no longer do.
   *
   * @return false when the budget has no room for them and the peer holds more than its share: refuse them
   */
  boolean holdWaiting(long waitingBytes);

  /**
   * How long bytes have waited for the peer without any of them leaving for the network, in nanoseconds; 0 while
   * none waits. A peer that reads, however slowly, takes some now and then; one that does not read never does,
   * whether the socket's queue is full or only the kernel's buffer is.
   */
  long backedUpNanos();

  /** Publishes {@code body} where messages of {@code type} go: {@code <prefix>.<protocol>.<type>}. */
  void publish(String type, JsonObject body);

  /** Publishes {@code body} where every message goes with its raw bytes: {@code <prefix>.<protocol>.message}. */
  void publishRaw(JsonObject body);

  /** Reports a problem that does not end the connection, on the protocol's error address. */
  void publishError(String kind, String detail);

  /** The pong of the ping that carried {@code nonce}: the layer takes the round trip if it is the one it awaits. */
  void pong(long nonce);

  /** The round trip of the latest answered ping, in microseconds; -1 before one. */
  long latencyMicros();

  /** The connection's counters: bytes and frames each way, and the bytes queued to the peer now. */
  JsonObject traffic();

  /**
   * Where the session reports what the layer cannot see (its requests' latencies, messages it drops): the pool's
   * metrics, {@link PeerMetrics#NONE} unless the node keeps them.
   */
  default PeerMetrics metrics() {
    return PeerMetrics.NONE;
  }

  /** The pool the peer belongs to. */
  PoolView pool();

  /** The Vert.x instance, for the session's timers and event-bus consumers, which run on the connection's context. */
  Vertx vertx();

  /**
   * The fields every event about this peer starts with: peer, protocol, host, port and direction, and the
   * {@code peerId} its handshake proved once the connection holds its claim.
   */
  JsonObject header();
}
