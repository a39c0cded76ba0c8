package org.peermesh.peer;

import java.util.Objects;
import java.util.Optional;

/**
 * A peer's word that it leaves, as its protocol carries it.
 *
 * @param code   the close code the peer sent, in its protocol's numbering
 * @param reason what that code means in the layer's vocabulary, if it means anything known
 * @param detail the peer's own words, possibly empty
 */
public record Goodbye(int code, Optional<DisconnectReason> reason, String detail) {

  public Goodbye {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public String toString() {
    return reason.map(r -> r.name() + " (" + code + ")").orElse("code " + code) + (detail.isEmpty() ? "" : ", " + detail);
  }
}
