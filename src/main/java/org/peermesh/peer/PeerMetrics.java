package org.peermesh.peer;

/**
 * What the peer layer tells the node's metrics about one protocol's peers, as Vert.x's {@code TCPMetrics} does for
 * sockets: state changes, handshakes, traffic by message type, penalties, drops and disconnects, and request
 * latencies. A pool hands its connections one ({@link PeerGroup#metrics}); {@link #NONE}, what a pool has unless the
 * node keeps metrics, does nothing.
 *
 * <p>Called from the connections' contexts, many at once: an implementation is thread-safe, except for each
 * connection's {@link Traffic}, which only its connection calls. What is called per message ({@link Traffic}) must
 * cost next to nothing: no allocation, no lookup by a string built for the call. Every value passed is from a bounded
 * set, so that no peer can grow the number of series: refusal kinds and message types are the code's constants.
 */
public interface PeerMetrics {

  /** Metrics off: every call does nothing. */
  PeerMetrics NONE = new PeerMetrics() {
  };

  /** Why a message for a peer was dropped unsent. */
  enum Drop {
    /** More than {@code maxWriteQueueSize} bytes waited for room in the peer's queue already: refused (429). */
    WRITE_QUEUE_FULL,
    /** The node's memory budget had no room for it while it waited: refused (429). */
    MEMORY_BUDGET,
    /** It waited {@code ackTimeout} for room in the peer's queue (504). */
    ACK_TIMEOUT;

    /** Its name as a tag value. */
    public String tagValue() {
      return name().toLowerCase();
    }
  }

  /** How a request ended. */
  enum RequestOutcome {
    /** Answered with success. */
    OK,
    /** Answered with a failure. */
    FAILED,
    /** Not answered within {@code ackTimeout}. */
    TIMEOUT,
    /** The connection closed first. */
    DISCONNECTED;

    /** Its name as a tag value. */
    public String tagValue() {
      return name().toLowerCase();
    }
  }

  /** One connection's messages, by their type ({@link WireProtocol#messageType}); called on its context only. */
  interface Traffic {

    /** Counts nothing. */
    Traffic NONE = new Traffic() {
      @Override
      public void received(String type, int bytes) {
      }

      @Override
      public void sent(String type, int bytes) {
      }
    };

    /** A message of {@code type}, {@code bytes} long on the wire, was received. */
    void received(String type, int bytes);

    /** A message of {@code type}, {@code bytes} long on the wire, was queued to the peer. */
    void sent(String type, int bytes);
  }

  /** Whether calls are counted: a connection names its messages' types only if so. */
  default boolean enabled() {
    return false;
  }

  /** The meter of one new connection's messages, which keeps what it needs per connection. */
  default Traffic traffic() {
    return Traffic.NONE;
  }

  /**
   * A connection went from {@code previous} to {@code next}; a new one starts {@link PeerState#CLOSED}, as it ends.
   */
  default void stateChanged(Direction direction, PeerState previous, PeerState next) {
  }

  /** A peer's handshake was established and the pool admitted it. */
  default void handshakeEstablished(Direction direction) {
  }

  /**
   * A peer was refused before its handshake was established, by the pool before a byte was read or by the handshake:
   * {@code kind} is the refusal's ({@link Refusal#kind}).
   */
  default void handshakeRefused(Direction direction, String kind) {
  }

  /** A handshake ended without a refusal: it timed out, the peer left or the socket failed. */
  default void handshakeFailed(Direction direction) {
  }

  /** A connection whose socket was open closed, for {@code reason}. */
  default void disconnected(Direction direction, DisconnectReason reason) {
  }

  /** A peer was charged a penalty; {@code banned} if it banned the peer. */
  default void penalized(boolean banned) {
  }

  /** {@code messages} messages for a peer were dropped unsent, for {@code why}. */
  default void dropped(Drop why, int messages) {
  }

  /**
   * A request ended after {@code nanos}: one we sent the peer ({@link Direction#OUTBOUND}) or one it sent us and a
   * local consumer served ({@link Direction#INBOUND}).
   */
  default void requestCompleted(Direction direction, RequestOutcome outcome, long nanos) {
  }
}
