package org.peermesh.peer;

import org.peermesh.node.PeerInfo;

import java.util.List;
import java.util.Optional;

/**
 * Where the routers find the connected peers: what selection needs to know of each (direction, latency, nodeInfo)
 * and, by the peer id, the mailbox that reaches its verticle. Reads are cheap and never block.
 */
public interface PeerDirectory {

  /** Adds a newly connected peer, or replaces what is known of it. */
  void put(PeerInfo peer);

  void remove(String peerId);

  Optional<PeerInfo> get(String peerId);

  /** A snapshot of the connected peers; it does not change under the caller. */
  List<PeerInfo> connectedPeers();

  int size();
}
