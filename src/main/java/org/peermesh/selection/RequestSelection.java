package org.peermesh.selection;

import org.peermesh.peer.PeerInfo;

import java.util.List;
import java.util.Optional;

/** Chooses the one peer that answers a {@code request}; empty when none fits. */
@FunctionalInterface
public interface RequestSelection {

  Optional<PeerInfo> select(List<PeerInfo> connectedPeers, String procedure);
}
