package org.peermesh.peer;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.peermesh.net.PeerAddress;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A wire protocol as the peer layer runs it: a codec, a handshake and a session. The layer owns the rest for every
 * protocol: the peer verticle and its mailbox, accept and dial, admission, back-off, liveness and timeouts, the
 * bounded outbox, reputation and bans, cluster claims, events and commands.
 *
 * @param <M> the protocol's message type
 * @param <R> what its handshake establishes
 */
public interface WireProtocol<M, R> {

  /** The metrics' one type for every message whose name a peer chose ({@link #messageType}). */
  String UNKNOWN_MESSAGE_TYPE = "unknown";

  /** The protocol's name: the segment after the bus prefix in its addresses ({@code peermesh.bitcoin.*}). */
  String name();

  /** A fresh framing for one connection. */
  FrameCodec<M> newCodec();

  /** A fresh handshake for one connection. */
  Handshaker<M, R> newHandshaker(PeerLink<M> link);

  /** What the peer does once {@code established}. */
  Session<M> newSession(PeerLink<M> link, R established);

  /**
   * Every message received that the handshake did not refuse, before it is handled: where a protocol publishes what
   * its peers send, raw or decoded.
   */
  default void received(PeerLink<M> link, M message, Buffer payload) {
  }

  /**
   * The actions its sessions serve ({@link Session#command}): each is a command of the protocol
   * ({@code <prefix>.<protocol>.command.<action>}) whose body names the peer ({@code "peer"}), forwarded to that
   * peer's mailbox. The layer serves {@code connect}, {@code disconnect} and {@code peers} itself.
   */
  default Set<String> peerCommands() {
    return Set.of();
  }

  /**
   * The peer's goodbye, if {@code message} is one (the mesh's Disconnect, devp2p's Disconnect, Antelope's
   * go_away): the layer then closes the connection for the peer's reason, owing it nothing more. Asked of every
   * message, during the handshake too.
   */
  default Optional<Goodbye> goodbye(M message) {
    return Optional.empty();
  }

  /**
   * What to tell a peer the node disconnects, before the socket closes: the protocol's message that carries the
   * reason, where it has one. None by default; a peer that broke a protocol without last words gets a reset.
   *
   * @param kind the refusal's kind ({@link Refusal#kind}) when a refusal ended the connection, else null: a protocol
   *             whose reasons are finer than the layer's codes (Antelope's go_away) tells the peer by it
   */
  default List<M> farewell(DisconnectReason reason, String kind, String detail) {
    return List.of();
  }

  /**
   * The protocol's commands that name no peer, each served on {@code <prefix>.<protocol>.command.<action>} beside
   * the layer's {@code connect}, {@code disconnect} and {@code peers} (devp2p's {@code nodeInfo}): the body in, the
   * reply out, or a failure with a {@link org.peermesh.bus.Failure} code. None by default.
   */
  default Map<String, Function<JsonObject, Future<JsonObject>>> nodeCommands() {
    return Map.of();
  }

  /**
   * Starts what the protocol runs beside its peers, once the pool listens: devp2p's discovery, which dials the
   * nodes it finds through {@code pool}. Nothing by default.
   */
  default Future<Void> start(PoolHandle pool) {
    return Future.succeededFuture();
  }

  /** Stops what {@link #start} started, before the pool disconnects its peers. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }

  /**
   * The peer a {@code connect} command names: {@code {"host", "port"?}} by default. A protocol whose peers are dialed
   * by more than an address (devp2p's {@code enode://} URL, which carries the key the handshake needs) reads its own
   * form here and keeps what the dial needs besides the address.
   *
   * @throws IllegalArgumentException naming the form expected, for a body that does not name a peer
   */
  default PeerAddress connectTarget(JsonObject command, int defaultPort) {
    try {
      return new PeerAddress(command.getString("host"), command.getInteger("port", defaultPort));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("connect needs {\"host\": string, \"port\"?: integer, "
          + "\"proxy\"?: {\"host\", \"port\"}}: " + e.getMessage(), e);
    }
  }

  /**
   * The name of {@code message}'s type in the node's metrics (the {@code type} of {@code peermesh_messages_*}): by
   * default its class's simple name, which for the mesh is its wire name (docs/wire-protocol.md). A protocol whose
   * messages have wire names of their own overrides it. The name must be one of a bounded set, known to the code:
   * whatever a peer chose (a Bitcoin command no class decodes, an event name) falls into one bucket, such as
   * {@code "unknown"}, as every name is a series the node keeps. Asked of every message received and sent while the
   * node keeps metrics: return a constant, never a string built for the call. A session may name the messages of an
   * established peer itself ({@link Session#messageType}).
   */
  default String messageType(M message) {
    return MessageTypes.simpleName(message.getClass());
  }

  /** The name of a state in this protocol's events, where its users expect names of their own. */
  default String stateName(PeerState state) {
    return state.jsonName();
  }
}
