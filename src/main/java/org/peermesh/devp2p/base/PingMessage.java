package org.peermesh.devp2p.base;

import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpList;

/**
 * Ping (code 0x02): asks the peer for a {@link PongMessage}, to keep an idle session alive and to learn the peer still
 * answers (go-ethereum pings every 15 s). It carries the empty list; a received Ping's payload is not read, as
 * go-ethereum does not read it, so a newer peer may put anything there.
 */
public final class PingMessage {

  public static final int CODE = BaseMessageCodes.PING;

  private PingMessage() {
  }

  /** The payload, {@code C0}: a new array each call, so no caller can change another's. */
  public static byte[] payload() {
    return Rlp.encode(RlpList.EMPTY);
  }
}
