package org.peermesh.devp2p;

import org.peermesh.devp2p.base.Devp2pDisconnectReason;

import java.util.Objects;

/**
 * Disconnects a peer with a given reason when thrown out of a {@link Devp2pProtocol.Run} or its handlers, as a Go
 * sub-protocol returns a {@code p2p.DiscReason}.
 */
public class Devp2pDisconnectException extends RuntimeException {

  private final Devp2pDisconnectReason reason;

  public Devp2pDisconnectException(Devp2pDisconnectReason reason, String detail) {
    super(detail);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Devp2pDisconnectReason reason() {
    return reason;
  }
}
