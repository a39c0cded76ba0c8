package org.peermesh.antelope.peer;

import org.peermesh.antelope.wire.GoAwayReason;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.Refusal;

import java.util.Optional;

/**
 * The refusals of Antelope peers and the go_away reason each one is told, as nodeos tells it. A refusal's kind is
 * the reason's own name where nodeos has one ({@code wrong_chain}, {@code unlinkable}); the layer's other refusals
 * are told by their code ({@link #goAwayReason}).
 */
final class AntelopeRefusals {

  /**
   * What a malformed handshake or an out-of-place message costs: nodeos closes the connection with fatal_other; 10
   * bans a peer that keeps reconnecting to repeat it at its tenth, as for Bitcoin's handshake violations.
   */
  static final int VIOLATION_PENALTY = 10;

  private AntelopeRefusals() {
  }

  /** A handshake nodeos' {@code is_valid} refuses: go_away fatal_other. */
  static Refusal invalidHandshake(String detail) {
    return Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, GoAwayReason.FATAL_OTHER.jsonName(),
        "invalid handshake: " + detail, VIOLATION_PENALTY);
  }

  /**
   * A message nodeos closes the connection on without a word: a notice or request with more ids than nodeos sends, a
   * request for transactions in a mode it never asks in.
   */
  static Refusal invalidMessage(String detail) {
    return Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, "invalid_message", detail, VIOLATION_PENALTY);
  }

  /** A message the protocol does not allow where it came: go_away fatal_other. */
  static Refusal violation(String detail) {
    return Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, GoAwayReason.FATAL_OTHER.jsonName(), detail,
        VIOLATION_PENALTY);
  }

  static Refusal wrongChain(String detail) {
    return Refusal.of(DisconnectReason.INCOMPATIBLE_NETWORK, GoAwayReason.WRONG_CHAIN.jsonName(), detail);
  }

  static Refusal self() {
    return Refusal.of(DisconnectReason.SELF_CONNECTION, GoAwayReason.SELF.jsonName(),
        "connected to ourselves (our own node_id came back)");
  }

  static Refusal duplicate(String detail) {
    return Refusal.of(DisconnectReason.DUPLICATE_CONNECTION, GoAwayReason.DUPLICATE.jsonName(), detail);
  }

  static Refusal authentication(String detail) {
    return Refusal.of(DisconnectReason.INVALID_SIGNATURE, GoAwayReason.AUTHENTICATION.jsonName(), detail);
  }

  /** A block that links to nothing the peer sent before, while syncing from it. */
  static Refusal unlinkable(String detail) {
    return Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, GoAwayReason.UNLINKABLE.jsonName(), detail,
        VIOLATION_PENALTY);
  }

  /** A request for blocks this node does not hold: no fault of the peer's, it should ask elsewhere. */
  static Refusal benignOther(String detail) {
    return Refusal.of(DisconnectReason.NORMAL, GoAwayReason.BENIGN_OTHER.jsonName(), detail);
  }

  /**
   * The go_away reason that tells a peer why it is disconnected: the refusal's own where its kind names one, else by
   * the layer's code. None for what nodeos closes without a word: bytes that do not decode (a bad length, an unknown
   * variant, a failed unpack), the messages of {@link #invalidMessage}, timeouts, full slots, a peer that does not
   * read.
   */
  static Optional<GoAwayReason> goAwayReason(DisconnectReason reason, String kind) {
    if (kind != null) {
      for (GoAwayReason named : GoAwayReason.values()) {
        if (named.jsonName().equals(kind)) {
          return Optional.of(named);
        }
      }
    }
    return Optional.ofNullable(switch (reason) {
      case NORMAL, NODE_SHUTDOWN -> GoAwayReason.NO_REASON;
      case SELF_CONNECTION -> GoAwayReason.SELF;
      case DUPLICATE_CONNECTION -> GoAwayReason.DUPLICATE;
      case INCOMPATIBLE_NETWORK -> GoAwayReason.WRONG_CHAIN;
      case INCOMPATIBLE_PROTOCOL_VERSION -> GoAwayReason.WRONG_VERSION;
      case INVALID_SIGNATURE -> GoAwayReason.AUTHENTICATION;
      case INVALID_NODE_INFO, BANNED -> GoAwayReason.FATAL_OTHER;
      default -> null;
    });
  }
}
