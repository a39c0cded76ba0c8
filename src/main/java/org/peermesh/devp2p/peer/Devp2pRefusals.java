package org.peermesh.devp2p.peer;

import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.net.MalformedInputException;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.PeerViolation;
import org.peermesh.peer.Refusal;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * devp2p's Disconnect reasons in the peer layer's vocabulary, both ways: what a refusal or close tells the peer,
 * and what the peer's Disconnect means. A refusal whose kind is a devp2p reason's name ({@link #kind}) carries that
 * reason exactly; a framing failure carries none, as go-ethereum closes on a read error without a word.
 */
final class Devp2pRefusals {

  /**
   * What a malformed frame or handshake packet costs the peer: a fifth of its score, as for the other protocols, so
   * that bytes that are not RLPx at all (a scanner, another protocol on the port) cost a reconnect, not a ban.
   */
  static final int MALFORMED_PENALTY = 20;

  /** The kinds of the decoders' failures: geth closes without a Disconnect on each. */
  private static final Set<String> SILENT_KINDS = Set.of("bad_ecies", "bad_handshake", "too_large", "bad_size",
      "bad_mac", "bad_frame", "bad_snappy", "snappy_too_large", "unknown_code");

  private Devp2pRefusals() {
  }

  /** A decoder's refusal of the peer's bytes. */
  static PeerViolation malformed(MalformedInputException e) {
    return malformed(e.kind(), e.detail());
  }

  static PeerViolation malformed(String kind, String detail) {
    return new PeerViolation(Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, kind, detail, MALFORMED_PENALTY));
  }

  /** The refusal kind that carries {@code reason} to the peer exactly: its name in lower case. */
  static String kind(Devp2pDisconnectReason reason) {
    return reason.name().toLowerCase(Locale.ROOT);
  }

  /** A refusal for a devp2p reason; {@code penalty} 0 for one that is no fault. */
  static Refusal refusal(Devp2pDisconnectReason reason, String detail, int penalty) {
    return new Refusal(layerReason(reason).orElse(DisconnectReason.PROTOCOL_VIOLATION), kind(reason), detail, penalty);
  }

  /** What to tell a peer the node disconnects for {@code reason}, with the refusal's {@code kind} if any. */
  static Optional<Devp2pDisconnectReason> disconnectReason(DisconnectReason reason, String kind) {
    if (kind != null) {
      if (SILENT_KINDS.contains(kind)) {
        return Optional.empty();
      }
      for (Devp2pDisconnectReason named : Devp2pDisconnectReason.values()) {
        if (kind(named).equals(kind)) {
          return Optional.of(named);
        }
      }
    }
    return Optional.ofNullable(switch (reason) {
      case NORMAL -> Devp2pDisconnectReason.REQUESTED;
      case NODE_SHUTDOWN -> Devp2pDisconnectReason.QUITTING;
      case SELF_CONNECTION -> Devp2pDisconnectReason.CONNECTED_TO_SELF;
      case DUPLICATE_CONNECTION -> Devp2pDisconnectReason.ALREADY_CONNECTED;
      case INBOUND_SLOTS_FULL, OUTBOUND_SLOTS_FULL, TOO_MANY_PENDING_FROM_IP, TOO_MANY_PENDING_HANDSHAKES, EVICTED ->
          Devp2pDisconnectReason.TOO_MANY_PEERS;
      case PEER_TIMEOUT, HANDSHAKE_TIMEOUT -> Devp2pDisconnectReason.READ_TIMEOUT;
      case INCOMPATIBLE_PROTOCOL_VERSION -> Devp2pDisconnectReason.INCOMPATIBLE_VERSION;
      case INCOMPATIBLE_NETWORK -> Devp2pDisconnectReason.SUBPROTOCOL_ERROR;
      case PROTOCOL_VIOLATION, BANNED, INVALID_SIGNATURE, INVALID_NODE_INFO, BLACKLISTED ->
          Devp2pDisconnectReason.PROTOCOL_ERROR;
      // A peer that does not read gets no last words: they would only wait in its queue.
      case WRITE_QUEUE_FULL -> null;
    });
  }

  /** What a devp2p reason means in the layer's terms, where the layer names it. */
  static Optional<DisconnectReason> layerReason(Devp2pDisconnectReason reason) {
    return Optional.ofNullable(switch (reason) {
      case REQUESTED -> DisconnectReason.NORMAL;
      case QUITTING -> DisconnectReason.NODE_SHUTDOWN;
      case PROTOCOL_ERROR -> DisconnectReason.PROTOCOL_VIOLATION;
      case TOO_MANY_PEERS -> DisconnectReason.INBOUND_SLOTS_FULL;
      case ALREADY_CONNECTED -> DisconnectReason.DUPLICATE_CONNECTION;
      case INCOMPATIBLE_VERSION -> DisconnectReason.INCOMPATIBLE_PROTOCOL_VERSION;
      case CONNECTED_TO_SELF -> DisconnectReason.SELF_CONNECTION;
      case READ_TIMEOUT -> DisconnectReason.PEER_TIMEOUT;
      case USELESS_PEER, SUBPROTOCOL_ERROR -> DisconnectReason.INCOMPATIBLE_NETWORK;
      case NETWORK_ERROR, INVALID_IDENTITY, UNEXPECTED_IDENTITY -> null;
    });
  }
}
