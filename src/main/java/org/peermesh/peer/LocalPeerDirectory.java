package org.peermesh.peer;

import io.vertx.core.Future;
import org.peermesh.node.PeerAddress;
import org.peermesh.node.PeerInfo;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The directory of a node that runs in one JVM: the pool is the only connection holder, so claims always succeed
 * and its own admission rules keep one connection per peer. The snapshot is rebuilt only after a change, so that a
 * burst of sends to a stable set of peers does not copy the set each time.
 */
public final class LocalPeerDirectory implements PeerDirectory {

  private final ConcurrentHashMap<String, PeerInfo> peers = new ConcurrentHashMap<>();
  private volatile Snapshot snapshot = new Snapshot(List.of(), Set.of());
  private volatile boolean stale;

  private record Snapshot(List<PeerInfo> peers, Set<PeerAddress> addresses) {
  }

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
    return snapshot().peers();
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

  @Override
  public boolean isTaken(PeerAddress address) {
    return snapshot().addresses().contains(address);
  }

  @Override
  public void onPeersLost(Consumer<Collection<String>> listener) {
  }

  private Snapshot snapshot() {
    if (stale) {
      // Clear first: a change racing with the copy marks it stale again rather than being lost.
      stale = false;
      List<PeerInfo> copy = List.copyOf(peers.values());
      snapshot = new Snapshot(copy, copy.stream().map(PeerInfo::address).collect(Collectors.toUnmodifiableSet()));
    }
    return snapshot;
  }
}
