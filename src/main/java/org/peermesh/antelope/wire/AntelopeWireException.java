package org.peermesh.antelope.wire;

import org.peermesh.net.MalformedInputException;

/**
 * Bytes from an Antelope peer that break the wire protocol. nodeos closes the connection on any of them (a bad
 * length prefix, an unknown variant, an unpack failure), so there is no per-message recovery: the {@link #kind()}
 * names the failure for logs and refusals, the message says where and why.
 *
 * <p>Its kinds: {@code truncated}, {@code trailing_bytes}, {@code varuint_too_long}, {@code too_many_elements}, {@code
 * bad_length}, {@code bad_key_type}, {@code bad_bool}, {@code bad_utf8}, {@code bad_compression}, {@code
 * unknown_variant}, {@code message_too_large}.
 */
public final class AntelopeWireException extends MalformedInputException {

  AntelopeWireException(String kind, String detail) {
    super(kind, detail);
  }
}
