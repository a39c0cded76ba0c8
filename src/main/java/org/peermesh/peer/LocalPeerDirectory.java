package org.peermesh.peer;

import io.vertx.core.Future;
import org.peermesh.node.PeerAddress;
import org.peermesh.node.PeerInfo;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The directory of a node that runs in one JVM: the pool is the only connection holder, so claims always succeed
 * and its own admission rules keep one connection per peer. The snapshot is rebuilt only after a change, so that a
 * burst of sends to a stable set of peers does not copy the set each time.
 */
public final class LocalPeerDirectory implements PeerDirectory {

  private final ConcurrentHashMap<String, PeerInfo> peers = new ConcurrentHashMap<>();
  private volatile List<PeerInfo> snapshot = List.of();
  private volatile boolean stale;

  @Override
  public void put(PeerInfo peer) {
    peers.put(peer.peerId(), peer);
    stale = true;
  }

  @Override
  public void remove(String peerId) {
    if (peers.remove(peerId) != null) {
      stale = true;
    }
  }

  @Override
  public Optional<PeerInfo> get(String peerId) {
    return Optional.ofNullable(peers.get(peerId));
  }

  @Override
  public List<PeerInfo> connectedPeers() {
    if (stale) {
      // Clear first: a change racing with the copy marks it stale again rather than being lost.
      stale = false;
      snapshot = List.copyOf(peers.values());
    }
    return snapshot;
  }

  @Override
  public int size() {
    return peers.size();
  }

  @Override
  public Future<Boolean> claim(String peerId) {
    return Future.succeededFuture(true);
  }

  @Override
  public void release(String peerId) {
  }

  /** A scan rather than an index: dial decisions are rare, while the snapshot is rebuilt on the send path. */
  @Override
  public boolean isTaken(PeerAddress address) {
    for (PeerInfo peer : peers.values()) {
      if (peer.port() == address.port() && peer.host().equals(address.host())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void onPeersLost(Consumer<Collection<String>> listener) {
  }
}
