package org.peermesh.peer;

import java.util.Objects;

/**
 * Why a peer is refused or disconnected, in the layer's one vocabulary.
 *
 * @param reason  the close code, sent to the peer where its protocol can carry one
 * @param kind    a short machine-readable name of what happened ({@code duplicate_version},
 *                {@code incompatible_network}), published in the error event
 * @param detail  the human-readable detail, published and logged
 * @param penalty the reputation the peer loses for it: 0 for a refusal that is no fault (another network, a peer
 *                that is ourselves), more for misbehaviour
 */
public record Refusal(DisconnectReason reason, String kind, String detail, int penalty) {

  public Refusal {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
    if (penalty < 0) {
      throw new IllegalArgumentException("penalty " + penalty + " < 0");
    }
  }

  /** A refusal that costs the peer nothing: it is not misbehaviour. */
  public static Refusal of(DisconnectReason reason, String kind, String detail) {
    return new Refusal(reason, kind, detail, 0);
  }

  /** Misbehaviour: the peer loses {@code penalty} and is disconnected. */
  public static Refusal violation(DisconnectReason reason, String kind, String detail, int penalty) {
    return new Refusal(reason, kind, detail, penalty);
  }

  /** Whether the peer broke the protocol, rather than being refused for who it is. */
  public boolean isViolation() {
    return penalty > 0;
  }
}
