package org.peermesh.devp2p.peer;

import org.peermesh.devp2p.base.CapabilityNegotiation;
import org.peermesh.devp2p.base.HelloMessage;
import org.peermesh.devp2p.discovery.NodeId;

import java.util.Objects;

/**
 * What an RLPx connection's handshake establishes: the peer's proven key, its Hello and the capabilities both run.
 *
 * @param remoteId   the key the peer proved in the RLPx handshake, which its Hello names too
 * @param hello      the peer's Hello
 * @param negotiated the shared capabilities at their offsets
 */
public record Devp2pHandshake(NodeId remoteId, HelloMessage hello, CapabilityNegotiation.Negotiated negotiated) {

  public Devp2pHandshake {
    Objects.requireNonNull(remoteId, "remoteId");
    Objects.requireNonNull(hello, "hello");
    Objects.requireNonNull(negotiated, "negotiated");
  }
}
