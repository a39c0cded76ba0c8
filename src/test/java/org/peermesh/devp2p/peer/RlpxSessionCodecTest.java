package org.peermesh.devp2p.peer;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.peermesh.devp2p.base.BaseMessageCodes;
import org.peermesh.devp2p.base.Capability;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.devp2p.base.DisconnectMessage;
import org.peermesh.devp2p.base.HelloMessage;
import org.peermesh.devp2p.discovery.NodeId;
import org.peermesh.devp2p.rlpx.RlpxFrameCodec;
import org.peermesh.devp2p.rlpx.RlpxHandshake;
import org.peermesh.devp2p.rlpx.RlpxSecrets;
import org.peermesh.devp2p.rlpx.SnappyCodec;
import org.peermesh.peer.PeerViolation;
import org.peermesh.peer.Refusal;
import org.peermesh.testing.devp2p.RawRlpxPeer;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session's framing on its own: a keyed {@link RlpxSessionCodec} reading what a bare {@link RlpxFrameCodec} with
 * the peer's keys writes, and writing what it reads back. Snappy starts with the peer's v5 Hello and never covers a
 * Hello; a Disconnect is read in either form; every size is refused before it is allocated.
 */
class RlpxSessionCodecTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int LIMIT = 4096;
  private static final byte[] EMPTY_LIST = {(byte) 0xc0};
  /** A frame's header and its MAC: what the codec has of a frame before any of its body. */
  private static final int HEADER_BYTES = 32;

  /** Our codec, the peer's bare frames, and what our codec decoded. */
  private final byte[] peerKey = RawRlpxPeer.randomPrivateKey();
  private RlpxSessionCodec ours;
  private RlpxFrameCodec peer;
  private final List<RlpxMessage.Frame> received = new ArrayList<>();

  RlpxSessionCodecTest() {
    byte[] ourKey = RawRlpxPeer.randomPrivateKey();
    RlpxHandshake.Initiator initiator = RlpxHandshake.initiator(peerKey, NodeId.ofPrivateKey(ourKey).bytes(), RANDOM);
    RlpxHandshake.Accepted accepted = RlpxHandshake.responder(ourKey, RANDOM).onAuth(initiator.firstMessage());
    RlpxSecrets peerSecrets = initiator.onAck(accepted.ackPacket());
    ours = new RlpxSessionCodec(accepted.secrets(), new byte[0], LIMIT);
    peer = new RlpxFrameCodec(peerSecrets, RlpxFrameCodec.MAX_FRAME_SIZE);
  }

  private HelloMessage hello(int version) {
    return new HelloMessage(version, "peer", List.of(new Capability("eth", 68)), 0, NodeId.ofPrivateKey(peerKey)
        .bytes());
  }

  private void feed(byte[] bytes) {
    ours.decode(Buffer.buffer(bytes), (message, payload) -> {
      RlpxMessage.Frame frame = (RlpxMessage.Frame) message;
      assertArrayEquals(frame.payload(), payload.getBytes());
      received.add(frame);
    });
  }

  private RlpxMessage.Frame last() {
    return received.get(received.size() - 1);
  }

  /** What our codec writes for {@code code, payload}, as the peer reads it (its bytes still compressed if so). */
  private byte[] written(int code, byte[] payload) {
    Buffer out = Buffer.buffer();
    ours.encode(RlpxMessage.Frame.of(code, payload), out);
    List<byte[]> bodies = new ArrayList<>();
    peer.feed(out.getBytes(), (readCode, body) -> {
      assertEquals(code, readCode);
      bodies.add(body);
    });
    assertEquals(1, bodies.size());
    return bodies.get(0);
  }

  private Refusal violation(byte[] bytes) {
    return assertThrows(PeerViolation.class, () -> feed(bytes)).refusal();
  }

  // ------------------------------------------------------------------------------------------------------ snappy

  @Test
  void snappyStartsWithThePeersV5HelloAndNeverCoversAHello() {
    byte[] ping = written(BaseMessageCodes.PING, EMPTY_LIST);
    assertArrayEquals(EMPTY_LIST, ping, "plain before the peer's Hello");
    feed(peer.encode(BaseMessageCodes.PING, EMPTY_LIST));
    assertArrayEquals(EMPTY_LIST, last().payload());

    feed(peer.encode(BaseMessageCodes.HELLO, hello(5).encode()));
    assertEquals(hello(5), HelloMessage.decode(last().payload()));

    byte[] status = "status status status status status".getBytes();
    feed(peer.encode(0x10, SnappyCodec.compress(status)));
    assertArrayEquals(status, last().payload(), "decompressed after a v5 Hello");
    byte[] sent = written(0x10, status);
    assertArrayEquals(SnappyCodec.compress(status), sent, "compressed after the peer's v5 Hello");
    assertArrayEquals(status, SnappyCodec.decompress(sent, LIMIT));

    HelloMessage ourHello = hello(5);
    assertArrayEquals(ourHello.encode(), written(BaseMessageCodes.HELLO, ourHello.encode()), "a Hello is never "
        + "compressed");
    feed(peer.encode(BaseMessageCodes.HELLO, hello(5).encode()));
    assertEquals(hello(5), HelloMessage.decode(last().payload()), "nor read as compressed");
  }

  @Test
  void aV4HelloLeavesSnappyOff() {
    feed(peer.encode(BaseMessageCodes.HELLO, hello(4).encode()));
    byte[] plain = "plain plain plain plain".getBytes();
    feed(peer.encode(0x10, plain));
    assertArrayEquals(plain, last().payload());
    assertArrayEquals(plain, written(0x10, plain));
  }

  @Test
  void aHelloThatDoesNotDecodeLeavesSnappyOffForTheHandshakeToRefuse() {
    feed(peer.encode(BaseMessageCodes.HELLO, new byte[] {(byte) 0xc1, 0x05}));
    assertArrayEquals(new byte[] {(byte) 0xc1, 0x05}, last().payload());
    assertArrayEquals(EMPTY_LIST, written(BaseMessageCodes.PING, EMPTY_LIST));
  }

  @Test
  void aDisconnectIsReadCompressedOrNotAfterAV5Hello() {
    feed(peer.encode(BaseMessageCodes.HELLO, hello(5).encode()));
    byte[] disconnect = DisconnectMessage.of(Devp2pDisconnectReason.TOO_MANY_PEERS).encode();
    feed(peer.encode(BaseMessageCodes.DISCONNECT, SnappyCodec.compress(disconnect)));
    assertEquals(Devp2pDisconnectReason.TOO_MANY_PEERS, DisconnectMessage.decode(last().payload()).reason()
        .orElseThrow());
    feed(peer.encode(BaseMessageCodes.DISCONNECT, disconnect));                    // ethereumjs: the plain list
    assertEquals(Devp2pDisconnectReason.TOO_MANY_PEERS, DisconnectMessage.decode(last().payload()).reason()
        .orElseThrow());
    feed(peer.encode(BaseMessageCodes.DISCONNECT, new byte[] {0x10}));               // a bare integer
    assertEquals(Devp2pDisconnectReason.SUBPROTOCOL_ERROR, DisconnectMessage.decode(last().payload()).reason()
        .orElseThrow());
  }

  @Test
  void aDisconnectBeforeAnyHelloIsReadPlain() {
    feed(peer.encode(BaseMessageCodes.DISCONNECT, DisconnectMessage.of(Devp2pDisconnectReason.USELESS_PEER)
        .encode()));
    assertEquals(Devp2pDisconnectReason.USELESS_PEER, DisconnectMessage.decode(last().payload()).reason()
        .orElseThrow());
  }

  // ------------------------------------------------------------------------------------------------------ limits

  @Test
  void aFrameOverTheLimitIsRefusedFromItsHeaderBeforeItsBody() {
    ours.limitMessageSize(LIMIT, "maxMessageSize");
    byte[] frame = peer.encode(0x10, new byte[LIMIT + 100]);
    Refusal refusal = violation(Arrays.copyOf(frame, HEADER_BYTES));
    assertEquals("too_large", refusal.kind());
    assertEquals(Devp2pRefusals.MALFORMED_PENALTY, refusal.penalty());
    assertTrue(refusal.detail().contains("maxMessageSize"), refusal::detail);
    assertTrue(received.isEmpty());
  }

  @Test
  void theLimitSetLaterAppliesFromTheNextFrame() {
    ours.limitMessageSize(LIMIT * 4, "maxMessageSize");
    feed(peer.encode(0x10, new byte[LIMIT * 2]));
    assertEquals(LIMIT * 2, last().size());
    ours.limitMessageSize(LIMIT, "the limit before the handshake is done");
    byte[] frame = peer.encode(0x10, new byte[LIMIT * 2]);
    Refusal refusal = violation(Arrays.copyOf(frame, HEADER_BYTES));
    assertEquals("too_large", refusal.kind());
    assertTrue(refusal.detail().contains("the limit before the handshake is done"), refusal::detail);
  }

  @Test
  void aFrameAtTheLimitIsRead() {
    ours.limitMessageSize(LIMIT, "maxMessageSize");
    feed(peer.encode(0x10, new byte[LIMIT]));
    assertEquals(LIMIT, last().size());
  }

  @Test
  void aSnappyBombIsRefusedFromItsDeclaredLength() {
    feed(peer.encode(BaseMessageCodes.HELLO, hello(5).encode()));
    // A block that declares 2^32 - 1 decoded bytes in its varint and holds 3 bytes: allocating first would fail.
    byte[] bomb = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x00, 0x00, 0x00};
    Refusal refusal = violation(peer.encode(0x10, bomb));
    assertEquals("snappy_too_large", refusal.kind());
    assertEquals(Devp2pRefusals.MALFORMED_PENALTY, refusal.penalty());
    assertTrue(refusal.detail().contains(String.valueOf(0xFFFFFFFFL)), refusal::detail);
  }

  @Test
  void aSnappyBlockJustOverTheLimitIsRefusedAndOneAtItIsRead() {
    feed(peer.encode(BaseMessageCodes.HELLO, hello(5).encode()));
    ours.limitMessageSize(LIMIT, "maxMessageSize");
    // Zeros compress to a few bytes: the frame is tiny, what it declares is not.
    feed(peer.encode(0x10, SnappyCodec.compress(new byte[LIMIT])));
    assertEquals(LIMIT, last().size());
    // One byte over: the limit is the message's, not the frame's (whose body holds the code as well).
    Refusal refusal = violation(peer.encode(0x10, SnappyCodec.compress(new byte[LIMIT + 1])));
    assertEquals("snappy_too_large", refusal.kind());
  }

  @Test
  void aPlainMessageOneByteOverTheLimitIsRefused() {
    ours.limitMessageSize(LIMIT, "maxMessageSize");
    // Its frame's body (code and payload) is within the frame's limit, which leaves room for the code.
    Refusal refusal = violation(peer.encode(0x10, new byte[LIMIT + 1]));
    assertEquals("too_large", refusal.kind());
    assertTrue(refusal.detail().contains("maxMessageSize"), refusal::detail);
    assertTrue(received.isEmpty());
  }

  @Test
  void aCorruptSnappyBlockIsRefused() {
    feed(peer.encode(BaseMessageCodes.HELLO, hello(5).encode()));
    Refusal refusal = violation(peer.encode(0x10, new byte[] {0x10, (byte) 0xff, (byte) 0xff}));
    assertEquals("bad_snappy", refusal.kind());
    assertEquals(Devp2pRefusals.MALFORMED_PENALTY, refusal.penalty());
  }

  @Test
  void aFlippedByteIsABadMac() {
    byte[] frame = peer.encode(0x10, new byte[100]);
    frame[HEADER_BYTES + 5] ^= 1;
    Refusal refusal = violation(frame);
    assertEquals("bad_mac", refusal.kind());
    assertEquals(Devp2pRefusals.MALFORMED_PENALTY, refusal.penalty());
    assertTrue(Devp2pRefusals.disconnectReason(refusal.reason(), refusal.kind()).isEmpty(), "closed silently");
  }

  @Test
  void theBytesReadPastTheHandshakeAreDecodedWithTheFirstChunk() {
    byte[] ourKey = RawRlpxPeer.randomPrivateKey();
    RlpxHandshake.Initiator initiator = RlpxHandshake.initiator(peerKey, NodeId.ofPrivateKey(ourKey).bytes(), RANDOM);
    RlpxHandshake.Accepted accepted = RlpxHandshake.responder(ourKey, RANDOM).onAuth(initiator.firstMessage());
    RlpxFrameCodec sender = new RlpxFrameCodec(initiator.onAck(accepted.ackPacket()), RlpxFrameCodec.MAX_FRAME_SIZE);
    byte[] hello = sender.encode(BaseMessageCodes.HELLO, hello(5).encode());
    byte[] ping = sender.encode(BaseMessageCodes.PING, SnappyCodec.compress(EMPTY_LIST));
    ours = new RlpxSessionCodec(accepted.secrets(), Arrays.copyOf(hello, hello.length - 3), LIMIT);
    feed(new byte[0]);
    assertTrue(received.isEmpty(), "a frame cut short waits");
    byte[] rest = Arrays.copyOf(Arrays.copyOfRange(hello, hello.length - 3, hello.length), 3 + ping.length);
    System.arraycopy(ping, 0, rest, 3, ping.length);
    feed(rest);
    assertEquals(List.of(BaseMessageCodes.HELLO, BaseMessageCodes.PING),
        received.stream().map(RlpxMessage.Frame::code).toList());
    assertArrayEquals(EMPTY_LIST, last().payload());
  }
}
