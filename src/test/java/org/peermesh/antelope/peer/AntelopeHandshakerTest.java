package org.peermesh.antelope.peer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.peermesh.antelope.crypto.AntelopePrivateKey;
import org.peermesh.antelope.crypto.AntelopePublicKey;
import org.peermesh.antelope.crypto.AntelopeSignature;
import org.peermesh.antelope.peer.AntelopeOptions.AllowedConnection;
import org.peermesh.antelope.wire.AntelopeMessage;
import org.peermesh.antelope.wire.AntelopeSamples;
import org.peermesh.antelope.wire.Checksum256;
import org.peermesh.antelope.wire.GoAwayReason;
import org.peermesh.antelope.wire.HandshakeMessage;
import org.peermesh.antelope.wire.TimeMessage;
import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.HandshakeStep;
import org.peermesh.peer.Refusal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The Antelope handshake on messages alone: who speaks first, nodeos' checks in nodeos' order (is_valid, self, wrong
 * chain, authentication, duplicate by claim), the allowed-connection modes with real K1 signatures, and the go_away
 * reason each refusal is told.
 */
class AntelopeHandshakerTest {

  /** EOS mainnet's chain id. */
  private static final Checksum256 CHAIN =
      Checksum256.fromHex("aca376f206b8fc25a6ed44dbdc66547c36c6c33e3a119ffbeaef943642f0e906");
  private static final Checksum256 OTHER_CHAIN = sha256("a test net");
  private static final Checksum256 OUR_NODE = sha256("our node");
  private static final Checksum256 THEIR_NODE = sha256("their node");
  private static final long TIME = 1_700_000_000_000_000_000L;
  private static final int MAX = AntelopeOptions.MAX_HANDSHAKE_STRING;
  /** Keys are slow to make and stateless: one pair for the whole class. */
  private static final AntelopePrivateKey ALLOWED_KEY = AntelopePrivateKey.generate();
  private static final AntelopePrivateKey STRANGER_KEY = AntelopePrivateKey.generate();

  private static Checksum256 sha256(String text) {
    return Checksum256.sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The handshake a peer sends, valid and unsigned unless a test changes a field. */
  private static final class PeerHello {
    Checksum256 chainId = CHAIN;
    Checksum256 nodeId = THEIR_NODE;
    AntelopePublicKey key = AntelopePublicKey.ZERO_K1;
    long time = TIME;
    Checksum256 token = Checksum256.ZERO;
    AntelopeSignature sig = AntelopeSignature.ZERO_K1;
    String p2pAddress = "peer.example:9876 - 5eed000";
    long lib = 90;
    long head = 100;
    String os = "linux";
    String agent = "\"EOS Test Agent\"";
    int generation = 1;

    PeerHello with(Consumer<PeerHello> change) {
      change.accept(this);
      return this;
    }

    /** Signed as nodeos signs: {@code signer}'s signature over sha256 of the time, naming {@code named}. */
    PeerHello signed(AntelopePrivateKey signer, AntelopePublicKey named) {
      key = named;
      token = AntelopeHandshaker.tokenOf(time);
      sig = signer.signDigest(token.bytes());
      return this;
    }

    PeerHello signedBy(AntelopePrivateKey signer) {
      return signed(signer, signer.publicKey());
    }

    HandshakeMessage build() {
      return new HandshakeMessage(AntelopeOptions.LEAP_NETWORK_VERSION, chainId, nodeId, key, time, token, sig,
          p2pAddress, lib, sha256("lib " + lib), head, sha256("head " + head), os, agent, generation);
    }
  }

  private static HandshakeMessage theirs(Consumer<PeerHello> change) {
    return new PeerHello().with(change).build();
  }

  private static HandshakeMessage theirs() {
    return new PeerHello().build();
  }

  /** Ours as the protocol would build it: only its identity matters to these tests. */
  private static final HandshakeMessage OURS = new PeerHello().with(h -> {
    h.nodeId = OUR_NODE;
    h.p2pAddress = "127.0.0.1:9876 - " + OUR_NODE.toHex().substring(0, 7);
  }).build();

  /** A handshaker, and how often it asked for our handshake: it must ask only when the handshake is due. */
  private record Side(AntelopeHandshaker handshaker, AtomicInteger ownHandshakesBuilt) {
  }

  private static Side side(Direction direction, AllowedConnection mode, Set<AntelopePublicKey> allowedKeys,
                           boolean hostFull) {
    AtomicInteger built = new AtomicInteger();
    AntelopeHandshaker handshaker = new AntelopeHandshaker(direction, () -> {
      built.incrementAndGet();
      return OURS;
    }, OUR_NODE, CHAIN, mode, allowedKeys, () -> hostFull);
    return new Side(handshaker, built);
  }

  private static AntelopeHandshaker started(Direction direction, AllowedConnection mode) {
    AntelopeHandshaker handshaker = side(direction, mode, Set.of(ALLOWED_KEY.publicKey()), false).handshaker();
    handshaker.start();
    return handshaker;
  }

  private static AntelopeHandshaker startedInbound() {
    return started(Direction.INBOUND, AllowedConnection.ANY);
  }

  /** What the handshaker does with the peer's handshake once the claim on its node_id is granted. */
  private static HandshakeStep<AntelopeMessage, AntelopeHandshake> claimGranted(AntelopeHandshaker handshaker,
                                                                                HandshakeMessage peer) {
    HandshakeStep.Claim<?, ?> claim = assertInstanceOf(HandshakeStep.Claim.class, handshaker.onMessage(peer));
    assertEquals(peer.nodeId().toHex(), claim.identity());
    assertEquals(List.of(), claim.send());
    return handshaker.onClaim(true, "");
  }

  /**
   * Where the peer's handshake ends once nothing else holds its node_id: a refusal before the claim (is_valid, self),
   * or the claim granted and what follows (wrong chain, authentication, established), in nodeos' order.
   */
  private static HandshakeStep<AntelopeMessage, AntelopeHandshake> settled(AntelopeHandshaker handshaker,
                                                                           HandshakeMessage peer) {
    HandshakeStep<AntelopeMessage, AntelopeHandshake> step = handshaker.onMessage(peer);
    return step instanceof HandshakeStep.Claim ? handshaker.onClaim(true, "") : step;
  }

  private static AntelopeHandshake established(HandshakeStep<AntelopeMessage, AntelopeHandshake> step) {
    return (AntelopeHandshake) assertInstanceOf(HandshakeStep.Established.class, step).result();
  }

  /** The refusal of {@code step}: it sends nothing itself, the go_away is the layer's farewell. */
  private static Refusal refusal(HandshakeStep<AntelopeMessage, AntelopeHandshake> step) {
    assertEquals(List.of(), step.send(), "the go_away is left to the protocol's farewell");
    return assertInstanceOf(HandshakeStep.Refused.class, step).refusal();
  }

  /** A refusal with its code and kind, costing {@code penalty}, that nodeos answers with {@code goAway}. */
  private static void assertRefusal(DisconnectReason reason, String kind, int penalty, Optional<GoAwayReason> goAway,
                                    Refusal refusal) {
    assertEquals(reason, refusal.reason(), refusal::toString);
    assertEquals(kind, refusal.kind(), refusal::toString);
    assertEquals(penalty, refusal.penalty(), refusal::toString);
    assertEquals(goAway, AntelopeRefusals.goAwayReason(refusal.reason(), refusal.kind()), refusal::toString);
  }

  /** A handshake or message out of place: fatal_other, and a tenth of a ban. */
  private static void assertFatalOther(String detail, Refusal refusal) {
    assertRefusal(DisconnectReason.PROTOCOL_VIOLATION, "fatal_other", AntelopeRefusals.VIOLATION_PENALTY,
        Optional.of(GoAwayReason.FATAL_OTHER), refusal);
    assertTrue(refusal.detail().contains(detail), () -> "expected <" + detail + "> in <" + refusal.detail() + ">");
  }

  // ------------------------------------------------------------------------------------------------ who speaks first

  @Test
  void outboundSendsItsHandshakeAtOnceAndNothingMoreWhenEstablished() {
    Side outbound = side(Direction.OUTBOUND, AllowedConnection.ANY, Set.of(), false);

    assertEquals(List.of(OURS), assertInstanceOf(HandshakeStep.Continue.class, outbound.handshaker().start()).send());
    HandshakeStep<AntelopeMessage, AntelopeHandshake> step = claimGranted(outbound.handshaker(), theirs());

    assertEquals(List.of(), step.send());
    assertEquals(new AntelopeHandshake(theirs(), false), established(step));
    assertEquals(1, outbound.ownHandshakesBuilt().get());
  }

  @Test
  void inboundAnswersOnlyOnceThePeersHandshakeIsClaimed() {
    Side inbound = side(Direction.INBOUND, AllowedConnection.ANY, Set.of(), false);

    assertEquals(List.of(), inbound.handshaker().start().send());
    assertEquals(List.of(), inbound.handshaker().onMessage(new TimeMessage(0, 0, TIME, 0)).send());
    HandshakeStep<AntelopeMessage, AntelopeHandshake> claim = inbound.handshaker().onMessage(theirs());
    // Nothing is proven to the peer before the cluster agrees no other connection holds its node_id.
    assertEquals(0, inbound.ownHandshakesBuilt().get());
    assertEquals(new HandshakeStep.Claim<>(List.of(), THEIR_NODE.toHex()), claim);

    HandshakeStep<AntelopeMessage, AntelopeHandshake> step = inbound.handshaker().onClaim(true, "");

    assertEquals(List.of(OURS), step.send());
    assertEquals(new AntelopeHandshake(theirs(), false), established(step));
    assertEquals(1, inbound.ownHandshakesBuilt().get());
  }

  @Test
  void aFirstHandshakeOfGeneration4IsAcceptedAsWharfkitsGuideSendsIt() {
    HandshakeMessage generation4 = theirs(h -> h.generation = 4);

    assertEquals(new AntelopeHandshake(generation4, false), established(claimGranted(startedInbound(), generation4)));
  }

  @Test
  void aFinishedHandshakeTakesNoMoreMessages() {
    AntelopeHandshaker handshaker = startedInbound();
    claimGranted(handshaker, theirs());

    assertThrows(IllegalStateException.class, () -> handshaker.onMessage(theirs()));
    assertThrows(IllegalStateException.class, () -> handshaker.onClaim(true, ""));
  }

  // ---------------------------------------------------------------------------------------------------- is_valid

  static Stream<Arguments> invalidHandshakes() {
    return Stream.of(
        arguments("lib above head", (Consumer<PeerHello>) h -> h.lib = h.head + 1,
            "last irreversible block 101 is above head 100"),
        arguments("empty p2p_address", (Consumer<PeerHello>) h -> h.p2pAddress = "",
            "p2p_address of 0 bytes"),
        arguments("385-character p2p_address", (Consumer<PeerHello>) h -> h.p2pAddress = "a".repeat(MAX + 1),
            "p2p_address of 385 bytes"),
        arguments("empty os", (Consumer<PeerHello>) h -> h.os = "", "os of 0 bytes"),
        arguments("385-character os", (Consumer<PeerHello>) h -> h.os = "o".repeat(MAX + 1), "os of 385 bytes"),
        arguments("385-character agent", (Consumer<PeerHello>) h -> h.agent = "g".repeat(MAX + 1),
            "agent of 385 bytes"),
        // nodeos counts a std::string's bytes: 193 two-byte characters are 386 bytes on the wire.
        arguments("385-byte os of two-byte characters", (Consumer<PeerHello>) h -> h.os = "é".repeat(193), "os of"),
        arguments("385-byte agent of two-byte characters", (Consumer<PeerHello>) h -> h.agent = "é".repeat(193),
            "agent of"),
        arguments("signed over sha256 of another time",
            (Consumer<PeerHello>) h -> {
              h.signedBy(ALLOWED_KEY);
              h.token = AntelopeHandshaker.tokenOf(TIME + 1);
              h.sig = ALLOWED_KEY.signDigest(h.token.bytes());
            },
            "token is not sha256 of the handshake's time"),
        arguments("a signature with a zero token", (Consumer<PeerHello>) h -> h.signedBy(ALLOWED_KEY).token =
            Checksum256.ZERO, "token is not sha256 of the handshake's time"),
        arguments("a wrong token without a signature", (Consumer<PeerHello>) h -> h.token = sha256("head time"),
            "token is not sha256 of the handshake's time"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidHandshakes")
  void everyHandshakeNodeosIsValidRefusesIsFatalOther(String name, Consumer<PeerHello> change, String detail) {
    assertFatalOther(detail, refusal(startedInbound().onMessage(theirs(change))));
  }

  static Stream<Arguments> validEdges() {
    return Stream.of(
        arguments("lib at head", (Consumer<PeerHello>) h -> h.lib = h.head),
        arguments("384-character strings", (Consumer<PeerHello>) h -> {
          h.p2pAddress = "a".repeat(MAX);
          h.os = "o".repeat(MAX);
          h.agent = "g".repeat(MAX);
        }),
        arguments("empty agent", (Consumer<PeerHello>) h -> h.agent = ""),
        arguments("384 bytes of two-byte characters", (Consumer<PeerHello>) h -> h.os = "é".repeat(192)),
        arguments("nothing yet: lib and head 0", (Consumer<PeerHello>) h -> h.lib = h.head = 0),
        // nodeos has no time-skew check: only the token's link to the time matters.
        arguments("signed, a year old", (Consumer<PeerHello>) h -> {
          h.time -= 365L * 24 * 3600 * 1_000_000_000L;
          h.signedBy(ALLOWED_KEY);
        }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validEdges")
  void handshakesAtTheEdgeOfIsValidAreAccepted(String name, Consumer<PeerHello> change) {
    HandshakeMessage peer = theirs(change);

    assertEquals(peer, established(claimGranted(startedInbound(), peer)).peer());
  }

  // -------------------------------------------------------------------------------- self, chain, duplicate, order

  @Test
  void ourOwnNodeIdIsSelf() {
    Refusal refusal = refusal(startedInbound().onMessage(theirs(h -> h.nodeId = OUR_NODE)));

    assertRefusal(DisconnectReason.SELF_CONNECTION, "self", 0, Optional.of(GoAwayReason.SELF), refusal);
  }

  @Test
  void anotherChainIsWrongChain() {
    Refusal refusal = refusal(settled(startedInbound(), theirs(h -> h.chainId = OTHER_CHAIN)));

    assertRefusal(DisconnectReason.INCOMPATIBLE_NETWORK, "wrong_chain", 0, Optional.of(GoAwayReason.WRONG_CHAIN),
        refusal);
    assertTrue(refusal.detail().contains(OTHER_CHAIN.toHex()), refusal::detail);
  }

  @Test
  void aNodeIdClaimedByAnotherConnectionIsDuplicate() {
    AntelopeHandshaker handshaker = startedInbound();
    assertInstanceOf(HandshakeStep.Claim.class, handshaker.onMessage(theirs()));

    Refusal refusal = refusal(handshaker.onClaim(false, "held by member2"));

    assertRefusal(DisconnectReason.DUPLICATE_CONNECTION, "duplicate", 0, Optional.of(GoAwayReason.DUPLICATE),
        refusal);
    assertEquals("node " + THEIR_NODE.toHex().substring(0, 7) + " is already connected: held by member2",
        refusal.detail());
  }

  /** Each handshake breaks the rule named and every later one; nodeos reports the first in its order. */
  static Stream<Arguments> nodeosOrder() {
    return Stream.of(
        arguments("is_valid before self", (Consumer<PeerHello>) h -> {
          h.os = "";
          h.nodeId = OUR_NODE;
        }, "fatal_other"),
        arguments("self before duplicate", (Consumer<PeerHello>) h -> {
          h.nodeId = OUR_NODE;
          h.chainId = OTHER_CHAIN;
        }, "self"),
        arguments("wrong chain before authentication", (Consumer<PeerHello>) h -> h.chainId = OTHER_CHAIN,
            "wrong_chain"));
  }

  @Test
  void duplicateComesBeforeWrongChain() {
    AntelopeHandshaker handshaker = started(Direction.INBOUND, AllowedConnection.SPECIFIED);
    assertInstanceOf(HandshakeStep.Claim.class, handshaker.onMessage(theirs(h -> h.chainId = OTHER_CHAIN)));

    assertEquals("duplicate", refusal(handshaker.onClaim(false, "")).kind());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nodeosOrder")
  void refusalsComeInNodeosOrder(String name, Consumer<PeerHello> change, String kind) {
    // Specified with an unsigned peer: authentication fails too, but must not be what is reported.
    AntelopeHandshaker handshaker = started(Direction.INBOUND, AllowedConnection.SPECIFIED);

    assertEquals(kind, refusal(settled(handshaker, theirs(change))).kind());
  }

  // ------------------------------------------------------------------------------------------ allowed connection

  /** How a peer signs its handshake, against {@link #ALLOWED_KEY} being the one allowed key. */
  enum Signing {
    /** By the allowed key, naming it. */
    VALID(h -> h.signedBy(ALLOWED_KEY)),
    /** Not at all: zero token and signature. */
    MISSING(h -> { }),
    /** Naming the allowed key, signed by another: a peer posing as an allowed one. */
    WRONG_KEY(h -> h.signed(STRANGER_KEY, ALLOWED_KEY.publicKey())),
    /** Properly, by a key that is not in the list. */
    NOT_IN_LIST(h -> h.signedBy(STRANGER_KEY));

    final Consumer<PeerHello> sign;

    Signing(Consumer<PeerHello> sign) {
      this.sign = sign;
    }
  }

  static Stream<Arguments> allowedConnections() {
    return Stream.of(
        arguments(AllowedConnection.ANY, Signing.VALID, true),
        arguments(AllowedConnection.ANY, Signing.MISSING, true),
        arguments(AllowedConnection.ANY, Signing.WRONG_KEY, true),
        arguments(AllowedConnection.ANY, Signing.NOT_IN_LIST, true),
        arguments(AllowedConnection.SIGNED, Signing.VALID, true),
        arguments(AllowedConnection.SIGNED, Signing.MISSING, false),
        arguments(AllowedConnection.SIGNED, Signing.WRONG_KEY, false),
        arguments(AllowedConnection.SIGNED, Signing.NOT_IN_LIST, true),
        arguments(AllowedConnection.SPECIFIED, Signing.VALID, true),
        arguments(AllowedConnection.SPECIFIED, Signing.MISSING, false),
        arguments(AllowedConnection.SPECIFIED, Signing.WRONG_KEY, false),
        arguments(AllowedConnection.SPECIFIED, Signing.NOT_IN_LIST, false));
  }

  @ParameterizedTest(name = "{0} with {1} signature: accepted {2}")
  @MethodSource("allowedConnections")
  void allowedConnectionDecidesWhichSignaturesPass(AllowedConnection mode, Signing signing, boolean accepted) {
    HandshakeMessage peer = theirs(signing.sign);
    AntelopeHandshaker handshaker = started(Direction.INBOUND, mode);

    if (accepted) {
      // Whatever the mode, the key counts as proven only when the signature recovers it.
      boolean proven = signing == Signing.VALID || signing == Signing.NOT_IN_LIST;
      assertEquals(new AntelopeHandshake(peer, proven), established(claimGranted(handshaker, peer)));
    } else {
      assertRefusal(DisconnectReason.INVALID_SIGNATURE, "authentication", 0, Optional.of(GoAwayReason.AUTHENTICATION),
          refusal(settled(handshaker, peer)));
    }
  }

  // ---------------------------------------------------------------------------------------- messages out of place

  static Stream<AntelopeMessage> everyMessageButHandshakeAndTime() {
    return AntelopeSamples.all().stream()
        .filter(message -> !(message instanceof HandshakeMessage) && !(message instanceof TimeMessage));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyMessageButHandshakeAndTime")
  void anyOtherMessageBeforeTheHandshakeIsRefused(AntelopeMessage message) {
    assertFatalOther("'" + message.typeName() + "' before the peer's handshake_message",
        refusal(startedInbound().onMessage(message)));
  }

  @Test
  void aTimeMessageBeforeTheHandshakeIsToleratedAsWharfkitsTickerSendsOne() {
    AntelopeHandshaker handshaker = startedInbound();

    assertEquals(new HandshakeStep.Continue<>(List.of()), handshaker.onMessage(new TimeMessage(1_700_000_000_000L, 0,
        0, 0)));
    assertEquals(theirs(), established(claimGranted(handshaker, theirs())).peer());
  }

  @Test
  void aSecondHandshakeWhileTheClaimIsPendingIsRefused() {
    AntelopeHandshaker handshaker = startedInbound();
    assertInstanceOf(HandshakeStep.Claim.class, handshaker.onMessage(theirs()));

    assertFatalOther("a second handshake_message before the first was settled",
        refusal(handshaker.onMessage(theirs(h -> h.generation = 2))));
  }

  // --------------------------------------------------------------------------------------------- connection limits

  @Test
  void anInboundPeerFromAFullHostIsClosedAtStartWithoutAGoAway() {
    Side inbound = side(Direction.INBOUND, AllowedConnection.ANY, Set.of(), true);

    Refusal refusal = refusal(inbound.handshaker().start());

    assertRefusal(DisconnectReason.INBOUND_SLOTS_FULL, "max_clients_per_host", 0, Optional.empty(), refusal);
    assertEquals(0, inbound.ownHandshakesBuilt().get());
  }

  @Test
  void maxClientsPerHostDoesNotLimitOurOwnDials() {
    Side outbound = side(Direction.OUTBOUND, AllowedConnection.ANY, Set.of(), true);

    assertEquals(List.of(OURS), assertInstanceOf(HandshakeStep.Continue.class, outbound.handshaker().start()).send());
  }

  /** What nodeos closes without a word: no go_away, whatever the layer names it. */
  @ParameterizedTest
  @EnumSource(value = DisconnectReason.class,
      names = {"HANDSHAKE_TIMEOUT", "PEER_TIMEOUT", "INBOUND_SLOTS_FULL", "OUTBOUND_SLOTS_FULL", "WRITE_QUEUE_FULL",
          "TOO_MANY_PENDING_FROM_IP", "TOO_MANY_PENDING_HANDSHAKES"})
  void timeoutsFullSlotsAndAStuckWriteQueueHaveNoGoAwayReason(DisconnectReason reason) {
    assertEquals(Optional.empty(), AntelopeRefusals.goAwayReason(reason, null));
    assertEquals(Optional.empty(), AntelopeRefusals.goAwayReason(reason, reason.name().toLowerCase()));
  }
}
