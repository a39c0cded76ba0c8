package org.peermesh.devp2p.base;

import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpList;

/**
 * Pong (code 0x03): the answer to a {@link PingMessage}. It carries the empty list; a received Pong's payload is not
 * read, as go-ethereum does not read it.
 */
public final class PongMessage {

  public static final int CODE = BaseMessageCodes.PONG;

  private PongMessage() {
  }

  /** The payload, {@code C0}: a new array each call, so no caller can change another's. */
  public static byte[] payload() {
    return Rlp.encode(RlpList.EMPTY);
  }
}
