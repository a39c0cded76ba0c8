package org.peermesh.mesh.wire;

/**
 * Bytes from a peer that break the wire protocol. The {@link #reason()} lets a connection tell the
 * one case it survives, {@link Reason#UNKNOWN_TYPE}, from those that end it.
 */
public final class WireFormatException extends RuntimeException {

  public enum Reason {
    /** The length prefix exceeds the receiver's maximum frame size. */
    FRAME_TOO_LARGE,
    /** The length prefix is 0, but every frame has a type byte. */
    EMPTY_FRAME,
    /** A type byte this version does not know; a newer peer may send it, so the frame can be skipped. */
    UNKNOWN_TYPE,
    /** The body ends before a field does. */
    TRUNCATED,
    /** Bytes remain after the last field of a fixed-layout body. */
    TRAILING_BYTES,
    /** A string or JSON field is not well-formed UTF-8. */
    INVALID_UTF8,
    /** A JSON field is not exactly one JSON value. */
    INVALID_JSON,
    /** A field is well-formed but outside its allowed values (length, range, JSON kind). */
    INVALID_FIELD
  }

  private final Reason reason;

  WireFormatException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  WireFormatException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
