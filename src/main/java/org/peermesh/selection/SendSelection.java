package org.peermesh.selection;

import org.peermesh.peer.PeerInfo;

import java.util.List;

/** Chooses the peers a {@code send} reaches. Must return distinct peers taken from {@code connectedPeers}. */
@FunctionalInterface
public interface SendSelection {

  List<PeerInfo> select(List<PeerInfo> connectedPeers, int peerLimit, String event);
}
