package org.peermesh.antelope.peer;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peermesh.antelope.crypto.AntelopeSignature;
import org.peermesh.antelope.peer.RawAntelopePeer.Ended;
import org.peermesh.antelope.peer.RawAntelopePeer.Frame;
import org.peermesh.antelope.peer.RawAntelopePeer.Handshake;
import org.peermesh.antelope.wire.NetMessageType;
import org.peermesh.antelope.wire.AntelopeMessage;
import org.peermesh.antelope.wire.AntelopeMessages;
import org.peermesh.antelope.wire.BlockHeader;
import org.peermesh.antelope.wire.Checksum256;
import org.peermesh.antelope.wire.Extension;
import org.peermesh.antelope.wire.HandshakeMessage;
import org.peermesh.antelope.wire.SignedBlock;
import org.peermesh.antelope.wire.SyncRequestMessage;
import org.peermesh.antelope.wire.TimeMessage;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.ProtocolAddresses;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestNodes;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;

/**
 * What the peer layer's limits give Antelope peers, over real loopback sockets: floods end in a ban of their address,
 * nodeos' per-host limit and handshake timeout close without a go_away, and a peer that does not read is cut for the
 * bytes waiting for it while peers that read, however slowly, are served every block they asked for.
 */
class AntelopeProtectionsTest {

  private static final String CHAIN_ID = AntelopeBadInputTest.CHAIN_ID;
  /** Blocks are small messages; this keeps the frame and write-queue limits, and so the cases, small too. */
  private static final int MAX_MESSAGE_SIZE = 64 * 1024;
  /** Twice a maximal frame: a reader's outbox never needs more, a non-reader's passes it quickly. */
  private static final long MAX_WRITE_QUEUE_SIZE = 2L * MAX_MESSAGE_SIZE;
  /** Padding each block carries: the chain served is then larger than loopback's socket buffers can hide. */
  private static final int BLOCK_PADDING = 16 * 1024;
  /** About 8 MB of blocks, twice what the kernel buffers of one connection hold (tcp_wmem's 4 MiB). */
  private static final int CHAIN_LENGTH = 500;
  /** A receive buffer that makes a peer take little at a time. */
  private static final int TINY_RECEIVE_BUFFER = 4096;

  private Vertx vertx;
  private TestNodes nodes;
  private NodeOptions options;
  private AntelopeOptions antelope;
  private List<JsonObject> errors;
  private List<JsonObject> states;
  private List<JsonObject> blocks;
  private PeerMeshNode node;

  @BeforeEach
  void setUp(@TempDir Path dir) {
    vertx = Vertx.vertx();
    nodes = new TestNodes(vertx, dir);
    antelope = new AntelopeOptions()
        .setChainId(CHAIN_ID)
        .setListen(new PeerAddress("127.0.0.1", 0))
        // Every case but the per-host one comes from addresses of its own; that one sets nodeos' default of 1.
        .setMaxClientsPerHost(4)
        .setMaxMessageSize(MAX_MESSAGE_SIZE)
        .setMaxWriteQueueSize(MAX_WRITE_QUEUE_SIZE);
    options = nodes.options().setMesh(null).setProtocol(AntelopeProtocol.NAME, antelope);
    ProtocolAddresses addresses = new BusAddresses(options.getBusPrefix()).protocol(AntelopeProtocol.NAME);
    errors = nodes.collect(addresses.error());
    states = nodes.collect(addresses.stateChange());
    blocks = nodes.collect(addresses.message(NetMessageType.SIGNED_BLOCK.typeName()));
  }

  @AfterEach
  void tearDown() {
    nodes.close();
    TestNodes.await(vertx.close());
  }

  /** Starts the node with the test's antelope options, changed by {@code change}. */
  private void startNode(UnaryOperator<AntelopeOptions> change) {
    change.apply(antelope);
    node = nodes.start(options);
  }

  private RawAntelopePeer connect(String localHost) {
    return connect(localHost, 0);
  }

  private RawAntelopePeer connect(String localHost, int receiveBufferSize) {
    return new RawAntelopePeer(node.listenAddress(AntelopeProtocol.NAME), localHost, receiveBufferSize);
  }

  /** A peer from {@code localHost} whose handshake the node has accepted: it answered, and counts it connected. */
  private RawAntelopePeer handshaken(String localHost) {
    RawAntelopePeer raw = connect(localHost);
    raw.handshake(new Handshake(CHAIN_ID).build());
    awaitState(raw, "connected");
    return raw;
  }

  private JsonObject awaitState(RawAntelopePeer raw, String state) {
    return awaitEvent(states, s -> s.getString("peer").equals(raw.peerName()) && s.getString("state").equals(state));
  }

  private boolean hasState(RawAntelopePeer raw, String state) {
    return states.stream().anyMatch(s -> s.getString("peer").equals(raw.peerName())
        && s.getString("state").equals(state));
  }

  /** The node closed the connection without a go_away, as nodeos does for what is no fault it names. */
  private static void assertClosedWithoutGoAway(RawAntelopePeer raw) {
    Ended ended = raw.readUntilEnded();
    assertEquals(Optional.empty(), ended.goAway().map(Frame::message), () -> "nodeos sends no go_away here");
  }

  // -------------------------------------------------------------------------------------------------------- floods

  /** A peer's flood: what it sends first, if anything, then many thousand small frames in one write after another. */
  static Stream<Arguments> floods() {
    HandshakeMessage handshake = new Handshake(CHAIN_ID).build();
    return Stream.of(
        arguments("handshake_message", Optional.empty(), handshake),
        // No transmit time: liveness alone, which the node does not answer; only the flood itself is judged.
        arguments("time_message", Optional.of(handshake), new TimeMessage(0, 0, 0, 0)));
  }

  /**
   * maxMessageRate paces a flood (the node stops reading the peer for the rest of each window) and charges a peer
   * held at the limit for longer than a burst: kept up, that bans its address, which the node then refuses before
   * a byte is read.
   */
  @ParameterizedTest(name = "a {0} flood")
  @MethodSource("floods")
  void aFloodOfSmallFramesEndsInABanOfItsAddress(String name, Optional<AntelopeMessage> first,
                                                 AntelopeMessage flooded) {
    // 10 frames per 100 ms window: a second of bursting is free, the next one bans.
    startNode(a -> a.setMaxMessageRate(100));
    String localHost = "127.0.6.1";
    try (RawAntelopePeer flooder = connect(localHost)) {
      first.ifPresent(flooder::send);
      CompletableFuture<Void> flooding = CompletableFuture.runAsync(() -> writeUntilCut(flooder, flooded));
      JsonObject banned = awaitEvent(errors, e -> "banned".equals(e.getString("error"))
          && localHost.equals(e.getString("host")));
      assertTrue(banned.getString("message").contains("flooding"), banned::encode);
      assertTrue(flooder.closedByNode(), "the flooder's connection is ended");
      flooding.join();
    }
    try (RawAntelopePeer again = connect(localHost)) {
      assertTrue(again.closedByNode(), "a banned address is refused before its first byte");
      JsonObject refusal = awaitEvent(errors, e -> e.getString("peer").equals(again.peerName()));
      assertEquals("banned", refusal.getString("error"), refusal::encode);
    }
    try (RawAntelopePeer other = handshaken("127.0.6.2")) {
      other.assertAnswersPing();
    }
  }

  /**
   * Writes batches of a thousand copies of {@code message}, each batch one write, until the node cuts the connection
   * (the write fails), or a bound far past what any ban takes.
   */
  private static void writeUntilCut(RawAntelopePeer raw, AntelopeMessage message) {
    Buffer batch = Buffer.buffer();
    for (int i = 0; i < 1000; i++) {
      AntelopeMessages.encode(message, batch);
    }
    byte[] bytes = batch.getBytes();
    try {
      for (int i = 0; i < 1000; i++) {
        raw.write(bytes);
      }
    } catch (UncheckedIOException cut) {
      // the node reset the connection: the flood is over
    }
  }

  // ------------------------------------------------------------------------------------------- admission, timeouts

  @Test
  void aSecondPeerFromOneHostIsClosedWithoutAGoAwayAtMaxClientsPerHostOne() {
    startNode(a -> a.setMaxClientsPerHost(1));
    String localHost = "127.0.7.1";
    try (RawAntelopePeer first = handshaken(localHost); RawAntelopePeer second = connect(localHost)) {
      second.send(new Handshake(CHAIN_ID).build());
      assertClosedWithoutGoAway(second);
      JsonObject refusal = awaitEvent(errors, e -> e.getString("peer").equals(second.peerName()));
      assertEquals("max_clients_per_host", refusal.getString("error"), refusal::encode);
      awaitState(second, "closed");
      first.assertAnswersPing();
    }
  }

  @Test
  void aPeerThatNeverSendsItsHandshakeIsClosedAtHandshakeTimeout() {
    startNode(a -> a.setHandshakeTimeout(1_000));
    try (RawAntelopePeer silent = connect("127.0.7.2")) {
      assertClosedWithoutGoAway(silent);
      JsonObject closed = awaitState(silent, "closed");
      assertTrue(closed.getString("reason").startsWith("no handshake within"), closed::encode);
    }
  }

  // ---------------------------------------------------------------------------------------------- readers and not

  /**
   * A peer asks for the whole chain and never reads a byte, but keeps pinging so that it is never idle: the blocks
   * fill its socket and its queue, the answers to its pings pile up behind them, and the node cuts it for its write
   * queue. Meanwhile a peer that reads gets every block.
   */
  @Test
  void aPeerThatNeverReadsIsCutWhileAReaderIsServedEveryBlock() {
    startNode(a -> a.setMaxMessageRate(100_000));
    List<Checksum256> chain = feedChain("127.0.8.1");
    try (RawAntelopePeer nonReader = connect("127.0.8.2", TINY_RECEIVE_BUFFER)) {
      nonReader.send(new Handshake(CHAIN_ID).build(), new SyncRequestMessage(1, CHAIN_LENGTH));
      awaitState(nonReader, "connected");
      try (RawAntelopePeer reader = handshaken("127.0.8.3")) {
        reader.send(new SyncRequestMessage(1, CHAIN_LENGTH));
        List<Checksum256> served = new ArrayList<>();
        while (served.size() < CHAIN_LENGTH) {
          served.add(reader.next(SignedBlock.class).id());
        }
        assertEquals(chain, served);

        pingUntilCut(nonReader);
        JsonObject closed = awaitState(nonReader, "closed");
        assertTrue(closed.getString("reason").contains("does not read"), closed::encode);
        reader.assertAnswersPing();
        assertFalse(hasState(reader, "closed"), "the reader was cut");
      }
    }
  }

  /** Pings, many at a time, until the node has closed the connection (or a bound far past the write queue). */
  private void pingUntilCut(RawAntelopePeer raw) {
    Buffer pings = Buffer.buffer();
    for (int i = 1; i <= 1000; i++) {
      AntelopeMessages.encode(new TimeMessage(0, 0, i, 0), pings);
    }
    try {
      for (int i = 0; i < 1000 && !hasState(raw, "closed"); i++) {
        raw.write(pings.getBytes());
      }
    } catch (UncheckedIOException cut) {
      // the node reset the connection
    }
  }

  /**
   * A peer with a tiny receive buffer that reads the chain a small chunk at a time, slower than the node writes:
   * the node's queue for it fills and drains over and over, and it is served every block, in order, and not cut.
   */
  @Test
  void aPeerThatReadsSlowlyButSteadilyGetsEveryBlockAndIsNotCut() {
    startNode(a -> a.setMaxMessageRate(100_000));
    List<Checksum256> chain = feedChain("127.0.9.1");
    try (RawAntelopePeer slow = connect("127.0.9.2", TINY_RECEIVE_BUFFER)) {
      slow.handshake(new Handshake(CHAIN_ID).build());
      slow.send(new SyncRequestMessage(1, CHAIN_LENGTH));
      List<Checksum256> served = new ArrayList<>();
      while (served.size() < CHAIN_LENGTH) {
        for (Frame frame : slow.readSome(512)) {
          if (frame.message() instanceof SignedBlock block) {
            served.add(block.id());
          }
        }
      }
      assertEquals(chain, served);
      slow.assertAnswersPing();
      assertFalse(hasState(slow, "closed"), "the slow reader was cut");
    }
  }

  // ---------------------------------------------------------------------------------------------------- the chain

  /**
   * Feeds the node {@link #CHAIN_LENGTH} linked blocks from a peer at {@code localHost} (block n's previous is block
   * n-1's id) and waits until it has published the last: it then holds them all to serve. Returns their ids.
   */
  private List<Checksum256> feedChain(String localHost) {
    List<SignedBlock> chain = linkedBlocks();
    try (RawAntelopePeer feeder = handshaken(localHost)) {
      feeder.send(chain.toArray(AntelopeMessage[]::new));
      awaitEvent(blocks, e -> e.getLong("blockNum") == CHAIN_LENGTH);
    }
    return chain.stream().map(SignedBlock::id).toList();
  }

  private static List<SignedBlock> linkedBlocks() {
    List<SignedBlock> chain = new ArrayList<>();
    // Block 1's previous is an id carrying block number 0.
    Checksum256 previous = Checksum256.ZERO;
    for (int n = 1; n <= CHAIN_LENGTH; n++) {
      BlockHeader header = new BlockHeader(1_400_000_000L + n, 0, 0, previous, Checksum256.ZERO, Checksum256.ZERO, 0,
          Optional.empty(), List.of());
      SignedBlock block = new SignedBlock(header, AntelopeSignature.ZERO_K1, List.of(),
          List.of(new Extension(0, new byte[BLOCK_PADDING])));
      chain.add(block);
      previous = block.id();
    }
    return chain;
  }
}
