package org.peermesh.antelope.wire;

/**
 * Bytes from an Antelope peer that break the wire protocol. nodeos closes the connection on any of them (a bad
 * length prefix, an unknown variant, an unpack failure), so there is no per-message recovery: the {@link #kind()}
 * names the failure for logs and refusals, the message says where and why.
 */
public final class AntelopeWireException extends RuntimeException {

  private final String kind;

  AntelopeWireException(String kind, String detail) {
    super(detail);
    this.kind = kind;
  }

  /**
   * A short machine name for the failure: {@code truncated}, {@code trailing_bytes}, {@code varuint_too_long},
   * {@code too_many_elements}, {@code bad_length}, {@code bad_key_type}, {@code bad_bool}, {@code bad_utf8},
   * {@code bad_compression}, {@code unknown_variant}, {@code message_too_large}.
   */
  public String kind() {
    return kind;
  }

  /** What was wrong and where, for a human. */
  public String detail() {
    return getMessage();
  }
}
