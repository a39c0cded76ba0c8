package org.peermesh.bitcoin.peer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.peermesh.bitcoin.wire.BitcoinMessage;
import org.peermesh.bitcoin.wire.FeeFilterMessage;
import org.peermesh.bitcoin.wire.NetworkAddress;
import org.peermesh.bitcoin.wire.PingMessage;
import org.peermesh.bitcoin.wire.SendAddrV2Message;
import org.peermesh.bitcoin.wire.SendCmpctMessage;
import org.peermesh.bitcoin.wire.SendHeadersMessage;
import org.peermesh.bitcoin.wire.VerackMessage;
import org.peermesh.bitcoin.wire.VersionMessage;
import org.peermesh.bitcoin.wire.WtxidRelayMessage;
import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.HandshakeStep;
import org.peermesh.peer.Refusal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Bitcoin version/verack handshake on messages alone: two handshakers talking to each other, and one fed by hand
 * with what a broken or hostile peer sends.
 */
class BitcoinHandshakerTest {

  private static final long OUR_NONCE = 0x0123_4567_89ab_cdefL;
  private static final long THEIR_NONCE = 0xfedc_ba98_7654_3210L;
  private static final long NODE_NETWORK_AND_WITNESS = 1 | BitcoinHandshake.NODE_WITNESS;

  private static VersionMessage version(int protocolVersion, long services, long nonce) {
    return new VersionMessage(protocolVersion, services, 1_700_000_000L, NetworkAddress.of(0, "127.0.0.1", 18444),
        NetworkAddress.of(services, "0.0.0.0", 0), nonce, "/test:" + protocolVersion + "/", 100, true);
  }

  private static VersionMessage ours(int protocolVersion) {
    return version(protocolVersion, 0, OUR_NONCE);
  }

  private static VersionMessage theirs(int protocolVersion) {
    return version(protocolVersion, NODE_NETWORK_AND_WITNESS, THEIR_NONCE);
  }

  /** A side that knows only its own version's nonce, as a node that never dialed the other. */
  private static BitcoinHandshaker handshaker(Direction direction, VersionMessage own) {
    return new BitcoinHandshaker(direction, own.protocolVersion(), () -> own, nonce -> nonce == own.nonce());
  }

  /** Our inbound side at 70016, past the peer's version. */
  private static BitcoinHandshaker awaitingVerack() {
    BitcoinHandshaker inbound = handshaker(Direction.INBOUND, ours(70016));
    inbound.start();
    assertInstanceOf(HandshakeStep.Continue.class, inbound.onMessage(theirs(70016)));
    return inbound;
  }

  private static BitcoinHandshake established(HandshakeStep<BitcoinMessage, BitcoinHandshake> step) {
    return (BitcoinHandshake) assertInstanceOf(HandshakeStep.Established.class, step).result();
  }

  private static Refusal refusal(HandshakeStep<BitcoinMessage, BitcoinHandshake> step) {
    assertEquals(List.of(), step.send(), "a Bitcoin refusal sends nothing");
    return assertInstanceOf(HandshakeStep.Refused.class, step).refusal();
  }

  /** Every handshake violation costs 10: ten of them ban the peer, as a Bitcoin Core score of 100. */
  private static void assertViolation(String kind, String detail, Refusal refusal) {
    assertEquals(Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, kind, detail, 10), refusal);
  }

  // ------------------------------------------------------------------------------------------ two sides together

  /** One side of a conversation: its handshaker, what it sent, and the step it ended on. */
  private static final class Side {
    final BitcoinHandshaker handshaker;
    final List<BitcoinMessage> sent = new ArrayList<>();
    HandshakeStep<BitcoinMessage, BitcoinHandshake> last;

    Side(BitcoinHandshaker handshaker) {
      this.handshaker = handshaker;
    }
  }

  /** A message on its way, in the order the two sides sent them. */
  private record InFlight(Side to, BitcoinMessage message) {
  }

  /** Starts both sides and delivers every message, in the order sent, until neither has anything more to say. */
  private static void converse(Side outbound, Side inbound) {
    Deque<InFlight> wire = new ArrayDeque<>();
    emit(outbound, inbound, outbound.handshaker.start(), wire);
    emit(inbound, outbound, inbound.handshaker.start(), wire);
    while (!wire.isEmpty()) {
      InFlight next = wire.removeFirst();
      Side from = next.to() == outbound ? inbound : outbound;
      emit(next.to(), from, next.to().handshaker.onMessage(next.message()), wire);
    }
  }

  private static void emit(Side from, Side to, HandshakeStep<BitcoinMessage, BitcoinHandshake> step,
                           Deque<InFlight> wire) {
    from.last = step;
    from.sent.addAll(step.send());
    step.send().forEach(message -> wire.addLast(new InFlight(to, message)));
  }


  @Test
  void twoSidesAt70016NegotiateWtxidRelayAndAddrV2BeforeTheirVeracks() {
    Side outbound = new Side(handshaker(Direction.OUTBOUND, ours(70016)));
    Side inbound = new Side(handshaker(Direction.INBOUND, theirs(70016)));

    converse(outbound, inbound);

    assertEquals(List.of(ours(70016), new WtxidRelayMessage(), new SendAddrV2Message(), new VerackMessage()),
        outbound.sent);
    assertEquals(List.of(theirs(70016), new WtxidRelayMessage(), new SendAddrV2Message(), new VerackMessage()),
        inbound.sent);
    assertEquals(new BitcoinHandshake(theirs(70016), 70016), established(outbound.last));
    assertEquals(new BitcoinHandshake(ours(70016), 70016), established(inbound.last));
  }

  @Test
  void aSideAt70015NegotiatesNeitherWtxidRelayNorAddrV2() {
    Side outbound = new Side(handshaker(Direction.OUTBOUND, ours(70016)));
    Side inbound = new Side(handshaker(Direction.INBOUND, theirs(70015)));

    converse(outbound, inbound);

    assertEquals(List.of(ours(70016), new VerackMessage()), outbound.sent);
    assertEquals(List.of(theirs(70015), new VerackMessage()), inbound.sent);
    assertEquals(new BitcoinHandshake(theirs(70015), 70015), established(outbound.last));
    assertEquals(new BitcoinHandshake(ours(70016), 70015), established(inbound.last));
  }

  // ------------------------------------------------------------------------------------------------- one side

  @Test
  void anOutboundSideSpeaksFirstAndAnswersTheVersionWithoutRepeatingItsOwn() {
    BitcoinHandshaker outbound = handshaker(Direction.OUTBOUND, ours(70016));

    assertEquals(new HandshakeStep.Continue<>(List.of(ours(70016))), outbound.start());
    assertEquals(new HandshakeStep.Continue<>(List.of(new WtxidRelayMessage(), new SendAddrV2Message(),
        new VerackMessage())), outbound.onMessage(theirs(70016)));
  }

  @Test
  void anInboundSideWaitsAndAnswersTheVersionWithItsOwnFirst() {
    BitcoinHandshaker inbound = handshaker(Direction.INBOUND, ours(70016));

    assertEquals(new HandshakeStep.Continue<>(List.of()), inbound.start());
    assertEquals(new HandshakeStep.Continue<>(List.of(ours(70016), new WtxidRelayMessage(), new SendAddrV2Message(),
        new VerackMessage())), inbound.onMessage(theirs(70016)));
    assertEquals(Optional.of(theirs(70016)), inbound.peerVersion());
  }

  @Test
  void theVerackThatFollowsOurOwnEstablishesWithNothingMoreToSend() {
    BitcoinHandshaker inbound = awaitingVerack();

    HandshakeStep<BitcoinMessage, BitcoinHandshake> step = inbound.onMessage(new VerackMessage());

    assertEquals(new HandshakeStep.Established<>(List.of(), new BitcoinHandshake(theirs(70016), 70016)), step);
    assertTrue(established(step).servesWitnesses());
  }

  @Test
  void aPeerWithoutTheWitnessBitServesNoWitnesses() {
    assertFalse(new BitcoinHandshake(version(70016, 1, THEIR_NONCE), 70016).servesWitnesses());
  }

  static List<BitcoinMessage> negotiationMessages() {
    return List.of(new WtxidRelayMessage(), new SendAddrV2Message(), new SendHeadersMessage(),
        new SendCmpctMessage(false, 2), new FeeFilterMessage(1000));
  }

  @ParameterizedTest
  @MethodSource("negotiationMessages")
  void aNegotiationMessageBeforeTheVerackIsTakenWithNothingToSend(BitcoinMessage negotiation) {
    BitcoinHandshaker inbound = awaitingVerack();

    assertTrue(inbound.isInPlace(negotiation));
    assertEquals(new HandshakeStep.Continue<>(List.of()), inbound.onMessage(negotiation));
    assertInstanceOf(HandshakeStep.Established.class, inbound.onMessage(new VerackMessage()));
  }

  @Test
  void theOldestProtocolVersionAcceptedIsBitcoinCoresMinimum() {
    BitcoinHandshaker inbound = handshaker(Direction.INBOUND, ours(70016));

    assertEquals(new HandshakeStep.Continue<>(List.of(ours(70016), new VerackMessage())),
        inbound.onMessage(theirs(31800)));
    assertEquals(new BitcoinHandshake(theirs(31800), 31800), established(inbound.onMessage(new VerackMessage())));
  }

  // ------------------------------------------------------------------------------------------------- refusals

  @Test
  void anOlderProtocolVersionIsRefusedAsNoFault() {
    BitcoinHandshaker inbound = handshaker(Direction.INBOUND, ours(70016));

    Refusal refusal = refusal(inbound.onMessage(theirs(31799)));

    assertEquals(Refusal.of(DisconnectReason.INCOMPATIBLE_PROTOCOL_VERSION, "obsolete",
        "protocol version 31799 is below 31800"), refusal);
    assertFalse(refusal.isViolation());
    assertEquals(Optional.empty(), inbound.peerVersion());
  }

  @Test
  void ourOwnNonceComingBackIsAConnectionToOurselves() {
    // One node's two ends of the same connection: the pool remembers every nonce its versions carried.
    VersionMessage dialed = ours(70016);
    VersionMessage answering = version(70016, 0, OUR_NONCE + 1);
    BitcoinHandshaker inbound = new BitcoinHandshaker(Direction.INBOUND, 70016, () -> answering,
        nonce -> nonce == dialed.nonce() || nonce == answering.nonce());

    Refusal refusal = refusal(inbound.onMessage(dialed));

    assertEquals(Refusal.of(DisconnectReason.SELF_CONNECTION, "self_connection",
        "connected to ourselves (our own version nonce came back)"), refusal);
    assertFalse(refusal.isViolation());
  }

  @Test
  void anythingButAVersionFirstIsAViolation() {
    BitcoinHandshaker inbound = handshaker(Direction.INBOUND, ours(70016));
    inbound.start();

    assertFalse(inbound.isInPlace(new PingMessage(7)));
    assertViolation("no_version", "'ping' before the peer's version", refusal(inbound.onMessage(new PingMessage(7))));
  }

  @Test
  void aVerackBeforeWeSentOurVersionIsAViolation() {
    // Inbound, we send our version only once the peer's has come: a verack then acknowledges nothing.
    BitcoinHandshaker inbound = handshaker(Direction.INBOUND, ours(70016));
    inbound.start();

    assertViolation("no_version", "'verack' before the peer's version",
        refusal(inbound.onMessage(new VerackMessage())));
  }

  @Test
  void anythingElseBetweenTheVersionAndTheVerackIsAViolation() {
    BitcoinHandshaker inbound = awaitingVerack();

    assertFalse(inbound.isInPlace(new PingMessage(7)));
    assertViolation("no_verack", "'ping' before the peer's verack", refusal(inbound.onMessage(new PingMessage(7))));
  }

  @Test
  void aSecondVersionIsAViolation() {
    BitcoinHandshaker inbound = awaitingVerack();

    assertTrue(inbound.isInPlace(theirs(70016)), "a version is judged on what it says, so it is published");
    assertViolation("duplicate_version", "a second version message", refusal(inbound.onMessage(theirs(70016))));
  }

  @Test
  void aSecondVersionOrVerackAfterTheHandshakeIsAViolationToo() {
    assertViolation("duplicate_version", "a second version message",
        BitcoinHandshaker.refusalAfterHandshake(theirs(70016)).orElseThrow());
    assertViolation("duplicate_verack", "a second verack message",
        BitcoinHandshaker.refusalAfterHandshake(new VerackMessage()).orElseThrow());
    assertEquals(Optional.empty(), BitcoinHandshaker.refusalAfterHandshake(new SendHeadersMessage()));
    assertEquals(Optional.empty(), BitcoinHandshaker.refusalAfterHandshake(new PingMessage(7)));
  }

  @Test
  void aFinishedHandshakeTakesNoMoreMessages() {
    BitcoinHandshaker refused = handshaker(Direction.INBOUND, ours(70016));
    refused.onMessage(new PingMessage(7));
    BitcoinHandshaker established = awaitingVerack();
    established.onMessage(new VerackMessage());

    for (BitcoinHandshaker finished : List.of(refused, established)) {
      assertThrows(IllegalStateException.class, () -> finished.onMessage(new VerackMessage()));
    }
  }
}
