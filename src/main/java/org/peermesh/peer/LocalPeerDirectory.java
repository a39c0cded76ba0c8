package org.peermesh.peer;

import io.vertx.core.Future;
import org.peermesh.net.PeerAddress;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The directory of a node that runs in one JVM: the pool is the only connection holder, so claims always succeed
 * and its own admission rules keep one connection per peer. The snapshot is rebuilt only after a change, so that a
 * burst of sends to a stable set of peers does not copy the set each time.
 */
public final class LocalPeerDirectory implements PeerDirectory {

  private final ConcurrentHashMap<String, PeerInfo> peers = new ConcurrentHashMap<>();
  /** Counts changes; a snapshot knows the count it was copied after. */
  private final AtomicLong version = new AtomicLong();
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(0, List.of()));

  private record Snapshot(long version, List<PeerInfo> peers) {
  }

  @Override
  public void put(PeerInfo peer) {
    peers.put(peer.peerId(), peer);
    version.incrementAndGet();
  }

  @Override
  public void remove(String peerId) {
    if (peers.remove(peerId) != null) {
      version.incrementAndGet();
    }
  }

  @Override
  public Optional<PeerInfo> get(String peerId) {
    return Optional.ofNullable(peers.get(peerId));
  }

  /** Every peer of a node in one JVM is held here. */
  @Override
  public boolean holds(String peerId) {
    return peers.containsKey(peerId);
  }

  @Override
  public List<PeerInfo> connectedPeers() {
    Snapshot current = snapshot.get();
    long changes = version.get();
    if (current.version() == changes) {
      return current.peers();
    }
    // Copied after reading the count, so it holds every change counted. Two threads may copy at once; the newer
    // copy wins whichever finishes last, so an older one never replaces it.
    Snapshot fresh = new Snapshot(changes, List.copyOf(peers.values()));
    return snapshot.accumulateAndGet(fresh, (a, b) -> a.version() >= b.version() ? a : b).peers();
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
