package org.peermesh.devp2p.peer;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.peermesh.devp2p.base.BaseMessageCodes;
import org.peermesh.devp2p.base.CapabilityNegotiation;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.devp2p.base.DisconnectMessage;
import org.peermesh.devp2p.base.HelloMessage;
import org.peermesh.devp2p.base.SubProtocol;
import org.peermesh.devp2p.discovery.NodeId;
import org.peermesh.devp2p.rlpx.HandshakePacketReader;
import org.peermesh.devp2p.rlpx.RlpxFrameCodec;
import org.peermesh.devp2p.rlpx.RlpxHandshake;
import org.peermesh.devp2p.rlpx.RlpxSecrets;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.HandshakeStep;
import org.peermesh.peer.PeerViolation;
import org.peermesh.peer.Refusal;
import org.peermesh.testing.devp2p.RawRlpxPeer;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The RLPx handshake as the layer runs it, without sockets: two {@link Devp2pHandshaker}s, a dialer and a listener,
 * each behind its codecs ({@link RlpxHandshakeCodec}, then the {@link RlpxSessionCodec} its {@code framing} returns),
 * driven against each other as {@code PeerConnection} drives one (a step's messages are sent with the codec in place,
 * then the framing is swapped, and a codec swapped mid-read decodes what the old one read past its packet).
 */
class Devp2pHandshakerTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_MESSAGE_SIZE = 64 * 1024;
  /** The layer's limit until the handshake is done. */
  private static final int HANDSHAKE_LIMIT = 4096;
  private static final SubProtocol FOO = new SubProtocol("foo", 1, 4);
  private static final SubProtocol BAR = new SubProtocol("bar", 2, 3);
  private static final SubProtocol BAZ = new SubProtocol("baz", 1, 1);

  /** One end of a connection: a handshaker, the codec it frames with, what it wrote and where it stands. */
  private static final class Side {
    final byte[] key;
    final Devp2pHandshaker handshaker;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    FrameCodec<RlpxMessage> codec = new RlpxHandshakeCodec();
    boolean grantClaims = true;
    String claimed;
    HandshakeStep<RlpxMessage, Devp2pHandshake> last;
    /** What the side's codec decoded once the handshake was over (its session's messages). */
    final List<RlpxMessage.Frame> afterwards = new ArrayList<>();

    Side(byte[] key, boolean outbound, NodeId dialed, List<SubProtocol> ours) {
      this(key, outbound, dialed, ours, hello(NodeId.ofPrivateKey(key).bytes(), ours));
    }

    Side(byte[] key, boolean outbound, NodeId dialed, List<SubProtocol> ours, HelloMessage hello) {
      this.key = key;
      this.handshaker = new Devp2pHandshaker(key, outbound, dialed, hello, ours, MAX_MESSAGE_SIZE, RANDOM);
    }

    NodeId id() {
      return NodeId.ofPrivateKey(key);
    }

    Side start() {
      apply(handshaker.start());
      return this;
    }

    boolean done() {
      return last instanceof HandshakeStep.Established || last instanceof HandshakeStep.Refused;
    }

    void apply(HandshakeStep<RlpxMessage, Devp2pHandshake> step) {
      last = step;
      Buffer bytes = Buffer.buffer();
      step.send().forEach(message -> codec.encode(message, bytes));
      out.writeBytes(bytes.getBytes());
      FrameCodec<RlpxMessage> next = handshaker.framing(codec);
      if (next != codec) {
        codec = next;
        codec.limitMessageSize(HANDSHAKE_LIMIT, "the limit before the handshake is done");
      }
      if (step instanceof HandshakeStep.Claim<RlpxMessage, Devp2pHandshake> claim) {
        claimed = claim.identity();
        apply(handshaker.onClaim(grantClaims, grantClaims ? null : "held by another member"));
      } else if (step instanceof HandshakeStep.Established) {
        codec.limitMessageSize(MAX_MESSAGE_SIZE, "maxMessageSize");
      }
    }

    /** Feeds {@code bytes} as one read; a decoder's violation ends the handshake as the layer's refusal. */
    void feed(byte[] bytes) {
      try {
        Buffer next = Buffer.buffer(bytes);
        FrameCodec<RlpxMessage> reading;
        do {
          reading = codec;
          reading.decode(next, (message, payload) -> {
            if (done()) {
              afterwards.add((RlpxMessage.Frame) message);
            } else {
              apply(handshaker.onMessage(message));
            }
          });
          next = Buffer.buffer();
        } while (codec != reading && !(last instanceof HandshakeStep.Refused));
      } catch (PeerViolation violation) {
        last = HandshakeStep.refuse(violation.refusal());
      }
    }

    void feedByteByByte(byte[] bytes) {
      for (int i = 0; i < bytes.length && !(last instanceof HandshakeStep.Refused); i++) {
        feed(new byte[] {bytes[i]});
      }
    }

    byte[] takeOutput() {
      byte[] bytes = out.toByteArray();
      out.reset();
      return bytes;
    }

    Devp2pHandshake established() {
      assertInstanceOf(HandshakeStep.Established.class, last, () -> "not established: " + last);
      return ((HandshakeStep.Established<RlpxMessage, Devp2pHandshake>) last).result();
    }

    Refusal refusal() {
      return assertInstanceOf(HandshakeStep.Refused.class, last, () -> "not refused: " + last).refusal();
    }
  }

  private static HelloMessage hello(byte[] nodeId64, List<SubProtocol> ours) {
    return new HelloMessage(HelloMessage.PROTOCOL_VERSION, "test", ours.stream().map(SubProtocol::capability)
        .sorted().toList(), 0, nodeId64);
  }

  private static byte[] key() {
    return RawRlpxPeer.randomPrivateKey();
  }

  private static Side listener(List<SubProtocol> ours) {
    return new Side(key(), false, null, ours).start();
  }

  private static Side dialer(Side listener, List<SubProtocol> ours) {
    return new Side(key(), true, listener.id(), ours).start();
  }

  // ---------------------------------------------------------------------------------------------- established

  @Test
  void bothSidesAreEstablishedByteByByteWithTheSharedCapabilities() {
    Side listener = listener(List.of(FOO, BAR));
    Side dialer = dialer(listener, List.of(BAR, FOO, BAZ));
    listener.feedByteByByte(dialer.takeOutput());          // auth
    assertEquals(dialer.id().hex(), listener.claimed);
    dialer.feedByteByByte(listener.takeOutput());          // ack, then the listener's Hello
    assertEquals(listener.id().hex(), dialer.claimed);
    listener.feedByteByByte(dialer.takeOutput());          // the dialer's Hello

    assertEstablished(dialer, listener);
    assertEstablished(listener, dialer);
    CapabilityNegotiation.Negotiated negotiated = dialer.established().negotiated();
    // Shared capabilities sorted by name, each after the last: bar/2 at 0x10 (3 codes), foo/1 at 0x13.
    assertEquals(List.of(new CapabilityNegotiation.SharedCapability(BAR.capability(), 0x10, 3),
        new CapabilityNegotiation.SharedCapability(FOO.capability(), 0x13, 4)), negotiated.shared());
    assertEquals(negotiated, listener.established().negotiated());
    assertSessionCarriesSnappyBothWays(dialer, listener);
  }

  @Test
  void theDialerReadsAnAckCoalescedWithTheListenersHelloInOneChunk() {
    Side listener = listener(List.of(FOO));
    Side dialer = dialer(listener, List.of(FOO));
    listener.feed(dialer.takeOutput());
    byte[] ackAndHello = listener.takeOutput();
    byte[] ack = packetOf(ackAndHello);
    assertTrue(ackAndHello.length > ack.length, "the listener's Hello follows its ack");

    dialer.feed(ackAndHello);                              // one read: the Hello is read with the keys of the ack
    assertEstablished(dialer, listener);
    listener.feed(dialer.takeOutput());
    assertEstablished(listener, dialer);
    assertSessionCarriesSnappyBothWays(dialer, listener);
  }

  @Test
  void theListenerReadsAnAuthCoalescedWithTheDialersFirstFrames() {
    // A dialer that does not wait for the ack to send its Hello (allowed: its keys exist once it sent auth).
    byte[] dialerKey = key();
    Side listener = listener(List.of(FOO));
    RlpxHandshake.Initiator initiator = RlpxHandshake.initiator(dialerKey, listener.id().bytes(), RANDOM);
    byte[] auth = initiator.firstMessage();
    listener.feed(auth);
    byte[] ackAndHello = listener.takeOutput();
    RlpxSecrets secrets = initiator.onAck(packetOf(ackAndHello));
    RlpxFrameCodec raw = new RlpxFrameCodec(secrets, RlpxFrameCodec.MAX_FRAME_SIZE);
    listener.feed(raw.encode(BaseMessageCodes.HELLO, hello(NodeId.ofPrivateKey(dialerKey).bytes(), List.of(FOO))
        .encode()));
    assertEquals(NodeId.ofPrivateKey(dialerKey), listener.established().remoteId());
  }

  private static void assertEstablished(Side side, Side other) {
    Devp2pHandshake result = side.established();
    assertEquals(other.id(), result.remoteId());
    assertArrayEquals(other.id().bytes(), result.hello().nodeId64());
    assertEquals(HelloMessage.PROTOCOL_VERSION, result.hello().protocolVersion());
    assertInstanceOf(RlpxSessionCodec.class, side.codec);
  }

  /** A message each way after two v5 Hellos: compressed on the wire, read back as sent. */
  private static void assertSessionCarriesSnappyBothWays(Side a, Side b) {
    byte[] payload = new byte[1000]; // zeros: compressed, the frame is far smaller
    Buffer wire = Buffer.buffer();
    a.codec.encode(RlpxMessage.Frame.of(0x10, payload), wire);
    assertTrue(wire.length() < 200, () -> "a frame of " + wire.length() + " bytes: not compressed");
    b.feed(wire.getBytes());
    Buffer back = Buffer.buffer();
    b.codec.encode(RlpxMessage.Frame.of(0x11, new byte[] {(byte) 0xc0}), back);
    a.feed(back.getBytes());
    assertEquals(1, b.afterwards.size());
    assertEquals(0x10, b.afterwards.get(0).code());
    assertArrayEquals(payload, b.afterwards.get(0).payload());
    assertEquals(0x11, a.afterwards.get(0).code());
    assertArrayEquals(new byte[] {(byte) 0xc0}, a.afterwards.get(0).payload());
  }

  /** The handshake packet at the front of {@code bytes}. */
  private static byte[] packetOf(byte[] bytes) {
    return new HandshakePacketReader().feed(bytes).orElseThrow();
  }

  // ---------------------------------------------------------------------------------------------------- refusals

  @Test
  void aPeerWithOurOwnKeyIsRefusedAsOurselvesOnBothSides() {
    byte[] shared = key();
    Side listener = new Side(shared, false, null, List.of(FOO)).start();
    Side dialer = new Side(shared, true, NodeId.ofPrivateKey(shared), List.of(FOO)).start();
    listener.feed(dialer.takeOutput());
    assertRefusal(listener.refusal(), Devp2pDisconnectReason.CONNECTED_TO_SELF, DisconnectReason.SELF_CONNECTION, 0);
    assertNull(listener.claimed, "ourselves is never claimed");
    // The ack still goes out, so that the Disconnect that follows it can be read by the dialer.
    dialer.feed(listener.takeOutput());
    assertRefusal(dialer.refusal(), Devp2pDisconnectReason.CONNECTED_TO_SELF, DisconnectReason.SELF_CONNECTION, 0);
  }

  @Test
  void aDeniedClaimIsRefusedAsAlreadyConnected() {
    Side listener = listener(List.of(FOO));
    listener.grantClaims = false;
    Side dialer = dialer(listener, List.of(FOO));
    listener.feed(dialer.takeOutput());
    assertEquals(dialer.id().hex(), listener.claimed);
    Refusal refusal = listener.refusal();
    assertRefusal(refusal, Devp2pDisconnectReason.ALREADY_CONNECTED, DisconnectReason.DUPLICATE_CONNECTION, 0);
    assertTrue(refusal.detail().contains("held by another member"), refusal::detail);
    // Only the ack was written: no Hello for a peer refused.
    byte[] written = listener.takeOutput();
    assertEquals(packetOf(written).length, written.length);
  }

  @Test
  void aHelloNamingAnotherKeyIsRefusedAsUnexpectedIdentityAndCosts() {
    Side listener = listener(List.of(FOO));
    byte[] dialerKey = key();
    Side dialer = new Side(dialerKey, true, listener.id(), List.of(FOO),
        hello(NodeId.ofPrivateKey(key()).bytes(), List.of(FOO))).start();
    listener.feed(dialer.takeOutput());
    dialer.feed(listener.takeOutput());
    listener.feed(dialer.takeOutput());
    assertRefusal(listener.refusal(), Devp2pDisconnectReason.UNEXPECTED_IDENTITY, DisconnectReason.PROTOCOL_VIOLATION,
        Devp2pRefusals.MALFORMED_PENALTY);
  }

  @Test
  void aPeerSharingNoCapabilityIsRefusedAsUselessAtNoCost() {
    Side listener = listener(List.of(FOO));
    Side dialer = dialer(listener, List.of(BAR, BAZ));
    listener.feed(dialer.takeOutput());
    dialer.feed(listener.takeOutput());
    listener.feed(dialer.takeOutput());
    assertRefusal(dialer.refusal(), Devp2pDisconnectReason.USELESS_PEER, DisconnectReason.INCOMPATIBLE_NETWORK, 0);
    assertRefusal(listener.refusal(), Devp2pDisconnectReason.USELESS_PEER, DisconnectReason.INCOMPATIBLE_NETWORK, 0);
  }

  @Test
  void aFrameOtherThanHelloFirstIsRefusedAsExpectedHello() {
    RawDialer raw = rawDialer(listener(List.of(FOO)));
    raw.listener.feed(raw.frames.encode(BaseMessageCodes.PING, new byte[] {(byte) 0xc0}));
    Refusal refusal = raw.listener.refusal();
    assertEquals("expected_hello", refusal.kind());
    assertEquals(Devp2pRefusals.MALFORMED_PENALTY, refusal.penalty());
    assertEquals(Optional.of(Devp2pDisconnectReason.PROTOCOL_ERROR), farewellReason(refusal));
  }

  @Test
  void aHelloThatIsNoRlpIsRefusedAsBadHello() {
    RawDialer raw = rawDialer(listener(List.of(FOO)));
    raw.listener.feed(raw.frames.encode(BaseMessageCodes.HELLO, new byte[] {(byte) 0xf8, 0x7f, 0x01}));
    Refusal refusal = raw.listener.refusal();
    assertEquals("bad_hello", refusal.kind());
    assertEquals(Devp2pRefusals.MALFORMED_PENALTY, refusal.penalty());
    assertEquals(Optional.of(Devp2pDisconnectReason.PROTOCOL_ERROR), farewellReason(refusal));
  }

  @Test
  void aSecondHandshakePacketIsRefused() {
    Side listener = listener(List.of(FOO));
    Side dialer = dialer(listener, List.of(FOO));
    byte[] auth = dialer.takeOutput();
    listener.feed(auth);
    HandshakeStep<RlpxMessage, Devp2pHandshake> step =
        listener.handshaker.onMessage(new RlpxMessage.HandshakePacket(auth));
    Refusal refusal = assertInstanceOf(HandshakeStep.Refused.class, step).refusal();
    assertEquals("unexpected_packet", refusal.kind());
    assertEquals(Devp2pRefusals.MALFORMED_PENALTY, refusal.penalty());
  }

  @Test
  void garbageWithAPlausibleSizeIsRefusedSilentlyWithAPenalty() {
    Side listener = listener(List.of(FOO));
    byte[] garbage = new byte[2 + 400];
    RANDOM.nextBytes(garbage);
    garbage[0] = 0x01;
    garbage[1] = (byte) 0x90;
    garbage[2] = 0x04; // an uncompressed point's prefix: the ECIES check reaches the point or the MAC
    listener.feedByteByByte(garbage);
    Refusal refusal = listener.refusal();
    assertEquals("bad_ecies", refusal.kind());
    assertEquals(Devp2pRefusals.MALFORMED_PENALTY, refusal.penalty());
    assertTrue(refusal.isViolation());
    assertEquals(Optional.empty(), farewellReason(refusal), "nothing can be said before the keys exist");
    assertEquals(0, listener.takeOutput().length);
    assertNull(listener.claimed);
  }

  @Test
  void aSizePrefixOver2048IsRefusedFromTheTwoBytes() {
    Side listener = listener(List.of(FOO));
    listener.feed(new byte[] {0x08, 0x01});
    Refusal refusal = listener.refusal();
    assertEquals("too_large", refusal.kind());
    assertEquals(Devp2pRefusals.MALFORMED_PENALTY, refusal.penalty());
    assertEquals(Optional.empty(), farewellReason(refusal));
  }

  @Test
  void aDialerWithoutTheNodesKeyIsRefusedAtStart() {
    Side dialer = new Side(key(), true, null, List.of(FOO)).start();
    assertEquals("no_node_id", dialer.refusal().kind());
    assertEquals(0, dialer.refusal().penalty());
  }

  /**
   * The refusal is of {@code reason}'s kind, at {@code penalty}; the node tells the peer {@code reason} in a
   * Disconnect (what {@link RlpxProtocol#farewell} sends for it).
   */
  private static void assertRefusal(Refusal refusal, Devp2pDisconnectReason reason, DisconnectReason layerReason,
                                    int penalty) {
    assertEquals(Devp2pRefusals.kind(reason), refusal.kind());
    assertEquals(layerReason, refusal.reason());
    assertEquals(penalty, refusal.penalty(), refusal::toString);
    assertEquals(Optional.of(reason), farewellReason(refusal));
  }

  /** The reason of the Disconnect that {@link RlpxProtocol#farewell} sends for {@code refusal}, if any. */
  private static Optional<Devp2pDisconnectReason> farewellReason(Refusal refusal) {
    Optional<Devp2pDisconnectReason> expected = Devp2pRefusals.disconnectReason(refusal.reason(), refusal.kind());
    List<RlpxMessage> farewell = new RlpxProtocol(new Devp2pOptions(), key(), List.of())
        .farewell(refusal.reason(), refusal.kind(), refusal.detail());
    if (farewell.isEmpty()) {
      assertEquals(Optional.empty(), expected);
      return Optional.empty();
    }
    RlpxMessage.Frame frame = (RlpxMessage.Frame) farewell.get(0);
    assertEquals(BaseMessageCodes.DISCONNECT, frame.code());
    Optional<Devp2pDisconnectReason> sent = DisconnectMessage.decode(frame.payload()).reason();
    assertEquals(expected, sent);
    return sent;
  }

  /** A dialer made of the pure RLPx parts, with its keys, against {@code listener}, which has sent ack and Hello. */
  private record RawDialer(Side listener, RlpxFrameCodec frames) {
  }

  private static RawDialer rawDialer(Side listener) {
    RlpxHandshake.Initiator initiator = RlpxHandshake.initiator(key(), listener.id().bytes(), RANDOM);
    listener.feed(initiator.firstMessage());
    byte[] ackAndHello = listener.takeOutput();
    byte[] ack = packetOf(ackAndHello);
    RlpxFrameCodec frames = new RlpxFrameCodec(initiator.onAck(ack), RlpxFrameCodec.MAX_FRAME_SIZE);
    List<Integer> codes = new ArrayList<>();
    frames.feed(Arrays.copyOfRange(ackAndHello, ack.length, ackAndHello.length), (code, payload) -> codes.add(code));
    assertEquals(List.of(BaseMessageCodes.HELLO), codes, "the listener's Hello follows its ack");
    assertNotNull(listener.claimed);
    return new RawDialer(listener, frames);
  }
}
