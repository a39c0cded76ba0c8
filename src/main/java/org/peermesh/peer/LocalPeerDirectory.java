package org.peermesh.peer;

import org.peermesh.node.PeerInfo;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The directory of a node that runs in one JVM. The snapshot is rebuilt only after a change, so that a burst of
 * sends to a stable set of peers does not copy the set each time.
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
}
