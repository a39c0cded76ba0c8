package org.peermesh.selection;

import org.peermesh.net.PeerAddress;

import java.util.List;

/**
 * Chooses which known addresses to dial to fill free outbound slots: {@code newPeers} were heard of but never
 * connected, {@code triedPeers} were connected before. Returns at most {@code peerLimit} addresses.
 */
@FunctionalInterface
public interface ConnectionSelection {

  List<PeerAddress> select(List<PeerAddress> newPeers, List<PeerAddress> triedPeers, int peerLimit);
}
