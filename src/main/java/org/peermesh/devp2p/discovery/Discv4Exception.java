package org.peermesh.devp2p.discovery;

import org.peermesh.net.MalformedInputException;

/**
 * A discv4 datagram or node URL that cannot be used. Discovery answers nothing to a bad datagram (the sender may be
 * spoofed, and a reply would make us an amplifier), so the service only drops it and counts it: {@link #kind()}
 * names the failure for that count and for logs, the message says where and why.
 *
 * <p>Its kinds: {@code too_large}, {@code truncated}, {@code bad_hash}, {@code bad_signature}, {@code unknown_type},
 * {@code bad_rlp}, {@code bad_ip}, {@code bad_port}, {@code bad_length}, {@code bad_enr}, {@code bad_enode}.
 */
public final class Discv4Exception extends MalformedInputException {

  Discv4Exception(String kind, String detail) {
    super(kind, detail);
  }

  Discv4Exception(String kind, String detail, Throwable cause) {
    super(kind, detail, cause);
  }
}
