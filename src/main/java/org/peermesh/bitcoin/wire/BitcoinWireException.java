package org.peermesh.bitcoin.wire;

/**
 * Bytes from a Bitcoin peer that break the wire protocol. Framing errors ({@link
 * Reason#PAYLOAD_TOO_LARGE}, {@link Reason#BAD_CHECKSUM}, {@link Reason#BAD_COMMAND}) lose the
 * position in the stream, so the connection must be closed; payload errors concern one message
 * only, and the {@link #reason()} lets the peer logic decide how much to punish the sender.
 */
public final class BitcoinWireException extends RuntimeException {

  public enum Reason {
    /** The header's payload length exceeds the receiver's maximum. */
    PAYLOAD_TOO_LARGE,
    /** The header's checksum is not the first 4 bytes of SHA-256d of the payload. */
    BAD_CHECKSUM,
    /** The header's command is empty, not printable ASCII, or not NUL-padded. */
    BAD_COMMAND,
    /** The payload ends before a field does, or a count claims more elements than bytes remain. */
    TRUNCATED,
    /** Bytes remain after the last field of the payload. */
    TRAILING_BYTES,
    /** A field is well-formed but outside its allowed values (count over the limit, bad length). */
    INVALID_FIELD
  }

  private final Reason reason;

  BitcoinWireException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
