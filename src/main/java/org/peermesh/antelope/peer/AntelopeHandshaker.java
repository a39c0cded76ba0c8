package org.peermesh.antelope.peer;

import org.peermesh.antelope.crypto.AntelopePublicKey;
import org.peermesh.antelope.crypto.K1Signatures;
import org.peermesh.antelope.peer.AntelopeOptions.AllowedConnection;
import org.peermesh.antelope.wire.AntelopeMessage;
import org.peermesh.antelope.wire.Checksum256;
import org.peermesh.antelope.wire.HandshakeMessage;
import org.peermesh.antelope.wire.TimeMessage;
import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.HandshakeStep;
import org.peermesh.peer.Handshaker;
import org.peermesh.peer.Refusal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The Antelope handshake of one connection, as a pure state machine: an outbound side sends its handshake_message
 * at once, an inbound side answers the peer's first one with its own. It is established on the peer's handshake once
 * nodeos' checks pass, in {@code handle_message}'s order: {@code is_valid}, self, duplicate (the node holds no other
 * connection to the peer's node_id: a claim, across the cluster), wrong chain, authentication. Each refusal
 * carries the go_away reason nodeos would send ({@link AntelopeRefusals}).
 *
 * <p>A first handshake with any generation is accepted, as nodeos does: wharfkit's P2P guide sends 4.
 */
final class AntelopeHandshaker implements Handshaker<AntelopeMessage, AntelopeHandshake> {

  private enum Phase { AWAITING_HANDSHAKE, AWAITING_CLAIM, FINISHED }

  private final Direction direction;
  private final Supplier<HandshakeMessage> ownHandshake;
  private final Checksum256 ownNodeId;
  private final Checksum256 chainId;
  private final AllowedConnection allowedConnection;
  private final Set<AntelopePublicKey> allowedKeys;
  private final BooleanSupplier hostFull;
  private Phase phase = Phase.AWAITING_HANDSHAKE;
  private HandshakeMessage peer;
  private boolean keyProven;

  /**
   * @param ownHandshake our handshake, asked for once, when it is due
   * @param ownNodeId    this node's node_id, to spot a connection to ourselves
   * @param hostFull     whether the inbound peer's host already has maxClientsPerHost peers connected: it is then
   *                     closed without a word, as nodeos closes a connection past p2p-max-nodes-per-host
   */
  AntelopeHandshaker(Direction direction, Supplier<HandshakeMessage> ownHandshake, Checksum256 ownNodeId,
                     Checksum256 chainId, AllowedConnection allowedConnection, Set<AntelopePublicKey> allowedKeys,
                     BooleanSupplier hostFull) {
    this.direction = Objects.requireNonNull(direction, "direction");
    this.ownHandshake = Objects.requireNonNull(ownHandshake, "ownHandshake");
    this.ownNodeId = Objects.requireNonNull(ownNodeId, "ownNodeId");
    this.chainId = Objects.requireNonNull(chainId, "chainId");
    this.allowedConnection = Objects.requireNonNull(allowedConnection, "allowedConnection");
    this.allowedKeys = Set.copyOf(allowedKeys);
    this.hostFull = Objects.requireNonNull(hostFull, "hostFull");
  }

  /**
   * nodeos' {@code handshake_message::is_valid}, asked of every handshake a peer sends, the first and later ones:
   * its last irreversible block at or below its head, an address and an os of 1 to 384 bytes of UTF-8 (nodeos counts
   * a std::string's bytes), an agent of at most 384, and a token that is sha256 of its time whenever it is signed.
   */
  static Optional<Refusal> invalidity(HandshakeMessage handshake) {
    if (handshake.lastIrreversibleBlockNum() > handshake.headNum()) {
      return Optional.of(AntelopeRefusals.invalidHandshake("last irreversible block "
          + handshake.lastIrreversibleBlockNum() + " is above head " + handshake.headNum()));
    }
    int address = AntelopeOptions.bytesOf(handshake.p2pAddress());
    if (address == 0 || address > AntelopeOptions.MAX_HANDSHAKE_STRING) {
      return Optional.of(AntelopeRefusals.invalidHandshake("p2p_address of " + address + " bytes, not 1 to "
          + AntelopeOptions.MAX_HANDSHAKE_STRING));
    }
    int os = AntelopeOptions.bytesOf(handshake.os());
    if (os == 0 || os > AntelopeOptions.MAX_HANDSHAKE_STRING) {
      return Optional.of(AntelopeRefusals.invalidHandshake("os of " + os + " bytes, not 1 to "
          + AntelopeOptions.MAX_HANDSHAKE_STRING));
    }
    int agent = AntelopeOptions.bytesOf(handshake.agent());
    if (agent > AntelopeOptions.MAX_HANDSHAKE_STRING) {
      return Optional.of(AntelopeRefusals.invalidHandshake("agent of " + agent + " bytes, more than "
          + AntelopeOptions.MAX_HANDSHAKE_STRING));
    }
    boolean signed = !handshake.sig().isZero() || !handshake.token().isZero();
    if (signed && !handshake.token().equals(tokenOf(handshake.time()))) {
      return Optional.of(AntelopeRefusals.invalidHandshake("token is not sha256 of the handshake's time"));
    }
    return Optional.empty();
  }

  /** The token a signed handshake carries: sha256 of its time, an int64 in little-endian order. */
  static Checksum256 tokenOf(long timeNanos) {
    return Checksum256.sha256(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(timeNanos)
        .array());
  }

  @Override
  public HandshakeStep<AntelopeMessage, AntelopeHandshake> start() {
    requireRunning();
    if (direction == Direction.INBOUND && hostFull.getAsBoolean()) {
      return refuse(Refusal.of(DisconnectReason.INBOUND_SLOTS_FULL, "max_clients_per_host",
          "the peer's host has maxClientsPerHost peers connected already"));
    }
    return HandshakeStep.proceed(direction == Direction.OUTBOUND ? List.of(ownHandshake.get()) : List.of());
  }

  @Override
  public HandshakeStep<AntelopeMessage, AntelopeHandshake> onMessage(AntelopeMessage message) {
    requireRunning();
    if (message instanceof TimeMessage) {
      // A heartbeat may come before the handshake (wharfkit's ticker starts with the socket): liveness, nothing more.
      return HandshakeStep.proceed(List.of());
    }
    if (!(message instanceof HandshakeMessage handshake)) {
      return refuse(AntelopeRefusals.violation("'" + message.typeName() + "' before the peer's handshake_message"));
    }
    if (phase == Phase.AWAITING_CLAIM) {
      return refuse(AntelopeRefusals.violation("a second handshake_message before the first was settled"));
    }
    Optional<Refusal> refusal = invalidity(handshake);
    if (refusal.isPresent()) {
      return refuse(refusal.get());
    }
    if (handshake.nodeId().equals(ownNodeId)) {
      return refuse(AntelopeRefusals.self());
    }
    peer = handshake;
    phase = Phase.AWAITING_CLAIM;
    return new HandshakeStep.Claim<>(List.of(), handshake.nodeId().toHex());
  }

  @Override
  public HandshakeStep<AntelopeMessage, AntelopeHandshake> onClaim(boolean granted, String detail) {
    if (phase != Phase.AWAITING_CLAIM) {
      throw new IllegalStateException("no claim is under way");
    }
    if (!granted) {
      return refuse(AntelopeRefusals.duplicate("node " + peer.nodeId().toHex().substring(0, 7)
          + " is already connected" + (detail == null || detail.isEmpty() ? "" : ": " + detail)));
    }
    Optional<Refusal> refusal = refusalOf(peer);
    if (refusal.isPresent()) {
      return refuse(refusal.get());
    }
    phase = Phase.FINISHED;
    List<AntelopeMessage> send = direction == Direction.INBOUND ? List.of(ownHandshake.get()) : List.of();
    return new HandshakeStep.Established<>(send, new AntelopeHandshake(peer, keyProven));
  }

  /** What nodeos' handle_message refuses a peer that is not a duplicate for, in its order: wrong chain, then authentication. */
  private Optional<Refusal> refusalOf(HandshakeMessage handshake) {
    if (!handshake.chainId().equals(chainId)) {
      return Optional.of(AntelopeRefusals.wrongChain("chain " + handshake.chainId().toHex() + ", not ours ("
          + chainId.toHex() + ")"));
    }
    keyProven = !handshake.sig().isZero()
        && K1Signatures.verify(handshake.key(), handshake.token().bytes(), handshake.sig());
    return switch (allowedConnection) {
      case ANY -> Optional.empty();
      case SIGNED -> keyProven ? Optional.empty()
          : Optional.of(AntelopeRefusals.authentication("the handshake is not signed by the key it names"));
      case SPECIFIED -> !keyProven
          ? Optional.of(AntelopeRefusals.authentication("the handshake is not signed by the key it names"))
          : allowedKeys.contains(handshake.key()) ? Optional.empty()
          : Optional.of(AntelopeRefusals.authentication("key " + handshake.key() + " is not an allowed key"));
    };
  }

  private HandshakeStep<AntelopeMessage, AntelopeHandshake> refuse(Refusal refusal) {
    phase = Phase.FINISHED;
    return HandshakeStep.refuse(refusal);
  }

  private void requireRunning() {
    if (phase == Phase.FINISHED) {
      throw new IllegalStateException("the handshake is finished");
    }
  }
}
