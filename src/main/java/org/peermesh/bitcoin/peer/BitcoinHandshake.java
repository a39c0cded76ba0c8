package org.peermesh.bitcoin.peer;

import org.peermesh.bitcoin.wire.VersionMessage;

import java.util.Objects;

/**
 * What a finished Bitcoin version/verack handshake yields: who the peer said it is, and the protocol version the two
 * sides speak from then on. The session reads the peer's services here rather than keeping the handshake's state.
 *
 * @param peerVersion       the peer's version message: its services, user agent and best height
 * @param negotiatedVersion the lower of our protocol version and the peer's, as Bitcoin Core's {@code GetCommonVersion}
 */
public record BitcoinHandshake(VersionMessage peerVersion, int negotiatedVersion) {

  /** BIP 144's service bit: the peer serves blocks and transactions with their witnesses. */
  static final long NODE_WITNESS = 1L << 3;

  public BitcoinHandshake {
    Objects.requireNonNull(peerVersion, "peerVersion");
  }

  /** Whether the peer serves witnesses, so that what we fetch from it asks for them. */
  public boolean servesWitnesses() {
    return (peerVersion.services() & NODE_WITNESS) != 0;
  }
}
