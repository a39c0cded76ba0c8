package org.peermesh.net;

/**
 * Bytes from a peer that a decoder refuses: each wire format has its own subclass, so a caller catches exactly its
 * own decoder's refusals, and all of them carry the same two things: {@link #kind()}, a short machine name for the
 * failure (what refusals, events and counters are keyed by), and {@link #detail()}, what was wrong and where.
 */
public abstract class MalformedInputException extends RuntimeException {

  private final String kind;

  protected MalformedInputException(String kind, String detail) {
    super(detail);
    this.kind = kind;
  }

  protected MalformedInputException(String kind, String detail, Throwable cause) {
    super(detail, cause);
    this.kind = kind;
  }

  /** A short machine name for the failure; each subclass lists its own. */
  public String kind() {
    return kind;
  }

  /** What was wrong and where, for a human. */
  public String detail() {
    return getMessage();
  }
}
