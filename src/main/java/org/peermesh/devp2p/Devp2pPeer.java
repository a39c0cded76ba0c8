package org.peermesh.devp2p;

import org.peermesh.devp2p.base.Capability;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.devp2p.discovery.NodeId;
import org.peermesh.net.PeerAddress;

import java.util.List;

/** A connected devp2p peer as its sub-protocols see it, as go-ethereum's {@code p2p.Peer}. */
public interface Devp2pPeer {

  /** The key the peer proved in the RLPx handshake: its node id, 64 bytes. */
  NodeId id();

  /** Its name on the event bus, {@code host:port}: the {@code peer} field of its events and commands. */
  String name();

  /** The client id of its Hello ({@code Geth/v1.14.0/linux-amd64/go1.22}). */
  String clientId();

  /** The capabilities of its Hello. */
  List<Capability> caps();

  /** Where it is connected: the address dialed, or the one it came from. */
  PeerAddress remoteAddress();

  /** Whether it dialed us. */
  boolean inbound();

  /** Disconnects it with {@code reason}. */
  void disconnect(Devp2pDisconnectReason reason);
}
