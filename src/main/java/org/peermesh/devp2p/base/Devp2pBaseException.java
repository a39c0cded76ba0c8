package org.peermesh.devp2p.base;

import org.peermesh.net.MalformedInputException;

/**
 * A base-protocol payload that is well-formed RLP but not a message go-ethereum would accept (malformed RLP fails
 * earlier, with {@link org.peermesh.devp2p.rlp.RlpException}). go-ethereum closes the connection without a Disconnect
 * on these, as on any read error.
 *
 * <p>Its kinds: {@code too_large} (a Hello over {@link HelloMessage#MAX_SIZE}), {@code bad_reason} (a disconnect
 * reason above 255, which go-ethereum's {@code uint8} cannot hold).
 */
public final class Devp2pBaseException extends MalformedInputException {

  Devp2pBaseException(String kind, String detail) {
    super(kind, detail);
  }
}
