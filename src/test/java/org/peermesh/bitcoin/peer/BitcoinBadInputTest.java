package org.peermesh.bitcoin.peer;

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
import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.bitcoin.wire.BitcoinFrames;
import org.peermesh.bitcoin.wire.PingMessage;
import org.peermesh.bitcoin.wire.PongMessage;
import org.peermesh.bitcoin.wire.TestFrames;
import org.peermesh.bitcoin.wire.VersionMessage;
import org.peermesh.bus.BusAddresses;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;

/**
 * Malformed input from a raw socket: each case ends that connection with an error event and a disconnected state
 * change, and never the node, which then still completes a handshake with a well-behaved peer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BitcoinBadInputTest {

  private static final BitcoinNetwork NETWORK = BitcoinNetwork.REGTEST;
  private static final int MAX_PAYLOAD = 64 * 1024;

  private Vertx vertx;
  private TestNodes nodes;
  private PeerMeshNode node;
  private List<JsonObject> errors;
  private List<JsonObject> states;
  private int nextAddress = 1;

  @BeforeAll
  void startNode(@TempDir Path dir) {
    vertx = Vertx.vertx();
    nodes = new TestNodes(vertx, dir);
    var options = nodes.options().setMesh(null).setProtocol(BitcoinProtocol.NAME, new BitcoinOptions()
        .setNetwork(NETWORK)
        .setListen(new PeerAddress("127.0.0.1", 0))
        .setMaxMessageSize(MAX_PAYLOAD)
        .setHandshakeTimeout(3_000));
    BusAddresses addresses = new BusAddresses(options.getBusPrefix());
    errors = nodes.collect(addresses.protocol(BitcoinProtocol.NAME).error());
    states = nodes.collect(addresses.protocol(BitcoinProtocol.NAME).stateChange());
    node = nodes.start(options);
  }

  @AfterAll
  void stopNode() {
    nodes.close();
    TestNodes.await(vertx.close());
  }

  /**
   * A peer from an address of its own (127.x is all this machine): violations are scored by IP, and five from one
   * address would ban it, which BitcoinProtectionsTest proves; here each case is judged alone.
   */
  private RawBitcoinPeer connect() {
    return new RawBitcoinPeer(node.listenAddress(BitcoinProtocol.NAME), NETWORK, "127.0.1." + nextAddress++);
  }

  /** Sends our version and reads the node's version and verack: the peer is then past the handshake. */
  private RawBitcoinPeer handshaken() {
    RawBitcoinPeer raw = connect();
    assertEquals(new BitcoinOptions().getUserAgent(), raw.handshake().userAgent());
    awaitState(raw.peerName(), "ready");
    return raw;
  }

  /** The peer's error event of this kind and its final state change, which names the violation. */
  private void assertEndedWith(RawBitcoinPeer raw, String errorKind) {
    assertTrue(raw.closedByNode(), "the node should close the connection");
    JsonObject error = awaitEvent(errors, e -> e.getString("peer").equals(raw.peerName()));
    assertEquals(errorKind, error.getString("error"));
    JsonObject disconnected = awaitState(raw.peerName(), "disconnected");
    assertTrue(disconnected.getString("reason").startsWith("protocol violation"), disconnected::encode);
  }

  private JsonObject awaitState(String peer, String state) {
    return awaitEvent(states, s -> s.getString("peer").equals(peer) && s.getString("state").equals(state));
  }

  @Test
  void aPeerOfAnotherNetworkIsCutOffAtItsFirstBytes() {
    try (RawBitcoinPeer raw = connect()) {
      raw.write(BitcoinFrames.encode(BitcoinNetwork.MAINNET.magic(), RawBitcoinPeer.version(1)).getBytes());
      assertEndedWith(raw, "bad_magic");
    }
  }

  @Test
  void aBadChecksumIsAProtocolViolation() {
    try (RawBitcoinPeer raw = connect()) {
      byte[] frame = BitcoinFrames.encode(NETWORK.magic(), RawBitcoinPeer.version(2)).getBytes();
      frame[BitcoinFrames.HEADER_SIZE - 1] ^= 0x55;
      raw.write(frame);
      assertEndedWith(raw, "bad_checksum");
    }
  }

  @Test
  void anOversizedLengthIsRefusedFromTheHeaderAlone() {
    try (RawBitcoinPeer raw = handshaken()) {
      // Only the 24 header bytes: the node must decide before any payload byte arrives.
      raw.write(TestFrames.header(NETWORK.magic(), "block", MAX_PAYLOAD + 1).getBytes());
      assertEndedWith(raw, "payload_too_large");
    }
  }

  /**
   * Before its handshake is done a peer may send no more than a version needs (a few KiB): a version header
   * declaring more, legal once established, is refused from the header alone, so that connections that have proven
   * nothing cannot make the node hold maximal messages.
   */
  @Test
  void aVersionLargerThanAHandshakeNeedsIsRefusedFromTheHeaderAlone() {
    int justTooLarge = new BitcoinOptions().setMaxMessageSize(MAX_PAYLOAD).maxHandshakeMessageSize() + 1;
    assertTrue(justTooLarge < MAX_PAYLOAD);
    try (RawBitcoinPeer raw = connect()) {
      raw.write(TestFrames.header(NETWORK.magic(), "version", justTooLarge).getBytes());
      assertEndedWith(raw, "payload_too_large");
      JsonObject error = awaitEvent(errors, e -> e.getString("peer").equals(raw.peerName()));
      assertTrue(error.getString("message").contains("before the handshake is done"), error::encode);
    }
  }

  @Test
  void aTruncatedPayloadIsMalformed() {
    try (RawBitcoinPeer raw = handshaken()) {
      // A ping whose payload holds 4 of its nonce's 8 bytes, with a valid checksum: the frame is fine, the message not.
      Buffer half = Buffer.buffer(new byte[] {1, 2, 3, 4});
      raw.write(BitcoinFrames.encode(NETWORK.magic(), "ping", half).getBytes());
      assertEndedWith(raw, "malformed_ping");
    }
  }

  @Test
  void anythingBeforeTheVersionIsAViolation() {
    try (RawBitcoinPeer raw = connect()) {
      raw.send(new PingMessage(7));
      assertEndedWith(raw, "no_version");
    }
  }

  @Test
  void aFrameCutOffByTheSocketClosingEndsOnlyThatConnection() {
    RawBitcoinPeer raw = handshaken();
    String name = raw.peerName();
    raw.write(TestFrames.header(NETWORK.magic(), "tx", 1000).getBytes());
    raw.write(new byte[10]);
    raw.close();
    JsonObject disconnected = awaitState(name, "disconnected");
    assertEquals("closed by peer", disconnected.getString("reason"));
  }

  @Test
  void aPeerThatNeverFinishesTheHandshakeTimesOut() {
    try (RawBitcoinPeer raw = connect()) {
      raw.send(RawBitcoinPeer.version(3));
      raw.next(VersionMessage.class);
      // No verack from us: the node's handshake timeout ends the connection.
      assertTrue(raw.closedByNode());
      JsonObject disconnected = awaitState(raw.peerName(), "disconnected");
      assertTrue(disconnected.getString("reason").startsWith("no handshake within"),
          disconnected::encode);
    }
  }

  /** Runs last, on the node every other case here has sent its bad peer to. */
  @Test
  @Order(Integer.MAX_VALUE)
  void theNodeAnswersPingsAndKeepsServingAfterEveryBadPeer() {
    try (RawBitcoinPeer raw = handshaken()) {
      raw.send(new PingMessage(0x1234_5678_9abc_def0L));
      assertEquals(0x1234_5678_9abc_def0L, raw.next(PongMessage.class).nonce());
    }
  }
}
