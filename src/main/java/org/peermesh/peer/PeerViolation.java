package org.peermesh.peer;

import java.util.Objects;

/** A peer broke its protocol: thrown by a codec, it ends the connection with the refusal it carries. */
public final class PeerViolation extends RuntimeException {

  private final transient Refusal refusal;

  public PeerViolation(Refusal refusal) {
    super(refusal.detail(), null, false, false);
    this.refusal = Objects.requireNonNull(refusal, "refusal");
  }

  public Refusal refusal() {
    return refusal;
  }
}
