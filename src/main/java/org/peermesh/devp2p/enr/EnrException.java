package org.peermesh.devp2p.enr;

import org.peermesh.net.MalformedInputException;

/**
 * A node record that cannot be used: malformed, too large, unsorted, or not signed by the key it names. Records come
 * from peers (discv4's ENRResponse, DNS lists, eth handshakes) and are dropped when bad; {@link #kind()} names the
 * failure for logs and counts, the message says where and why.
 *
 * <p>Its kinds: {@code too_large}, {@code bad_rlp}, {@code bad_shape}, {@code unsorted_keys}, {@code unknown_scheme},
 * {@code bad_signature}, {@code bad_text}.
 */
public final class EnrException extends MalformedInputException {

  EnrException(String kind, String detail) {
    super(kind, detail);
  }
}
