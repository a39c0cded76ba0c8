package org.peermesh.peer;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.peermesh.net.PeerAddress;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the routers find the connected peers of the node, whichever JVM of a cluster holds them: what selection
 * needs to know of each (direction, latency, reputation, nodeInfo) and, by the peer id, the mailbox that reaches its
 * verticle. Reads are cheap and never block.
 *
 * <p>The pool of this JVM writes its own peers ({@link #put}, {@link #remove}) and claims a remote peer before it
 * proves itself to it ({@link #claim}), so that one remote peer is held by one connection of the whole node.
 */
public interface PeerDirectory {

  /** Adds a peer connected through this JVM, or replaces what is known of it. */
  void put(PeerInfo peer);

  /** Removes a peer connected through this JVM. */
  void remove(String peerId);

  Optional<PeerInfo> get(String peerId);

  /** Whether this JVM holds the peer's connection, rather than another member of the node. */
  boolean holds(String peerId);

  /** A snapshot of the connected peers; it does not change under the caller. */
  List<PeerInfo> connectedPeers();

  int size();

  /**
   * Reserves the remote peer for a connection of this JVM; false when another member of the node holds it. Every
   * successful claim is {@linkplain #release released} once, when its connection ends.
   */
  Future<Boolean> claim(String peerId);

  void release(String peerId);

  /** Whether an address is not to be dialed: a peer connected there through any member, or a member itself. */
  boolean isTaken(PeerAddress address);

  /**
   * Called with the peers whose connections were lost without their verticle saying so, because the member that
   * held them left; what was in flight to them will get no answer. Never called for a node in one JVM.
   */
  void onPeersLost(Consumer<Collection<String>> listener);

  /** Whether {@link #onPeersLost} can ever be called: only where other members hold peers. */
  default boolean canLosePeers() {
    return false;
  }

  /**
   * Lists a connected peer of a protocol on the peer layer, held by this JVM, for the peers commands of the other
   * members: {@code info} as its protocol's peers command shows it, with its {@code protocol} and {@code peer} name.
   * Nothing to do for a node in one JVM, where the pool lists its own.
   */
  default void putEntry(JsonObject info) {
  }

  /** The peer {@link #putEntry listed} as {@code protocol}'s {@code name} is no longer connected here. */
  default void removeEntry(String protocol, String name) {
  }

  /**
   * The connected peers of {@code protocol} that the other members of the node hold, each with the {@code "member"}
   * that holds it; none in one JVM.
   */
  default List<JsonObject> entriesElsewhere(String protocol) {
    return List.of();
  }
}
