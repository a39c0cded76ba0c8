package org.peermesh.antelope.peer;

import org.peermesh.antelope.wire.HandshakeMessage;

import java.util.Objects;

/**
 * What an Antelope handshake establishes: the peer's handshake, as it named its chain, node, head and key.
 *
 * @param peer           the peer's first handshake
 * @param keyProven      whether its signature over its token was checked and recovers its key
 */
public record AntelopeHandshake(HandshakeMessage peer, boolean keyProven) {

  public AntelopeHandshake {
    Objects.requireNonNull(peer, "peer");
  }
}
