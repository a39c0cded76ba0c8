package org.peermesh.devp2p;

import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpException;
import org.peermesh.devp2p.rlp.RlpItem;
import org.peermesh.devp2p.rlp.RlpList;

/**
 * A message of a sub-protocol as its {@link Devp2pProtocol.Run} receives it, as go-ethereum's {@code p2p.Msg}: the
 * code relative to the sub-protocol (0 for its first message, whatever offset the peers negotiated) and the payload,
 * RLP, decompressed.
 */
public final class Devp2pMessage {

  private final int code;
  private final byte[] payload;

  /** @param payload owned by the message from now on */
  public Devp2pMessage(int code, byte[] payload) {
    this.code = code;
    this.payload = payload;
  }

  /** The message code, relative to the sub-protocol. */
  public int code() {
    return code;
  }

  /** The payload's size in bytes. */
  public int size() {
    return payload.length;
  }

  /** A copy of the payload: RLP as the peer sent it. */
  public byte[] payload() {
    return payload.clone();
  }

  /**
   * The payload decoded as strict RLP (canonical, one item, nothing after it), as {@code msg.Decode} reads it.
   *
   * @throws InvalidMessageException if it is not; uncaught, it disconnects the peer with 0x02, as geth does
   */
  public RlpItem decode() {
    try {
      return Rlp.decode(payload);
    } catch (RlpException e) {
      throw new InvalidMessageException("message " + code + " (" + payload.length + " bytes): " + e.getMessage());
    }
  }

  /**
   * The payload decoded as a strict RLP list.
   *
   * @throws InvalidMessageException if it is not one
   */
  public RlpList decodeList() {
    if (decode() instanceof RlpList list) {
      return list;
    }
    throw new InvalidMessageException("message " + code + " is an RLP string, not a list");
  }

  @Override
  public String toString() {
    return "Devp2pMessage[code " + code + ", " + payload.length + " bytes]";
  }
}
