package org.peermesh.bitcoin.peer;

import org.peermesh.bitcoin.wire.BitcoinMessage;
import org.peermesh.bitcoin.wire.SendAddrV2Message;
import org.peermesh.bitcoin.wire.VerackMessage;
import org.peermesh.bitcoin.wire.VersionMessage;
import org.peermesh.bitcoin.wire.WtxidRelayMessage;
import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.HandshakeStep;
import org.peermesh.peer.Handshaker;
import org.peermesh.peer.Refusal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * The Bitcoin version/verack handshake of one connection, as a pure state machine: an outbound side sends its
 * version first, an inbound side answers the peer's version with its own, and each side then sends verack (with
 * BIP 339's wtxidrelay and BIP 155's sendaddrv2 before it when both speak 70016). The handshake is established once
 * the peer's version and then its verack have arrived; whatever we send meanwhile goes out as soon as it is due.
 *
 * <p>It holds no socket and no clock, so every rule here is unit-tested on messages alone; the peer verticle owns
 * the connection, the handshake timeout and the event bus.
 */
public final class BitcoinHandshaker implements Handshaker<BitcoinMessage, BitcoinHandshake> {

  /** Bitcoin Core's MIN_PEER_PROTO_VERSION: older peers do not speak the messages we use. */
  private static final int MIN_PEER_PROTOCOL_VERSION = 31800;
  /** BIP 339 (wtxidrelay) and BIP 155 (sendaddrv2) are negotiated between version and verack from this version. */
  private static final int WTXID_RELAY_VERSION = 70016;
  /**
   * What breaking the handshake costs a peer: a message out of order, a second version or a second verack. As in
   * Bitcoin Core's misbehaviour score, each violation adds to the peer's score and 100 bans it; at 10, a peer that
   * keeps reconnecting to repeat one is banned at its tenth, while a one-off glitch costs it little.
   */
  static final int VIOLATION_PENALTY = 10;
  /** The messages a peer may send between its version and its verack (BIPs 130, 152, 155, 339). */
  private static final Set<String> BEFORE_VERACK = Set.of("verack", "wtxidrelay", "sendaddrv2", "sendheaders",
      "sendcmpct", "feefilter");
  private static final Refusal DUPLICATE_VERSION = Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION,
      "duplicate_version", "a second version message", VIOLATION_PENALTY);
  private static final Refusal DUPLICATE_VERACK = Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION,
      "duplicate_verack", "a second verack message", VIOLATION_PENALTY);

  private enum Phase { AWAITING_VERSION, AWAITING_VERACK, FINISHED }

  private final Direction direction;
  private final int ownProtocolVersion;
  private final Supplier<VersionMessage> ownVersion;
  private final LongPredicate isOwnNonce;
  private Phase phase = Phase.AWAITING_VERSION;
  private VersionMessage peerVersion;

  /**
   * @param direction          who dialed: the outbound side speaks first
   * @param ownProtocolVersion our protocol version, the upper bound of the negotiated one
   * @param ownVersion         our version message, asked for once, when it is due (its nonce is then one of ours)
   * @param isOwnNonce         whether a nonce is one that our versions carried: then we have dialed ourselves
   */
  public BitcoinHandshaker(Direction direction, int ownProtocolVersion, Supplier<VersionMessage> ownVersion,
                           LongPredicate isOwnNonce) {
    this.direction = Objects.requireNonNull(direction, "direction");
    this.ownProtocolVersion = ownProtocolVersion;
    this.ownVersion = Objects.requireNonNull(ownVersion, "ownVersion");
    this.isOwnNonce = Objects.requireNonNull(isOwnNonce, "isOwnNonce");
  }

  /**
   * What the session refuses once the handshake is established: a second version or verack, as during the
   * handshake. The handshaker is finished by then, so the session asks here.
   */
  public static Optional<Refusal> refusalAfterHandshake(BitcoinMessage message) {
    if (message instanceof VersionMessage) {
      return Optional.of(DUPLICATE_VERSION);
    }
    if (message instanceof VerackMessage) {
      return Optional.of(DUPLICATE_VERACK);
    }
    return Optional.empty();
  }

  @Override
  public HandshakeStep<BitcoinMessage, BitcoinHandshake> start() {
    requireRunning();
    return HandshakeStep.proceed(direction == Direction.OUTBOUND ? List.of(ownVersion.get()) : List.of());
  }

  @Override
  public HandshakeStep<BitcoinMessage, BitcoinHandshake> onMessage(BitcoinMessage message) {
    if (!isInPlace(message)) {
      String awaited = phase == Phase.AWAITING_VERSION ? "version" : "verack";
      return refuse(Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, "no_" + awaited,
          "'" + message.command() + "' before the peer's " + awaited, VIOLATION_PENALTY));
    }
    if (message instanceof VersionMessage version) {
      return onVersion(version);
    }
    if (message instanceof VerackMessage) {
      phase = Phase.FINISHED;
      return new HandshakeStep.Established<>(List.of(), new BitcoinHandshake(peerVersion, negotiatedVersion()));
    }
    return HandshakeStep.proceed(List.of());
  }

  /**
   * Whether {@code message} may come now, judged by its type alone: only a version before the peer's version, then
   * a version, verack or negotiation message until its verack. {@link #onMessage} refuses any other message unread,
   * and the peer layer publishes no message the handshake refused: no consumer hears a peer before its version.
   */
  public boolean isInPlace(BitcoinMessage message) {
    requireRunning();
    return message instanceof VersionMessage
        || phase == Phase.AWAITING_VERACK && BEFORE_VERACK.contains(message.command());
  }

  /** The peer's version once it has been accepted, while the handshake is still running. */
  public Optional<VersionMessage> peerVersion() {
    return Optional.ofNullable(peerVersion);
  }

  private HandshakeStep<BitcoinMessage, BitcoinHandshake> onVersion(VersionMessage version) {
    if (phase == Phase.AWAITING_VERACK) {
      return refuse(DUPLICATE_VERSION);
    }
    if (isOwnNonce.test(version.nonce())) {
      return refuse(Refusal.of(DisconnectReason.SELF_CONNECTION, "self_connection",
          "connected to ourselves (our own version nonce came back)"));
    }
    if (version.protocolVersion() < MIN_PEER_PROTOCOL_VERSION) {
      return refuse(Refusal.of(DisconnectReason.INCOMPATIBLE_PROTOCOL_VERSION, "obsolete",
          "protocol version " + version.protocolVersion() + " is below " + MIN_PEER_PROTOCOL_VERSION));
    }
    peerVersion = version;
    phase = Phase.AWAITING_VERACK;
    List<BitcoinMessage> send = new ArrayList<>();
    if (direction == Direction.INBOUND) {
      send.add(ownVersion.get());
    }
    if (negotiatedVersion() >= WTXID_RELAY_VERSION) {
      send.add(new WtxidRelayMessage());
      send.add(new SendAddrV2Message());
    }
    send.add(new VerackMessage());
    return HandshakeStep.proceed(send);
  }

  private HandshakeStep<BitcoinMessage, BitcoinHandshake> refuse(Refusal refusal) {
    phase = Phase.FINISHED;
    return HandshakeStep.refuse(refusal);
  }

  private int negotiatedVersion() {
    return Math.min(ownProtocolVersion, peerVersion.protocolVersion());
  }

  private void requireRunning() {
    if (phase == Phase.FINISHED) {
      throw new IllegalStateException("the handshake is finished");
    }
  }
}
