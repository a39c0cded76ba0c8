package org.peermesh.antelope.peer;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.peermesh.antelope.crypto.AntelopePrivateKey;
import org.peermesh.antelope.crypto.K1Signatures;
import org.peermesh.antelope.wire.NetMessageType;
import org.peermesh.antelope.wire.AntelopeMessage;
import org.peermesh.antelope.wire.AntelopeMessages;
import org.peermesh.antelope.wire.AntelopeSamples;
import org.peermesh.antelope.wire.Checksum256;
import org.peermesh.antelope.wire.GoAwayMessage;
import org.peermesh.antelope.wire.GoAwayReason;
import org.peermesh.antelope.wire.HandshakeMessage;
import org.peermesh.antelope.wire.TimeMessage;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.Goodbye;
import org.peermesh.peer.HandshakeStep;
import org.peermesh.peer.PeerLink;
import org.peermesh.peer.PoolView;
import org.peermesh.peer.Refusal;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.peermesh.testing.ConfigAssertions.assertContains;
import static org.peermesh.testing.ConfigAssertions.refusal;

/**
 * The protocol's words with peers and the bus: the go_away it leaves with (farewell), what a peer's go_away means
 * (goodbye), the messages a send command builds from JSON (messageOf), and, through a stand-in link, the handshake
 * it sends and how it counts a host's peers.
 */
class AntelopeProtocolTest {

  private static final String CHAIN_ID = "aca376f206b8fc25a6ed44dbdc66547c36c6c33e3a119ffbeaef943642f0e906";
  private static final AntelopeProtocol PROTOCOL =
      new AntelopeProtocol(new AntelopeOptions().setChainId(CHAIN_ID), AntelopePrivateKey.generate());

  // -------------------------------------------------------------------------------------------------- farewell

  /** Every refusal the Antelope code makes, and the go_away nodeos sends for it. */
  static Stream<Arguments> antelopeRefusals() {
    return Stream.of(
        arguments(AntelopeRefusals.invalidHandshake("os of 0 bytes"), GoAwayReason.FATAL_OTHER),
        arguments(AntelopeRefusals.violation("'signed_block' before the peer's handshake_message"),
            GoAwayReason.FATAL_OTHER),
        arguments(AntelopeRefusals.self(), GoAwayReason.SELF),
        arguments(AntelopeRefusals.duplicate("node 1234567 is already connected"), GoAwayReason.DUPLICATE),
        arguments(AntelopeRefusals.wrongChain("chain 00..., not ours"), GoAwayReason.WRONG_CHAIN),
        arguments(AntelopeRefusals.authentication("not signed"), GoAwayReason.AUTHENTICATION),
        arguments(AntelopeRefusals.unlinkable("block 7 links to nothing"), GoAwayReason.UNLINKABLE),
        arguments(AntelopeRefusals.benignOther("block 9 is past our head"), GoAwayReason.BENIGN_OTHER));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("antelopeRefusals")
  void eachRefusalKindSaysItsGoAwayWithOurNodeId(Refusal refusal, GoAwayReason expected) {
    List<AntelopeMessage> farewell = PROTOCOL.farewell(refusal.reason(), refusal.kind(), refusal.detail());

    assertEquals(List.of(GoAwayMessage.of(expected, PROTOCOL.nodeId())), farewell);
  }

  /**
   * The go_away for a close by the layer's code alone (no kind): nodeos' reason where it has one; nothing where nodeos
   * closes without a word. Every code is listed, so a new one needs a decision here.
   */
  private static final Map<DisconnectReason, GoAwayReason> GO_AWAY_BY_CODE = new EnumMap<>(Map.of(
      DisconnectReason.NORMAL, GoAwayReason.NO_REASON,
      DisconnectReason.NODE_SHUTDOWN, GoAwayReason.NO_REASON,
      DisconnectReason.SELF_CONNECTION, GoAwayReason.SELF,
      DisconnectReason.DUPLICATE_CONNECTION, GoAwayReason.DUPLICATE,
      DisconnectReason.INCOMPATIBLE_NETWORK, GoAwayReason.WRONG_CHAIN,
      DisconnectReason.INCOMPATIBLE_PROTOCOL_VERSION, GoAwayReason.WRONG_VERSION,
      DisconnectReason.INVALID_SIGNATURE, GoAwayReason.AUTHENTICATION,
      DisconnectReason.INVALID_NODE_INFO, GoAwayReason.FATAL_OTHER,
      DisconnectReason.BANNED, GoAwayReason.FATAL_OTHER));
  /** nodeos closes on bytes that do not decode without a go_away: a violation sends one only where its kind names it. */
  private static final List<DisconnectReason> CLOSED_WITHOUT_A_WORD = List.of(DisconnectReason.PROTOCOL_VIOLATION,
      DisconnectReason.HANDSHAKE_TIMEOUT,
      DisconnectReason.PEER_TIMEOUT, DisconnectReason.WRITE_QUEUE_FULL, DisconnectReason.INBOUND_SLOTS_FULL,
      DisconnectReason.OUTBOUND_SLOTS_FULL, DisconnectReason.BLACKLISTED, DisconnectReason.TOO_MANY_PENDING_FROM_IP,
      DisconnectReason.TOO_MANY_PENDING_HANDSHAKES, DisconnectReason.EVICTED);

  @ParameterizedTest
  @EnumSource(DisconnectReason.class)
  void eachCloseCodeSaysNodeosGoAwayOrNothing(DisconnectReason code) {
    List<AntelopeMessage> farewell = PROTOCOL.farewell(code, null, code.description());

    if (CLOSED_WITHOUT_A_WORD.contains(code)) {
      assertEquals(List.of(), farewell);
    } else {
      GoAwayReason expected = GO_AWAY_BY_CODE.get(code);
      assertNotNull(expected, code + " is in neither table of this test");
      assertEquals(List.of(GoAwayMessage.of(expected, PROTOCOL.nodeId())), farewell);
    }
  }

  @Test
  void maxClientsPerHostClosesWithoutAGoAway() {
    assertEquals(List.of(), PROTOCOL.farewell(DisconnectReason.INBOUND_SLOTS_FULL, "max_clients_per_host", "full"));
  }

  @Test
  void theGoAwayIsInNodeosFormAFourByteReasonThenOurNodeId() {
    Buffer payload = AntelopeMessages.payload(PROTOCOL.farewell(DisconnectReason.INCOMPATIBLE_NETWORK, "wrong_chain",
        "chain 00...").get(0));

    Buffer expected = Buffer.buffer().appendByte((byte) NetMessageType.GO_AWAY.index())
        .appendIntLE(GoAwayReason.WRONG_CHAIN.code()).appendBytes(PROTOCOL.nodeId().bytes());
    assertEquals(expected, payload);
  }

  @Test
  void eachNodeHasItsOwnNodeId() {
    AntelopeProtocol other = new AntelopeProtocol(new AntelopeOptions().setChainId(CHAIN_ID),
        AntelopePrivateKey.generate());

    assertNotEquals(PROTOCOL.nodeId(), other.nodeId());
  }

  // --------------------------------------------------------------------------------------------------- goodbye

  /** A go_away as a peer writes it: nodeos' u32 reason, or wharfkit 1.2.0's single byte. */
  enum ReasonWidth {
    NODEOS {
      @Override
      Buffer reason(int code) {
        return Buffer.buffer().appendIntLE(code);
      }
    },
    WHARFKIT {
      @Override
      Buffer reason(int code) {
        return Buffer.buffer().appendByte((byte) code);
      }
    };

    abstract Buffer reason(int code);

    AntelopeMessage goAway(int code) {
      Buffer payload = Buffer.buffer().appendByte((byte) NetMessageType.GO_AWAY.index()).appendBuffer(reason(code))
          .appendBytes(AntelopeSamples.checksum(0x33).bytes());
      return AntelopeMessages.decode(payload);
    }
  }

  /** What each go_away reason means to the layer; the others name no reason the layer knows. */
  private static final Map<GoAwayReason, DisconnectReason> LAYER_REASON = new EnumMap<>(Map.of(
      GoAwayReason.NO_REASON, DisconnectReason.NORMAL,
      GoAwayReason.BENIGN_OTHER, DisconnectReason.NORMAL,
      GoAwayReason.SELF, DisconnectReason.SELF_CONNECTION,
      GoAwayReason.DUPLICATE, DisconnectReason.DUPLICATE_CONNECTION,
      GoAwayReason.WRONG_CHAIN, DisconnectReason.INCOMPATIBLE_NETWORK,
      GoAwayReason.WRONG_VERSION, DisconnectReason.INCOMPATIBLE_PROTOCOL_VERSION,
      GoAwayReason.AUTHENTICATION, DisconnectReason.INVALID_SIGNATURE));

  static Stream<Arguments> goAwaysOfBothWidths() {
    return Stream.of(ReasonWidth.values())
        .flatMap(width -> Stream.of(GoAwayReason.values()).map(reason -> arguments(width, reason)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("goAwaysOfBothWidths")
  void aPeersGoAwayOfEitherWidthIsTheLayersGoodbye(ReasonWidth width, GoAwayReason reason) {
    Optional<Goodbye> goodbye = PROTOCOL.goodbye(width.goAway(reason.code()));

    assertEquals(Optional.of(new Goodbye(reason.code(), Optional.ofNullable(LAYER_REASON.get(reason)),
        reason.description())), goodbye);
  }

  @ParameterizedTest
  @EnumSource(ReasonWidth.class)
  void aReasonNodeosDoesNotDefineIsKeptByItsCode(ReasonWidth width) {
    assertEquals(Optional.of(new Goodbye(12, Optional.empty(), "")), PROTOCOL.goodbye(width.goAway(12)));
  }

  @Test
  void otherMessagesAreNoGoodbye() {
    assertEquals(Optional.empty(), PROTOCOL.goodbye(new TimeMessage(0, 0, 1, 0)));
  }

  // ------------------------------------------------------------------------------------------------- messageOf

  /** A send command's body for {@code message}, through JSON text as the bus carries it. */
  private static JsonObject sendBody(AntelopeMessage message) {
    return new JsonObject(new JsonObject().put("peer", "peer-1").put("type", message.typeName())
        .put("message", message.toJson()).encode());
  }

  static Stream<AntelopeMessage> everyVariant() {
    return AntelopeSamples.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyVariant")
  void everyVariantIsBuiltFromItsJson(AntelopeMessage message) {
    AntelopeMessage built = AntelopeProtocol.messageOf(sendBody(message));

    assertEquals(message, built);
    assertArrayEquals(AntelopeMessages.payload(message).getBytes(), AntelopeMessages.payload(built).getBytes());
  }

  static Stream<Arguments> wrongSendBodies() {
    JsonObject time = new TimeMessage(0, 0, 1, 0).toJson();
    String oneOf = "\"type\": one of " + AntelopeMessages.typeNames();
    return Stream.of(
        arguments("no type", new JsonObject().put("message", time), oneOf),
        arguments("an unknown type", new JsonObject().put("type", "hello_message").put("message", time), oneOf),
        arguments("no message", new JsonObject().put("type", "time_message"),
            "send needs \"message\": {...}, the time_message in JSON"),
        arguments("a message without its fields", new JsonObject().put("type", "time_message")
            .put("message", new JsonObject()), "org"),
        // A bus client's mistake must come back as a bad request, not as an exception of another type.
        arguments("a type that is not a string", new JsonObject().put("type", 3).put("message", time), oneOf),
        arguments("a field of the wrong JSON type", new JsonObject().put("type", "time_message")
            .put("message", time.copy().put("org", true)), "org"),
        arguments("a field of the wrong JSON shape", new JsonObject().put("type", "go_away_message")
            .put("message", new JsonObject().put("reason", 1).put("nodeId", new JsonObject())), "nodeId"),
        arguments("a message that is not an object", new JsonObject().put("type", "time_message")
            .put("message", "0 0 1 0"), "\"message\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongSendBodies")
  void aWrongSendBodyIsRefusedNamingTheProblem(String name, JsonObject body, String expected) {
    assertContains(refusal(() -> AntelopeProtocol.messageOf(body)), expected);
  }

  // ------------------------------------------------------------------------------------ handshakers of a stand-in link

  private static final PeerAddress LISTEN = new PeerAddress("127.0.0.1", 9876);
  private static final PeerAddress CLIENT = new PeerAddress("10.0.0.7", 40001);

  /**
   * A link as the pool hands it to the protocol, answering only what a handshaker may ask: its name, direction,
   * remote address and pool. {@code pool.peers()} lists the pool's peers as ConnectionPool does: in every state,
   * this very connection included (it is registered before its handshaker starts).
   */
  @SuppressWarnings("unchecked")
  private static PeerLink<AntelopeMessage> link(Direction direction, PeerAddress remote, List<JsonObject> others) {
    List<JsonObject> peers = new ArrayList<>(others);
    peers.add(peerEntry(remote, direction, "handshaking"));
    PoolView pool = new PoolView() {
      @Override
      public PeerAddress listenAddress() {
        return LISTEN;
      }

      @Override
      public List<JsonObject> peers() {
        return peers;
      }

      @Override
      public int connectedPeers() {
        return peers.size();
      }
    };
    return (PeerLink<AntelopeMessage>) Proxy.newProxyInstance(PeerLink.class.getClassLoader(),
        new Class<?>[] {PeerLink.class}, (proxy, method, args) -> switch (method.getName()) {
          case "name" -> remote.toString();
          case "direction" -> direction;
          case "remote" -> remote;
          case "pool" -> pool;
          case "toString" -> direction + " link " + remote;
          default -> throw new UnsupportedOperationException("a handshaker asked its link for " + method.getName());
        });
  }

  /** A peer as the pool lists it ({@code PeerConnection.info}). */
  private static JsonObject peerEntry(PeerAddress remote, Direction direction, String state) {
    return new JsonObject().put("peer", remote.toString()).put("protocol", AntelopeProtocol.NAME)
        .put("host", remote.host()).put("port", remote.port()).put("direction", direction.jsonName())
        .put("state", state);
  }

  private static AntelopeProtocol protocolWith(AntelopeOptions options) {
    return new AntelopeProtocol(options.setChainId(CHAIN_ID), AntelopePrivateKey.generate());
  }

  /** The handshake an outbound connection of {@code protocol} opens with. */
  private static HandshakeMessage ownHandshake(AntelopeProtocol protocol) {
    HandshakeStep<AntelopeMessage, AntelopeHandshake> start =
        protocol.newHandshaker(link(Direction.OUTBOUND, CLIENT, List.of())).start();
    return (HandshakeMessage) assertInstanceOf(HandshakeStep.Continue.class, start).send().get(0);
  }

  @Test
  void ourHandshakeIsSignedOverSha256OfItsTimeAndNamesUsAsNodeosDoes() {
    AntelopeProtocol protocol = protocolWith(new AntelopeOptions().setAgent("\"PeerMesh unit\""));

    HandshakeMessage ours = ownHandshake(protocol);

    assertEquals(AntelopeOptions.LEAP_NETWORK_VERSION, ours.networkVersion());
    assertEquals(Checksum256.fromHex(CHAIN_ID), ours.chainId());
    assertEquals(protocol.nodeId(), ours.nodeId());
    assertEquals(protocol.publicKey(), ours.key());
    assertEquals(AntelopeHandshaker.tokenOf(ours.time()), ours.token());
    assertTrue(K1Signatures.verify(protocol.publicKey(), ours.token().bytes(), ours.sig()));
    assertEquals(LISTEN + " - " + protocol.nodeId().toHex().substring(0, 7), ours.p2pAddress());
    // An empty window: no head, no irreversible block.
    assertEquals(List.of(0L, 0L), List.of(ours.lastIrreversibleBlockNum(), ours.headNum()));
    assertEquals(List.of(Checksum256.ZERO, Checksum256.ZERO), List.of(ours.lastIrreversibleBlockId(), ours.headId()));
    assertEquals("\"PeerMesh unit\"", ours.agent());
    assertEquals(1, ours.generation());
    assertEquals(Optional.empty(), AntelopeHandshaker.invalidity(ours));
  }

  /** Whatever the config lets through must make a handshake nodeos accepts: else every nodeos peer refuses us. */
  static Stream<Arguments> longestConfiguredStrings() {
    return Stream.of(
        arguments("374-character p2pAddress, 384 with the node id nodeos sees", new AntelopeOptions().setP2pAddress("p".repeat(374))),
        arguments("384-character agent", new AntelopeOptions().setAgent("a".repeat(384))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("longestConfiguredStrings")
  void ourHandshakePassesNodeosIsValidWithTheLongestStringsTheConfigAllows(String name, AntelopeOptions options) {
    HandshakeMessage ours = ownHandshake(protocolWith(options));

    assertEquals(Optional.empty(), AntelopeHandshaker.invalidity(ours), () -> "p2p_address of "
        + ours.p2pAddress().length() + " characters, agent of " + ours.agent().length());
  }

  /**
   * maxClientsPerHost counts the other inbound peers of the host: nodeos' p2p-max-nodes-per-host counts the
   * connections it holds from that address before it takes the new one.
   */
  static Stream<Arguments> hostsAndTheirPeers() {
    PeerAddress sameHost = new PeerAddress(CLIENT.host(), 40002);
    PeerAddress otherHost = new PeerAddress("10.0.0.8", 40001);
    return Stream.of(
        arguments("the host's first peer", List.of(), 1, false),
        arguments("a second peer of a host at 1", List.of(peerEntry(sameHost, Direction.INBOUND, "connected")), 1,
            true),
        arguments("a second peer of a host at 2", List.of(peerEntry(sameHost, Direction.INBOUND, "connected")), 2,
            false),
        arguments("a third peer of a host at 2", List.of(peerEntry(sameHost, Direction.INBOUND, "connected"),
            peerEntry(new PeerAddress(CLIENT.host(), 40003), Direction.INBOUND, "handshaking")), 2, true),
        arguments("a host we dialed, and another host's peer",
            List.of(peerEntry(new PeerAddress(CLIENT.host(), 9876), Direction.OUTBOUND, "connected"),
                peerEntry(otherHost, Direction.INBOUND, "connected")), 1, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostsAndTheirPeers")
  void maxClientsPerHostCountsTheOtherInboundPeersOfTheHost(String name, List<JsonObject> others,
                                                            int maxClientsPerHost, boolean full) {
    AntelopeProtocol protocol = protocolWith(new AntelopeOptions().setMaxClientsPerHost(maxClientsPerHost));

    HandshakeStep<AntelopeMessage, AntelopeHandshake> start =
        protocol.newHandshaker(link(Direction.INBOUND, CLIENT, others)).start();

    if (full) {
      assertEquals("max_clients_per_host", assertInstanceOf(HandshakeStep.Refused.class, start).refusal().kind());
    } else {
      assertEquals(new HandshakeStep.Continue<>(List.of()), start);
    }
  }
}
