package org.peermesh.antelope.peer;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peermesh.antelope.crypto.AntelopePrivateKey;
import org.peermesh.antelope.crypto.AntelopeSignature;
import org.peermesh.antelope.peer.AntelopeOptions.AllowedConnection;
import org.peermesh.antelope.peer.RawAntelopePeer.Ended;
import org.peermesh.antelope.peer.RawAntelopePeer.Frame;
import org.peermesh.antelope.peer.RawAntelopePeer.Handshake;
import org.peermesh.antelope.wire.NetMessageType;
import org.peermesh.antelope.wire.AntelopeMessage;
import org.peermesh.antelope.wire.AntelopeMessages;
import org.peermesh.antelope.wire.Checksum256;
import org.peermesh.antelope.wire.FcWriter;
import org.peermesh.antelope.wire.GoAwayMessage;
import org.peermesh.antelope.wire.GoAwayReason;
import org.peermesh.antelope.wire.HandshakeMessage;
import org.peermesh.antelope.wire.IdListMode;
import org.peermesh.antelope.wire.NoticeMessage;
import org.peermesh.antelope.wire.RequestMessage;
import org.peermesh.antelope.wire.SelectIds;
import org.peermesh.antelope.wire.SyncRequestMessage;
import org.peermesh.antelope.wire.TimeMessage;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.ProtocolAddresses;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;

/**
 * Hostile input from raw Antelope sockets against one in-process node: each case costs only that peer (an error event
 * naming the kind, a closed state change, and the go_away nodeos would send, in nodeos' 4-byte form, or a plain
 * close where nodeos sends none), never the node, which then still completes a handshake with a well-behaved peer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AntelopeBadInputTest {

  static final String CHAIN_ID = AntelopeInteropTest.CHAIN_ID;
  private static final String OTHER_CHAIN = "73e4385a2708e6d7048834fbc1079f2fabb17b3c125b146af438971e90716c4d";
  /** Small enough that a frame just over it is cheap to announce, far above any message these cases send. */
  private static final int MAX_MESSAGE_SIZE = 64 * 1024;
  /** A go_away's payload in nodeos' form: the variant index, the reason as a u32, the sender's node_id. */
  private static final int NODEOS_GO_AWAY_PAYLOAD = 1 + 4 + Checksum256.LENGTH;
  /** Where a handshake's key type lies in its frame: prefix, variant, network_version, chain_id, node_id. */
  private static final int HANDSHAKE_KEY_TYPE_OFFSET = AntelopeMessages.LENGTH_PREFIX_SIZE + 1 + 2 + 2 * 32;
  /** Where a handshake's p2p_address starts in its payload: the fields before it, key and signature with types. */
  private static final int HANDSHAKE_ADDRESS_OFFSET = 1 + 2 + 2 * 32 + (1 + 33) + 8 + 32 + (1 + 65);
  /** A violation costs 10 or 20 of a score of 100: this many refusals from one address would ban it. */
  private static final int REFUSALS_THAT_WOULD_BAN = 100 / AntelopeRefusals.VIOLATION_PENALTY + 1;

  /** Whether a case's bytes come before the peer's handshake or after the node has accepted it. */
  enum Phase { BEFORE_HANDSHAKE, AFTER_HANDSHAKE }

  private Vertx vertx;
  private TestNodes nodes;
  private PeerMeshNode node;
  private List<JsonObject> errors;
  private List<JsonObject> states;
  /** The node's node_id, as its handshake tells a peer: every go_away it sends carries it. */
  private Checksum256 nodeId;
  private int nextAddress = 1;

  @BeforeAll
  void startNode(@TempDir Path dir) {
    vertx = Vertx.vertx();
    nodes = new TestNodes(vertx, dir);
    var options = nodes.options().setMesh(null).setProtocol(AntelopeProtocol.NAME, new AntelopeOptions()
        .setChainId(CHAIN_ID)
        .setListen(new PeerAddress("127.0.0.1", 0))
        // Each case comes from an address of its own, and one case reconnects from one address in turn: the
        // per-host limit is AntelopeProtectionsTest's to prove.
        .setMaxClientsPerHost(4)
        .setMaxMessageSize(MAX_MESSAGE_SIZE)
        // Signed peers only, so that the signature cases are judged; every other case signs its handshake.
        .setAllowedConnection(AllowedConnection.SIGNED));
    ProtocolAddresses addresses = new BusAddresses(options.getBusPrefix()).protocol(AntelopeProtocol.NAME);
    errors = nodes.collect(addresses.error());
    states = nodes.collect(addresses.stateChange());
    node = nodes.start(options);
    try (RawAntelopePeer raw = connect()) {
      nodeId = raw.handshake(new Handshake(CHAIN_ID).build()).nodeId();
    }
  }

  @AfterAll
  void stopNode() {
    nodes.close();
    TestNodes.await(vertx.close());
  }

  /**
   * A peer from an address of its own (127.x is all this machine): violations are scored by IP, and a few from one
   * address would ban it, which AntelopeProtectionsTest proves; here each case is judged alone.
   */
  private RawAntelopePeer connect() {
    return connectFrom("127.0.4." + nextAddress++);
  }

  private RawAntelopePeer connectFrom(String localHost) {
    return new RawAntelopePeer(node.listenAddress(AntelopeProtocol.NAME), localHost);
  }

  private RawAntelopePeer open(Phase phase) {
    return phase == Phase.BEFORE_HANDSHAKE ? connect() : handshaken(connect(), new Handshake(CHAIN_ID).build());
  }

  /** Sends {@code ours} and waits until the node has accepted it: it answered, and counts the peer connected. */
  private RawAntelopePeer handshaken(RawAntelopePeer raw, HandshakeMessage ours) {
    assertEquals(Checksum256.fromHex(CHAIN_ID), raw.handshake(ours).chainId());
    awaitState(raw, "connected");
    return raw;
  }

  private JsonObject awaitState(RawAntelopePeer raw, String state) {
    return awaitEvent(states, s -> s.getString("peer").equals(raw.peerName()) && s.getString("state").equals(state));
  }

  /**
   * The node ended the connection for {@code kind} as nodeos would: with a go_away of {@code reason} in nodeos' form
   * (4-byte reason, our node_id) where nodeos sends one, with no go_away at all where it only closes; and it told
   * the bus (an error event naming the kind, a closed state change).
   */
  private void assertEnded(RawAntelopePeer raw, String kind, Optional<GoAwayReason> goAway) {
    Ended ended = raw.readUntilEnded();
    JsonObject error = awaitEvent(errors, e -> e.getString("peer").equals(raw.peerName()));
    assertEquals(kind, error.getString("error"), error::encode);
    JsonObject closed = awaitState(raw, "closed");
    assertTrue(closed.containsKey("reason"), closed::encode);
    if (goAway.isPresent()) {
      Frame frame = ended.goAway().orElseThrow(() -> new AssertionError("no go_away " + goAway.get().jsonName()
          + " before the close; got " + ended));
      assertEquals(NODEOS_GO_AWAY_PAYLOAD, frame.payload().length(), "go_away in nodeos' form, a u32 reason");
      assertEquals(goAway.get().code(), frame.payload().getUnsignedIntLE(1), () -> "go_away " + frame.message());
      assertEquals(nodeId, ((GoAwayMessage) frame.message()).nodeId());
    } else {
      assertTrue(ended.goAway().isEmpty(), () -> "nodeos closes without a go_away for " + kind + "; got "
          + ended.goAway().get().message() + ", " + ended.ending());
    }
  }

  // ------------------------------------------------------------------------------------------ framing and decoding

  /** Frames nodeos closes on without a go_away (a bad length, an unknown variant, an unpack failure). */
  Stream<Arguments> malformedFrames() {
    byte[] timeMessage = RawAntelopePeer.frame(new TimeMessage(1, 2, 3, 4));
    return Stream.of(
        arguments("zero length", Phase.BEFORE_HANDSHAKE, Buffer.buffer().appendIntLE(0).getBytes(), "bad_length"),
        // The prefixes alone: the node must decide before any payload byte.
        arguments("a length over maxMessageSize", Phase.AFTER_HANDSHAKE,
            Buffer.buffer().appendIntLE(MAX_MESSAGE_SIZE + 1).getBytes(), "message_too_large"),
        arguments("a handshake-phase frame over maxHandshakeMessageSize", Phase.BEFORE_HANDSHAKE,
            Buffer.buffer().appendIntLE(new AntelopeOptions().setMaxMessageSize(MAX_MESSAGE_SIZE)
                .maxHandshakeMessageSize() + 1).getBytes(), "message_too_large"),
        arguments("a variant index past 32 bits", Phase.AFTER_HANDSHAKE,
            frameOf(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x1F}), "varuint_too_long"),
        arguments("unknown variant 14", Phase.AFTER_HANDSHAKE, frameOf(new FcWriter().varuint32(14)
            .u64(0).buffer().getBytes()), "unknown_variant"),
        arguments("unknown variant 2^31", Phase.AFTER_HANDSHAKE, frameOf(new FcWriter().varuint32(1L << 31)
            .buffer().getBytes()), "unknown_variant"),
        // A time_message's frame cut after two of its four i64s: the length is honest, the fields are short.
        arguments("a truncated message", Phase.AFTER_HANDSHAKE,
            frameOf(Arrays.copyOfRange(timeMessage, AntelopeMessages.LENGTH_PREFIX_SIZE, timeMessage.length - 16)),
            "truncated"),
        arguments("trailing bytes after a message", Phase.AFTER_HANDSHAKE,
            frameOf(Buffer.buffer().appendBytes(timeMessage, AntelopeMessages.LENGTH_PREFIX_SIZE,
                timeMessage.length - AntelopeMessages.LENGTH_PREFIX_SIZE).appendByte((byte) 0).getBytes()),
            "trailing_bytes"),
        arguments("a string longer than the frame", Phase.BEFORE_HANDSHAKE, handshakeWithAddressLongerThanFrame(),
            "truncated"),
        arguments("a vector longer than the frame", Phase.AFTER_HANDSHAKE, noticeClaimingIds(1000),
            "too_many_elements"),
        arguments("key type 7 in a handshake", Phase.BEFORE_HANDSHAKE, handshakeWithKeyType(7), "bad_key_type"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedFrames")
  void aMalformedFrameIsClosedWithoutAGoAway(String name, Phase phase, byte[] bytes, String kind) {
    try (RawAntelopePeer raw = open(phase)) {
      raw.write(bytes);
      assertEnded(raw, kind, Optional.empty());
    }
  }

  /** The frame of {@code payload}: its length, then it. */
  private static byte[] frameOf(byte[] payload) {
    return Buffer.buffer().appendIntLE(payload.length).appendBytes(payload).getBytes();
  }

  private static byte[] handshakeWithKeyType(int type) {
    byte[] frame = RawAntelopePeer.frame(new Handshake(CHAIN_ID).build());
    frame[HANDSHAKE_KEY_TYPE_OFFSET] = (byte) type;
    return frame;
  }

  /** A handshake whose p2p_address says 1000 bytes (within the codec's cap) where the frame ends after 10. */
  private static byte[] handshakeWithAddressLongerThanFrame() {
    Buffer payload = AntelopeMessages.payload(new Handshake(CHAIN_ID).build());
    return frameOf(new FcWriter(payload.getBuffer(0, HANDSHAKE_ADDRESS_OFFSET)).varuint32(1000)
        .raw("127.0.0.1:".getBytes()).buffer().getBytes());
  }

  /** A notice_message whose known_blocks claims {@code count} ids and holds none. */
  private static byte[] noticeClaimingIds(int count) {
    FcWriter payload = new FcWriter().varuint32(NetMessageType.NOTICE.index());
    SelectIds.of(IdListMode.NONE, 0, List.of()).encode(payload);
    payload.u32(IdListMode.CATCH_UP.code()).u32(0).varuint32(count);
    return frameOf(payload.buffer().getBytes());
  }

  // -------------------------------------------------------------------------------------------------- handshakes

  /** Handshakes nodeos refuses with a go_away, in the order of its checks, and the reason it gives. */
  Stream<Arguments> refusedHandshakes() {
    AntelopePrivateKey stranger = AntelopePrivateKey.generate();
    return Stream.of(
        arguments("lib above head", (UnaryOperator<Handshake>) h -> h.blocks(5, 3), GoAwayReason.FATAL_OTHER),
        arguments("a token that is not sha256(time), signed", (UnaryOperator<Handshake>) Handshake::tokenNotOfTime,
            GoAwayReason.FATAL_OTHER),
        arguments("another chain", (UnaryOperator<Handshake>) h -> h.chainId(OTHER_CHAIN), GoAwayReason.WRONG_CHAIN),
        arguments("our own node_id", (UnaryOperator<Handshake>) h -> h.nodeId(nodeId), GoAwayReason.SELF),
        arguments("a non-canonical signature", (UnaryOperator<Handshake>) h -> h.signature(
            nonCanonical(h.key().signDigest(h.token().bytes()))), GoAwayReason.AUTHENTICATION),
        arguments("a signature by another key than the one named", (UnaryOperator<Handshake>) h -> h.signature(
            stranger.signDigest(h.token().bytes())), GoAwayReason.AUTHENTICATION),
        arguments("unsigned, where signed peers are required", (UnaryOperator<Handshake>) Handshake::unsigned,
            GoAwayReason.AUTHENTICATION));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedHandshakes")
  void aHandshakeNodeosRefusesGetsItsGoAway(String name, UnaryOperator<Handshake> change, GoAwayReason reason) {
    try (RawAntelopePeer raw = connect()) {
      raw.send(change.apply(new Handshake(CHAIN_ID)).build());
      assertEnded(raw, reason.jsonName(), Optional.of(reason));
    }
  }

  /** The same signature with r's top bit set: r is no longer canonical, as nodeos requires it. */
  private static AntelopeSignature nonCanonical(AntelopeSignature signature) {
    byte[] data = signature.data();
    data[1] |= (byte) 0x80;
    return new AntelopeSignature(signature.type(), data);
  }

  @Test
  void aSecondConnectionWithTheNodeIdOfAConnectedPeerGetsGoAwayDuplicate() {
    Checksum256 shared = RawAntelopePeer.randomNodeId();
    try (RawAntelopePeer first = handshaken(connect(), new Handshake(CHAIN_ID).nodeId(shared).build());
         RawAntelopePeer second = connect()) {
      second.send(new Handshake(CHAIN_ID).nodeId(shared).build());
      assertEnded(second, GoAwayReason.DUPLICATE.jsonName(), Optional.of(GoAwayReason.DUPLICATE));
      first.assertAnswersPing();
    }
  }

  // ---------------------------------------------------------------------------------------------------- messages

  /** Well-formed messages the node refuses where they come, with go_away fatal_other. */
  Stream<Arguments> misplacedMessages() {
    return Stream.of(
        arguments("a sync_request before the handshake", Phase.BEFORE_HANDSHAKE, new SyncRequestMessage(1, 2)),
        arguments("a notice_message before the handshake", Phase.BEFORE_HANDSHAKE,
            notice(SelectIds.of(IdListMode.NONE, 0, List.of()))),
        arguments("a sync_request from block 0", Phase.AFTER_HANDSHAKE, new SyncRequestMessage(0, 10)),
        arguments("a sync_request whose start is past its end", Phase.AFTER_HANDSHAKE, new SyncRequestMessage(10, 5)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("misplacedMessages")
  void aMisplacedMessageGetsGoAwayFatalOther(String name, Phase phase, AntelopeMessage message) {
    try (RawAntelopePeer raw = open(phase)) {
      raw.send(message);
      assertEnded(raw, GoAwayReason.FATAL_OTHER.jsonName(), Optional.of(GoAwayReason.FATAL_OTHER));
    }
  }

  /** Messages nodeos' handle_message closes the connection on, without a go_away. */
  Stream<Arguments> messagesNodeosClosesOn() {
    List<Checksum256> threeIds = List.of(RawAntelopePeer.randomNodeId(), RawAntelopePeer.randomNodeId(),
        RawAntelopePeer.randomNodeId());
    SelectIds none = SelectIds.of(IdListMode.NONE, 0, List.of());
    return Stream.of(
        arguments("a notice_message with 3 block ids", notice(SelectIds.of(IdListMode.CATCH_UP, 0, threeIds))),
        arguments("a request_message with 3 block ids",
            new RequestMessage(none, SelectIds.of(IdListMode.CATCH_UP, 0, threeIds))),
        arguments("a request_message for transactions in mode normal",
            new RequestMessage(SelectIds.of(IdListMode.NORMAL, 0, List.of()), none)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messagesNodeosClosesOn")
  void aMessageNodeosClosesOnIsClosedWithoutAGoAway(String name, AntelopeMessage message) {
    try (RawAntelopePeer raw = open(Phase.AFTER_HANDSHAKE)) {
      raw.send(message);
      assertEnded(raw, "invalid_message", Optional.empty());
    }
  }

  private static NoticeMessage notice(SelectIds knownBlocks) {
    return new NoticeMessage(SelectIds.of(IdListMode.NONE, 0, List.of()), knownBlocks);
  }

  /**
   * A sync_request past what the node holds (here: it holds nothing) is no fault: go_away benign_other, so that the
   * peer asks elsewhere, and no penalty. Asked from one address more often than violations would take to ban it, and
   * that address still handshakes.
   */
  @Test
  void aSyncRequestPastWhatTheNodeHoldsGetsBenignOtherAndCostsNothing() {
    String localHost = "127.0.5.1";
    for (int i = 0; i < REFUSALS_THAT_WOULD_BAN; i++) {
      try (RawAntelopePeer raw = handshaken(connectFrom(localHost), new Handshake(CHAIN_ID).build())) {
        raw.send(new SyncRequestMessage(1, 5));
        assertEnded(raw, GoAwayReason.BENIGN_OTHER.jsonName(), Optional.of(GoAwayReason.BENIGN_OTHER));
      }
    }
    try (RawAntelopePeer raw = handshaken(connectFrom(localHost), new Handshake(CHAIN_ID).build())) {
      raw.assertAnswersPing();
    }
  }

  /** Runs last, on the node every other case here has sent its bad peer to. */
  @Test
  @Order(Integer.MAX_VALUE)
  void theNodeStillHandshakesAndAnswersPingsAfterEveryBadPeer() {
    try (RawAntelopePeer raw = handshaken(connect(), new Handshake(CHAIN_ID).build())) {
      raw.assertAnswersPing();
    }
  }
}
