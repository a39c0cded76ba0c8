package org.peermesh.devp2p.rlp;

import org.peermesh.net.MalformedInputException;

/**
 * Bytes that are not the RLP a reader expects: malformed encodings and items of the wrong shape alike. A peer that
 * sends either has broken the protocol, so the callers drop the message or the connection; {@link #kind()} names the
 * failure for logs and refusals, the message says where and why.
 *
 * <p>Its kinds: {@code truncated}, {@code trailing_bytes}, {@code non_canonical}, {@code too_deep}, {@code not_a_list},
 * {@code not_a_string}, {@code bad_integer}, {@code missing}, {@code bad_utf8}.
 */
public final class RlpException extends MalformedInputException {

  RlpException(String kind, String detail) {
    super(kind, detail);
  }
}
