package org.peermesh.peer;

import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import org.peermesh.bus.ProtocolAddresses;
import org.peermesh.net.MemoryBudget;

/**
 * What a {@link PeerConnection} needs of the pool that owns it: the protocol and its options, the client it dials
 * with, and the pool's policy at the moments only a pool can judge: a claimed identity, a finished handshake, a
 * misbehaviour, a close. {@link ConnectionPool} is the layer's pool for every protocol; a protocol with a richer
 * policy of its own (the mesh's discovery, netgroups and eviction, LIP 0004) implements this on its own pool and runs
 * the same connections.
 *
 * <p>Called from the connections' own contexts, many at once.
 *
 * @param <M> the protocol's message type
 * @param <R> what its handshake establishes
 */
public interface PeerGroup<M, R> extends PoolView {

  WireProtocol<M, R> protocol();

  PoolOptions<?> options();

  /** Where the protocol's events, commands and peer mailboxes are. */
  ProtocolAddresses addresses();

  /** The node's memory budget, which every connection of every pool takes its buffers from. */
  MemoryBudget memoryBudget();

  /** What the pool's connections report to the node's metrics; {@link PeerMetrics#NONE} unless it keeps them. */
  default PeerMetrics metrics() {
    return PeerMetrics.NONE;
  }

  /** The client outbound connections dial with. */
  NetClient netClient();

  /**
   * Reserves the {@code identity} a peer's handshake named for this connection: false when another connection of
   * the node holds it, in this JVM or on another member. The pool releases a granted claim once the peer closes, at
   * once if it already has.
   */
  Future<Boolean> claimIdentity(PeerConnection<M, R> peer, String identity);

  /**
   * The peer's handshake is established: whether the pool takes it (slots, duplicates, bans by identity), before its
   * session starts.
   *
   * @return null when the peer is admitted, else why it is refused
   */
  default Refusal admit(PeerConnection<M, R> peer, R established) {
    return null;
  }

  /** The peer is admitted and its session started. */
  void peerEstablished(PeerConnection<M, R> peer);

  /** What the pool knows of the peer changed: its latency, or what its session says of it. */
  default void peerUpdated(PeerConnection<M, R> peer) {
  }

  /**
   * An error event about the peer was just published: a refusal's kind, or {@link PeerConnection#SOCKET_ERROR} and
   * {@link PeerConnection#CONNECT_ERROR}, where the pool has events of its own for them.
   */
  default void error(PeerConnection<M, R> peer, String kind, String detail) {
  }

  /**
   * Stops accepting and dialing and disconnects every peer with NODE_SHUTDOWN, its last words sent before the
   * listener closes; completes when their sockets are closed. The node calls it before it undeploys the pool, whose
   * connections, as its child deployments, would otherwise be undeployed first without a word on why.
   */
  Future<Void> shutdown();

  /** The connection is closed; {@code wasEstablished} if its handshake was. */
  void peerClosed(PeerConnection<M, R> peer, boolean wasEstablished);

  /**
   * Charges the peer {@code penalty} for {@code reason}, a misbehaviour that does not end the connection by itself.
   *
   * @return whether that banned the peer: the connection then closes as banned
   */
  boolean penalize(PeerConnection<M, R> peer, int penalty, String reason);

  /**
   * The peer broke the protocol ({@link Refusal#isViolation}): charges its penalty, in the words the pool's
   * reputation log uses for it.
   *
   * @return whether that banned the peer
   */
  default boolean misbehaved(PeerConnection<M, R> peer, Refusal violation) {
    return penalize(peer, violation.penalty(), violation.kind() + ": " + violation.detail());
  }
}
