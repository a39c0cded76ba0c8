package org.peermesh.devp2p;

/**
 * A sub-protocol message that does not decode, or a code outside the sub-protocol's range: go-ethereum's
 * {@code errInvalidMsg} and {@code errInvalidMsgCode}. Thrown out of a {@link Devp2pProtocol.Run}'s handler, it
 * disconnects the peer with 0x02 (breach of protocol), and the peer pays for it.
 */
public class InvalidMessageException extends RuntimeException {

  public InvalidMessageException(String message) {
    super(message);
  }
}
