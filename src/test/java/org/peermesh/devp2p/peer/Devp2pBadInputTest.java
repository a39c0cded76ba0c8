package org.peermesh.devp2p.peer;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.ProtocolAddresses;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.base.BaseMessageCodes;
import org.peermesh.devp2p.base.Capability;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.devp2p.base.HelloMessage;
import org.peermesh.devp2p.discovery.NodeId;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;
import org.peermesh.devp2p.rlpx.Ecies;
import org.peermesh.devp2p.rlpx.RlpxHandshake;
import org.peermesh.devp2p.rlpx.SnappyCodec;
import org.peermesh.net.PeerAddress;
import org.peermesh.testing.devp2p.RawRlpxPeer;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;
import static org.peermesh.testing.TestNodes.await;

/**
 * Hostile input from raw RLPx sockets ({@link RawRlpxPeer}) against one {@link Devp2pServer} on 127.0.0.1: each case
 * costs only its peer (the connection ends, an error event names the kind, a Disconnect where geth sends one and
 * none where it closes silently, a penalty where the other protocols charge one), never the node, which then still
 * completes a handshake with an honest peer. Each case comes from a 127.x address of its own, as violations are
 * scored by address; {@link #fiveViolationsFromOneAddressBanIt} proves they are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Devp2pBadInputTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final int MAX_MESSAGE_SIZE = 64 * 1024;
  private static final int MAX_WRITE_QUEUE_SIZE = 2 * MAX_MESSAGE_SIZE;
  private static final long HANDSHAKE_TIMEOUT = 1_500;
  private static final long ACK_TIMEOUT = 1_500;
  /** 20 frames per 100 ms window: far above what an honest peer here sends, cheap to flood past. */
  private static final int MAX_MESSAGE_RATE = 200;
  /** What the pump sends, over and over: incompressible, so snappy does not shrink it. */
  private static final int PUMP_PAYLOAD = 16 * 1024;
  private static final int TINY_RECEIVE_BUFFER = 4096;
  private static final byte[] EMPTY_LIST = {(byte) 0xc0};
  private static final Capability ECHO = new Capability("echo", 1);
  private static final Capability PUMP = new Capability("pump", 1);
  private static final Capability HOSE = new Capability("hose", 1);
  /** How often the hose sends: 16 KiB every 5 ms, about 3 MB/s, whether the peer's queue has room or not. */
  private static final long HOSE_INTERVAL_MS = 5;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Vertx vertx;
  private Devp2pServer server;
  private final List<JsonObject> errors = new CopyOnWriteArrayList<>();
  private final List<JsonObject> states = new CopyOnWriteArrayList<>();
  private byte[] pumped;
  private int nextAddress = 1;

  @BeforeAll
  void startServer(@TempDir Path dir) {
    vertx = Vertx.vertx();
    byte[] random = new byte[PUMP_PAYLOAD];
    RANDOM.nextBytes(random);
    pumped = Rlp.encode(RlpList.of(RlpString.of(random)));
    server = await(Devp2pServer.create(vertx, new Devp2pOptions().setName("target")
        .setListen(new PeerAddress("127.0.0.1", 0))
        .setMaxMessageSize(MAX_MESSAGE_SIZE)
        .setMaxWriteQueueSize(MAX_WRITE_QUEUE_SIZE)
        .setHandshakeTimeout(HANDSHAKE_TIMEOUT)
        .setAckTimeout(ACK_TIMEOUT)
        .setMaxMessageRate(MAX_MESSAGE_RATE), dir, echo(), pump(), hose()).start());
    ProtocolAddresses addresses = server.addresses().protocol(RlpxProtocol.NAME);
    await(vertx.eventBus().<JsonObject>consumer(addresses.error(), m -> errors.add(m.body())).completion());
    await(vertx.eventBus().<JsonObject>consumer(addresses.stateChange(), m -> states.add(m.body())).completion());
  }

  @AfterAll
  void stopServer() {
    await(vertx.close());
  }

  /** echo/1: answers {@code [word]} with {@code ["bar"]} when the word is foo. */
  private static Devp2pProtocol echo() {
    return Devp2pProtocol.of(ECHO.name(), ECHO.version(), 1, (peer, rw) -> rw.handler(msg -> {
      if (msg.decodeList().string(0, "word").asString("word").equals("foo")) {
        rw.sendItems(0, "bar");
      }
    }));
  }

  /** pump/1: sends its peer the same 16 KiB message for as long as the peer is there, whenever its queue has room. */
  private Devp2pProtocol pump() {
    return Devp2pProtocol.of(PUMP.name(), PUMP.version(), 1, (peer, rw) -> {
      boolean[] ended = {false};
      Runnable[] fill = new Runnable[1];
      fill[0] = () -> {
        while (!ended[0] && !rw.writeQueueFull()) {
          if (rw.writeMsg(0, pumped).failed()) {
            return;
          }
        }
      };
      rw.endHandler(reason -> ended[0] = true);
      rw.drainHandler(v -> fill[0].run());
      fill[0].run();
    });
  }

  /**
   * hose/1: a sub-protocol that does not wait for its peer's queue, sending on a timer in the peer's context until
   * the peer is gone: a reader takes it all, a peer that does not read overflows maxWriteQueueSize.
   */
  private Devp2pProtocol hose() {
    return Devp2pProtocol.of(HOSE.name(), HOSE.version(), 1, (peer, rw) -> {
      Vertx owner = Vertx.currentContext().owner();
      long timer = owner.setPeriodic(HOSE_INTERVAL_MS, t -> rw.writeMsg(0, pumped));
      rw.endHandler(reason -> owner.cancelTimer(timer));
    });
  }

  // ------------------------------------------------------------------------------------------------------ peers

  /** A peer from an address of its own. */
  private RawRlpxPeer connect() {
    return connectFrom("127.0.20." + nextAddress++, 0);
  }

  private RawRlpxPeer connectFrom(String localHost, int receiveBufferSize) {
    PeerAddress listen = server.listenAddress();
    return RawRlpxPeer.connect(listen.host(), listen.port(), RawRlpxPeer.randomPrivateKey(), localHost,
        receiveBufferSize);
  }

  private HelloMessage hello(RawRlpxPeer raw, Capability... capabilities) {
    return new HelloMessage(HelloMessage.PROTOCOL_VERSION, "raw", List.of(capabilities), 0, raw.publicKey64());
  }

  /** The RLPx handshake done and both Hellos exchanged: the node counts the peer connected, snappy is on. */
  private RawRlpxPeer handshaken(RawRlpxPeer raw, Capability... capabilities) {
    raw.handshake(server.id().bytes());
    raw.sendHello(hello(raw, capabilities));
    RawRlpxPeer.Frame theirs = raw.readFrame(TIMEOUT);
    assertEquals(BaseMessageCodes.HELLO, theirs.code());
    assertEquals("target", HelloMessage.decode(theirs.payload()).clientId());
    raw.setSnappy(true);
    awaitState(raw, "connected");
    return raw;
  }

  private static Predicate<JsonObject> about(RawRlpxPeer raw) {
    int port = raw.localPort();
    return e -> Integer.valueOf(port).equals(e.getInteger("port")) && e.getString("host").startsWith("127.");
  }

  private JsonObject awaitState(RawRlpxPeer raw, String state) {
    return awaitEvent(states, about(raw).and(s -> state.equals(s.getString("state"))));
  }

  private boolean hasState(RawRlpxPeer raw, String state) {
    return states.stream().anyMatch(about(raw).and(s -> state.equals(s.getString("state"))));
  }

  /**
   * The node ended the connection for {@code kind} without a Disconnect, as geth closes on what it cannot read; and it
   * told the bus (an error event naming the kind, a closed state change).
   */
  private void assertEnded(RawRlpxPeer raw, String kind) {
    List<Integer> codes = framesUntilClosed(raw);
    assertFalse(codes.contains(BaseMessageCodes.DISCONNECT), () -> "a Disconnect for " + kind + ": " + codes);
    assertReported(raw, kind);
  }

  private void assertReported(RawRlpxPeer raw, String kind) {
    JsonObject error = awaitEvent(errors, about(raw));
    assertEquals(kind, error.getString("error"), error::encode);
    awaitState(raw, "closed");
  }

  /** The codes of the frames the node sends until it closes (none before the keys exist), the Disconnect's checked. */
  private static List<Integer> framesUntilClosed(RawRlpxPeer raw) {
    List<Integer> codes = new ArrayList<>();
    try {
      while (true) {
        RawRlpxPeer.Frame frame = raw.readFrame(TIMEOUT);
        codes.add(frame.code());
      }
    } catch (IllegalStateException noSession) {
      assertTrue(raw.awaitClosed(TIMEOUT), "the connection was not closed");
    } catch (AssertionError closed) {
      assertTrue(closed.getMessage().startsWith("the other side closed") || closed.getMessage().startsWith(
          "the connection failed"), closed::getMessage);
    }
    return codes;
  }

  /** As {@link #assertEnded}, with a Disconnect of {@code reason} before the close, where geth sends one. */
  private void assertEndedWithDisconnect(RawRlpxPeer raw, String kind, Devp2pDisconnectReason reason) {
    assertEquals(reason, raw.readDisconnectReason(TIMEOUT));
    assertTrue(raw.awaitClosed(TIMEOUT), "not closed after the Disconnect");
    assertReported(raw, kind);
  }

  /** An honest peer, from an address no case used, completes a handshake and is answered by echo. */
  private void assertHonestPeerIsServed() {
    try (RawRlpxPeer honest = handshaken(connect(), ECHO)) {
      honest.sendFrame(BaseMessageCodes.FIRST_SUBPROTOCOL, Rlp.encode(RlpList.of(RlpString.of("foo"))));
      RawRlpxPeer.Frame answer = honest.readFrame(TIMEOUT);
      while (answer.code() != BaseMessageCodes.FIRST_SUBPROTOCOL) {
        answer = honest.readFrame(TIMEOUT);
      }
      assertArrayEquals(Rlp.encode(RlpList.of(RlpString.of("bar"))), answer.payload());
    }
  }

  // -------------------------------------------------------------------------------------- before the keys exist

  /** Random bytes behind a plausible size prefix: no ECIES packet. Closed silently, as geth does. */
  static byte[] garbageAuth() {
    byte[] garbage = new byte[2 + 400];
    RANDOM.nextBytes(garbage);
    garbage[0] = 0x01;
    garbage[1] = (byte) 0x90;
    return garbage;
  }

  @Test
  void garbageWithAPlausibleSizeIsClosedSilently() {
    try (RawRlpxPeer raw = connect()) {
      raw.sendBytes(garbageAuth());
      assertEnded(raw, "bad_ecies");
    }
    assertHonestPeerIsServed();
  }

  @Test
  void anAuthWhoseEciesKeyIsOffTheCurveIsClosedSilently() {
    try (RawRlpxPeer raw = connect()) {
      byte[] auth = RlpxHandshake.initiator(RawRlpxPeer.randomPrivateKey(), server.id().bytes(), RANDOM)
          .firstMessage();
      System.arraycopy(offTheCurve(), 0, auth, 2 + 1, 64); // after the size prefix and the point's 0x04
      raw.sendBytes(auth);
      assertEnded(raw, "bad_ecies");
    }
    assertHonestPeerIsServed();
  }

  @Test
  void anAuthWhoseStaticKeyIsOffTheCurveIsClosedSilently() {
    try (RawRlpxPeer raw = connect()) {
      raw.sendBytes(authOf(RlpList.of(RlpString.of(new byte[65]), RlpString.of(offTheCurve()),
          RlpString.of(new byte[32]), RlpString.of(4)), server.id().bytes()));
      assertEnded(raw, "bad_handshake");
    }
    assertHonestPeerIsServed();
  }

  @Test
  void aHandshakeSizePrefixOver2048IsClosedFromItsTwoBytes() {
    try (RawRlpxPeer raw = connect()) {
      raw.sendBytes(new byte[] {0x08, 0x01});
      assertEnded(raw, "too_large");
    }
    assertHonestPeerIsServed();
  }

  /** (1, 1): 1 is not 1 + 7, so no point of secp256k1. */
  private static byte[] offTheCurve() {
    byte[] point = new byte[64];
    point[31] = 1;
    point[63] = 1;
    return point;
  }

  /** An EIP-8 auth packet of {@code body}, sealed to {@code remotePub64} as RlpxHandshake seals one. */
  static byte[] authOf(RlpList body, byte[] remotePub64) {
    byte[] encoded = Rlp.encode(body);
    byte[] padded = Arrays.copyOf(encoded, encoded.length + 100);
    int size = padded.length + Ecies.OVERHEAD;
    byte[] prefix = {(byte) (size >>> 8), (byte) size};
    byte[] ciphertext = Ecies.encrypt(remotePub64, padded, prefix, RANDOM);
    byte[] packet = Arrays.copyOf(prefix, 2 + ciphertext.length);
    System.arraycopy(ciphertext, 0, packet, 2, ciphertext.length);
    return packet;
  }

  @Test
  void aPeerThatSendsNothingIsClosedAtHandshakeTimeout() {
    try (RawRlpxPeer raw = connect()) {
      assertTrue(raw.awaitClosed(TIMEOUT), "not closed");
      JsonObject closed = awaitState(raw, "closed");
      assertTrue(closed.getString("reason").startsWith("no handshake within " + HANDSHAKE_TIMEOUT),
          closed::encode);
    }
    assertHonestPeerIsServed();
  }

  @Test
  void aPeerThatStopsAfterItsAuthIsToldReadTimeoutAtHandshakeTimeout() {
    try (RawRlpxPeer raw = connect()) {
      raw.handshake(server.id().bytes());
      assertEquals(Devp2pDisconnectReason.READ_TIMEOUT, raw.readDisconnectReason(TIMEOUT));
      assertTrue(raw.awaitClosed(TIMEOUT), "not closed");
      JsonObject closed = awaitState(raw, "closed");
      assertTrue(closed.getString("reason").startsWith("no handshake within"), closed::encode);
    }
    assertHonestPeerIsServed();
  }

  // ---------------------------------------------------------------------------------------- with keys, no Hello

  @Test
  void aHelloThatIsNoRlpGetsProtocolError() {
    try (RawRlpxPeer raw = connect()) {
      raw.handshake(server.id().bytes());
      raw.sendFrame(BaseMessageCodes.HELLO, new byte[] {(byte) 0xf8, 0x7f, 0x01});
      assertEndedWithDisconnect(raw, "bad_hello", Devp2pDisconnectReason.PROTOCOL_ERROR);
    }
    assertHonestPeerIsServed();
  }

  @Test
  void aSubProtocolMessageBeforeHelloGetsProtocolError() {
    try (RawRlpxPeer raw = connect()) {
      raw.handshake(server.id().bytes());
      raw.sendFrame(BaseMessageCodes.FIRST_SUBPROTOCOL, Rlp.encode(RlpList.of(RlpString.of("foo"))));
      assertEndedWithDisconnect(raw, "expected_hello", Devp2pDisconnectReason.PROTOCOL_ERROR);
    }
    assertHonestPeerIsServed();
  }

  /** A second auth, once the keys exist, is read as a frame: its bytes break the header's MAC. */
  @Test
  void aSecondAuthIsABadMac() {
    try (RawRlpxPeer raw = connect()) {
      raw.handshake(server.id().bytes());
      raw.sendBytes(RlpxHandshake.initiator(RawRlpxPeer.randomPrivateKey(), server.id().bytes(), RANDOM)
          .firstMessage());
      assertEnded(raw, "bad_mac");
    }
    assertHonestPeerIsServed();
  }

  @Test
  void aHelloNamingAnotherKeyGetsUnexpectedIdentity() {
    try (RawRlpxPeer raw = connect()) {
      raw.handshake(server.id().bytes());
      raw.sendHello(new HelloMessage(HelloMessage.PROTOCOL_VERSION, "raw", List.of(ECHO), 0,
          NodeId.ofPrivateKey(RawRlpxPeer.randomPrivateKey()).bytes()));
      raw.setSnappy(true); // the node read a v5 Hello: its Disconnect is compressed
      assertEndedWithDisconnect(raw, "unexpected_identity", Devp2pDisconnectReason.UNEXPECTED_IDENTITY);
    }
    assertHonestPeerIsServed();
  }

  /** No fault: refused with useless peer, at no cost (from one address more often than violations take to ban). */
  @Test
  void aPeerSharingNoCapabilityGetsUselessPeerAtNoCost() {
    String localHost = "127.0.21.1";
    for (int i = 0; i < 100 / Devp2pRefusals.MALFORMED_PENALTY + 1; i++) {
      try (RawRlpxPeer raw = connectFrom(localHost, 0)) {
        raw.handshake(server.id().bytes());
        raw.sendHello(hello(raw, new Capability("eth", 68)));
        raw.setSnappy(true);
        assertEndedWithDisconnect(raw, "useless_peer", Devp2pDisconnectReason.USELESS_PEER);
      }
    }
    try (RawRlpxPeer again = handshaken(connectFrom(localHost, 0), ECHO)) {
      assertFalse(hasState(again, "closed"));
    }
  }

  // -------------------------------------------------------------------------------------------- after the Hellos

  @Test
  void aFlippedByteIsABadMacClosedSilently() {
    try (RawRlpxPeer raw = handshaken(connect(), ECHO)) {
      byte[] frame = raw.encodeFrame(BaseMessageCodes.FIRST_SUBPROTOCOL, SnappyCodec.compress(
          Rlp.encode(RlpList.of(RlpString.of("foo")))));
      frame[frame.length - 20] ^= 0x01;
      raw.sendBytes(frame);
      assertEnded(raw, "bad_mac");
    }
    assertHonestPeerIsServed();
  }

  @Test
  void aFrameOverMaxMessageSizeIsClosedFromItsHeader() {
    try (RawRlpxPeer raw = handshaken(connect(), ECHO)) {
      byte[] frame = raw.encodeFrame(BaseMessageCodes.FIRST_SUBPROTOCOL, new byte[MAX_MESSAGE_SIZE + 100]);
      raw.sendBytes(Arrays.copyOf(frame, 32)); // the header and its MAC alone
      assertEnded(raw, "too_large");
    }
    assertHonestPeerIsServed();
  }

  @Test
  void aSnappyBombIsClosedFromItsDeclaredLength() {
    try (RawRlpxPeer raw = handshaken(connect(), ECHO)) {
      raw.sendBytes(raw.encodeFrame(BaseMessageCodes.FIRST_SUBPROTOCOL,
          new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 0x00, 0x00}));
      assertEnded(raw, "snappy_too_large");
    }
    assertHonestPeerIsServed();
  }

  @Test
  void aCodeOutsideEveryCapabilityIsClosedSilently() {
    try (RawRlpxPeer raw = handshaken(connect(), ECHO)) {
      raw.sendFrame(0x40, EMPTY_LIST);
      assertEnded(raw, "unknown_code");
    }
    assertHonestPeerIsServed();
  }

  /** Violations cost the address: five (20 each, of 100) ban it, and a banned address is refused at once. */
  @Test
  void fiveViolationsFromOneAddressBanIt() {
    String localHost = "127.0.22.1";
    try (RawRlpxPeer raw = connectFrom(localHost, 0)) {
      raw.sendBytes(garbageAuth());
      assertEnded(raw, "bad_ecies");
    }
    try (RawRlpxPeer raw = connectFrom(localHost, 0)) {
      raw.sendBytes(new byte[] {0x08, 0x01});
      assertEnded(raw, "too_large");
    }
    try (RawRlpxPeer raw = connectFrom(localHost, 0)) {
      raw.handshake(server.id().bytes());
      raw.sendFrame(BaseMessageCodes.FIRST_SUBPROTOCOL, EMPTY_LIST);
      assertEndedWithDisconnect(raw, "expected_hello", Devp2pDisconnectReason.PROTOCOL_ERROR);
    }
    try (RawRlpxPeer raw = handshaken(connectFrom(localHost, 0), ECHO)) {
      raw.sendBytes(raw.encodeFrame(BaseMessageCodes.FIRST_SUBPROTOCOL,
          new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f}));
      assertEnded(raw, "snappy_too_large");
    }
    assertTrue(errors.stream().noneMatch(e -> "banned".equals(e.getString("error"))
        && localHost.equals(e.getString("host"))), "banned after four");
    try (RawRlpxPeer raw = handshaken(connectFrom(localHost, 0), ECHO)) {
      byte[] frame = raw.encodeFrame(BaseMessageCodes.FIRST_SUBPROTOCOL, EMPTY_LIST);
      frame[5] ^= 0x01;
      raw.sendBytes(frame);
      assertTrue(raw.awaitClosed(TIMEOUT));
    }
    JsonObject banned = awaitEvent(errors, e -> "banned".equals(e.getString("error"))
        && localHost.equals(e.getString("host")));
    assertTrue(banned.getString("message").contains(localHost), banned::encode);
    try (RawRlpxPeer again = connectFrom(localHost, 0)) {
      assertTrue(again.awaitClosed(TIMEOUT), "a banned address is refused before its first byte");
      JsonObject refusal = awaitEvent(errors, about(again));
      assertEquals("banned", refusal.getString("error"), refusal::encode);
    }
    assertHonestPeerIsServed();
  }

  // ------------------------------------------------------------------------------------------------------ floods

  /** Frames past maxMessageRate are paced, and a peer held at the limit past a burst is charged until banned. */
  @Test
  void aFloodOfFramesEndsInABanOfItsAddress() {
    String localHost = "127.0.23.1";
    try (RawRlpxPeer flooder = handshaken(connectFrom(localHost, 0), ECHO)) {
      byte[] pong = SnappyCodec.compress(EMPTY_LIST);
      List<byte[]> frames = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        frames.add(flooder.encodeFrame(BaseMessageCodes.PONG, pong));
      }
      byte[] first = concat(frames);
      CompletableFuture<Void> flooding = CompletableFuture.runAsync(() -> {
        byte[] next = first;
        try {
          for (int i = 0; i < 200 && !hasState(flooder, "closed"); i++) {
            flooder.sendBytes(next);
            List<byte[]> more = new ArrayList<>();
            for (int j = 0; j < 500; j++) {
              more.add(flooder.encodeFrame(BaseMessageCodes.PONG, pong));
            }
            next = concat(more);
          }
        } catch (UncheckedIOException cut) {
          // the node reset the connection: the flood is over
        }
      });
      JsonObject banned = awaitEvent(errors, e -> "banned".equals(e.getString("error"))
          && localHost.equals(e.getString("host")));
      assertTrue(banned.getString("message").contains("flooding"), banned::encode);
      awaitState(flooder, "closed");
      flooding.join();
    }
    try (RawRlpxPeer again = connectFrom(localHost, 0)) {
      assertTrue(again.awaitClosed(TIMEOUT), "a banned address is refused before its first byte");
    }
    assertHonestPeerIsServed();
  }

  private static byte[] concat(List<byte[]> parts) {
    int length = parts.stream().mapToInt(p -> p.length).sum();
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------ readers and not

  /**
   * The hose fills the socket of a peer that never reads, then the node's queue for it past maxWriteQueueSize: it is
   * cut for not reading, silently (a Disconnect would only wait in its queue).
   */
  @Test
  void aPeerThatNeverReadsIsCut() {
    try (RawRlpxPeer nonReader = handshaken(connectFrom("127.0.24.1", TINY_RECEIVE_BUFFER), HOSE)) {
      JsonObject closed = awaitState(nonReader, "closed");
      assertTrue(closed.getString("reason").contains("does not read"), closed::encode);
      assertTrue(closed.getString("reason").contains("maxWriteQueueSize"), closed::encode);
      assertTrue(nonReader.awaitClosed(TIMEOUT), "its socket is closed");
    }
    assertHonestPeerIsServed();
  }

  /**
   * A peer with a tiny receive buffer that reads steadily takes far more than the kernel's buffers and the node's
   * queue hold (so the queue fills and drains over and over) and is not cut.
   */
  @Test
  void aPeerThatReadsSlowlyIsNotCut() {
    int messages = 8 * 1024 * 1024 / PUMP_PAYLOAD;
    try (RawRlpxPeer reader = handshaken(connectFrom("127.0.24.2", TINY_RECEIVE_BUFFER), PUMP)) {
      int pumpedFrames = 0;
      while (pumpedFrames < messages) {
        RawRlpxPeer.Frame frame = reader.readFrame(TIMEOUT);
        if (frame.code() == BaseMessageCodes.FIRST_SUBPROTOCOL) {
          assertArrayEquals(pumped, frame.payload());
          pumpedFrames++;
        }
      }
      assertFalse(hasState(reader, "closed"), "the reader was cut");
    }
    assertHonestPeerIsServed();
  }

  // ------------------------------------------------------------------------------------------------- at the end

  /** Runs last, on the node every case here has sent its bad peer to: another Java node still talks to it. */
  @Test
  @Order(Integer.MAX_VALUE)
  void anotherServerStillConnectsAndIsAnswered(@TempDir Path dir) {
    List<String> answers = new CopyOnWriteArrayList<>();
    Devp2pServer other = await(Devp2pServer.create(vertx, new Devp2pOptions().setName("other"), dir,
        Devp2pProtocol.of(ECHO.name(), ECHO.version(), 1, (peer, rw) -> {
          rw.handler(msg -> answers.add(msg.decodeList().string(0, "word").asString("word")));
          rw.sendItems(0, "foo");
        })).start());
    JsonObject peer = await(other.connect(server.enode()));
    assertEquals(server.id().hex(), peer.getString("id"));
    await().atMost(TIMEOUT).until(() -> !answers.isEmpty());
    assertEquals(List.of("bar"), answers);
    await(other.stop());
  }
}
