package org.peermesh.devp2p.rlpx;

import org.peermesh.net.MalformedInputException;

/**
 * Bytes from a devp2p peer that break RLPx: a handshake packet that does not decrypt or decode, a frame whose MAC
 * does not hold, a size over a cap, a snappy block that is malformed or too large. go-ethereum closes the connection
 * on every one of them, so there is no recovery: the {@link #kind()} names the failure for logs and refusals, the
 * detail says where and why.
 *
 * <p>Its kinds: {@code bad_ecies}, {@code bad_handshake}, {@code too_large}, {@code bad_size}, {@code bad_mac}, {@code
 * bad_frame}, {@code snappy_too_large}, {@code bad_snappy}.
 */
public final class RlpxException extends MalformedInputException {

  RlpxException(String kind, String detail) {
    super(kind, detail);
  }
}
