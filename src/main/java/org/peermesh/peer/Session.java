package org.peermesh.peer;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.Failure;

/**
 * What an established peer does, for one wire protocol: it answers and acts on the peer's messages and serves the
 * protocol's commands to the peer. The layer hands it every message after the handshake, on the connection's
 * context; it reaches the connection through its {@link PeerLink}.
 *
 * @param <M> the protocol's message type
 */
public interface Session<M> {

  /** The handshake is established and the peer connected: what the session sends first, if anything. */
  default void start() {
  }

  /** A message from the peer, after the protocol published it. */
  void onMessage(M message);

  /**
   * The keepalive ping to send now, carrying {@code nonce}; null for a protocol without one. The session reports
   * the matching pong with {@link PeerLink#pong}, and the layer measures the round trip.
   */
  default M ping(long nonce) {
    return null;
  }

  /**
   * Whether a ping left unanswered for peerTimeout ends the connection. A protocol whose peers need not answer
   * (Antelope: nodeos holds a peer alive by any message, and wharfkit's client answers no ping) says no: then a
   * ping goes out every interval whether the last was answered or not, and only silence ends the connection.
   */
  default boolean requiresPong() {
    return true;
  }

  /** The outbox, full a moment ago ({@link PeerLink#writable}), has room again. */
  default void drained() {
  }

  /**
   * Bytes the codec skipped without breaking the connection ({@link FrameCodec.Sink#skipped}).
   *
   * @return whether the session reported them in an event of its protocol's own; if not, the layer publishes them as
   *     an error event. One event per skip, as a peer may send many.
   */
  default boolean skipped(String kind, String detail) {
    return false;
  }

  /** The connection ended for {@code reason}: the session fails what waits on the peer and lets go of its timers. */
  default void closed(String reason) {
  }

  /**
   * The name of {@code message}'s type in the node's metrics, where the session names it better than its protocol can
   * ({@link WireProtocol#messageType}): devp2p's codes mean a capability's message only on the connection that
   * negotiated them. Null for the protocol's name, as by default. The same rules hold: a bounded set of constants.
   */
  default String messageType(M message) {
    return null;
  }

  /** Adds what this protocol knows of the peer to its info, as the peers command lists it. */
  default void describe(JsonObject info) {
  }

  /**
   * A command to this peer that the layer does not serve itself: {@code action} with its JSON body, from the
   * protocol's command addresses. Completes with the reply, or fails with a {@link Failure} code.
   */
  default Future<JsonObject> command(String action, JsonObject body) {
    return Future.failedFuture(Failure.BAD_REQUEST.exception("unknown peer action " + action));
  }
}
