package org.peermesh.devp2p.peer;

import org.peermesh.devp2p.Devp2pPeer;
import org.peermesh.devp2p.base.Capability;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.devp2p.discovery.NodeId;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.Direction;
import org.peermesh.peer.PeerLink;

import java.util.List;

/** A connected peer as its sub-protocols see it: who it is, from its handshake, and the one thing they do to it. */
final class SessionPeer implements Devp2pPeer {

  private final PeerLink<RlpxMessage> link;
  private final Devp2pHandshake established;

  SessionPeer(PeerLink<RlpxMessage> link, Devp2pHandshake established) {
    this.link = link;
    this.established = established;
  }

  @Override
  public NodeId id() {
    return established.remoteId();
  }

  @Override
  public String name() {
    return link.name();
  }

  @Override
  public String clientId() {
    return established.hello().clientId();
  }

  @Override
  public List<Capability> caps() {
    return established.hello().capabilities();
  }

  @Override
  public PeerAddress remoteAddress() {
    return link.remote();
  }

  @Override
  public boolean inbound() {
    return link.direction() == Direction.INBOUND;
  }

  @Override
  public void disconnect(Devp2pDisconnectReason reason) {
    link.refuse(Devp2pRefusals.refusal(reason, "disconnected by a sub-protocol: " + reason.words(), 0));
  }

  /**
   * Its enode URL: the port its Hello names (geth sends 0, as the spec now says), else the one it is connected from,
   * which is its listening port only for a peer we dialed.
   */
  String enode() {
    int port = established.hello().listenPort() > 0 ? established.hello().listenPort() : link.remote().port();
    return "enode://" + established.remoteId().hex() + "@" + link.remote().host() + ":" + port;
  }

  /** The connection, for the node's own sub-protocols, which publish on the bus. */
  PeerLink<RlpxMessage> link() {
    return link;
  }

  @Override
  public String toString() {
    return "devp2p peer " + link.name() + " (" + established.remoteId().hex().substring(0, 16) + ")";
  }
}
