package org.peermesh.devp2p.enr;

/**
 * A node record that cannot be used: malformed, too large, unsorted, or not signed by the key it names. Records come
 * from peers (discv4's ENRResponse, DNS lists, eth handshakes) and are dropped when bad; {@link #kind()} names the
 * failure for logs and counts, the message says where and why.
 */
public final class EnrException extends RuntimeException {

  private final String kind;

  EnrException(String kind, String detail) {
    super(detail);
    this.kind = kind;
  }

  /**
   * A short machine name for the failure: {@code too_large}, {@code bad_rlp}, {@code bad_shape},
   * {@code unsorted_keys}, {@code unknown_scheme}, {@code bad_signature}, {@code bad_text}.
   */
  public String kind() {
    return kind;
  }

  /** What was wrong and where, for a human. */
  public String detail() {
    return getMessage();
  }
}
