package org.peermesh.bitcoin.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.bitcoin.wire.RawMessage;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.Failure;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestNodes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;
import static org.peermesh.testing.PeerTestSupport.takenOfBurst;

/**
 * The peer layer's flow control, as Bitcoin's {@code send} command gets it: a burst larger than the write-queue limit
 * does not cut off a peer that reads (what it cannot take is refused, 429), and a peer that does not read is still
 * cut off.
 */
class BitcoinFlowControlTest {

  private static final BitcoinNetwork NETWORK = BitcoinNetwork.REGTEST;
  private static final int MAX_QUEUE = 256 * 1024;
  private static final int PAYLOAD = 16 * 1024;

  private Vertx vertx;
  private TestNodes nodes;
  private PeerMeshNode node;
  private BusAddresses addresses;
  private List<JsonObject> states;

  @BeforeEach
  void setUp(@TempDir Path dir) {
    vertx = Vertx.vertx();
    nodes = new TestNodes(vertx, dir);
    var options = nodes.options().setMesh(null).setProtocol(BitcoinProtocol.NAME, new BitcoinOptions()
        .setNetwork(NETWORK)
        .setListen(new PeerAddress("127.0.0.1", 0))
        .setMaxMessageSize(64 * 1024)
        .setMaxWriteQueueSize(MAX_QUEUE)
        .setAckTimeout(1_000));
    addresses = new BusAddresses(options.getBusPrefix());
    states = nodes.collect(addresses.protocol(BitcoinProtocol.NAME).stateChange());
    node = nodes.start(options);
  }

  @AfterEach
  void tearDown() {
    nodes.close();
    TestNodes.await(vertx.close());
  }

  /** A peer past the handshake whose socket holds at most 4 KiB it has not read. */
  private RawBitcoinPeer handshaken() {
    RawBitcoinPeer raw = new RawBitcoinPeer(node.listenAddress(BitcoinProtocol.NAME), NETWORK, "127.0.0.1", 4096);
    raw.handshake();
    awaitEvent(states, s -> s.getString("peer").equals(raw.peerName()) && s.getString("state").equals("ready"));
    return raw;
  }

  /** {@code send} of a {@code blob} whose payload starts with {@code n} and is {@value #PAYLOAD} bytes long. */
  private Future<Object> sendBlob(RawBitcoinPeer raw, int n) {
    byte[] payload = new byte[PAYLOAD];
    payload[0] = (byte) (n >> 8);
    payload[1] = (byte) n;
    return vertx.eventBus().request(addresses.protocol(BitcoinProtocol.NAME).command(BitcoinProtocol.SEND),
        new JsonObject().put("peer", raw.peerName()).put("command", "blob")
            .put("payload", HexFormat.of().formatHex(payload))).map(reply -> reply.body());
  }

  private static int numberOf(RawMessage blob) {
    byte[] payload = blob.payload().getBytes();
    return (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
  }

  @Test
  void aBurstLargerThanTheWriteQueueWaitsForAPeerThatPausesReading() {
    try (RawBitcoinPeer raw = handshaken()) {
      int count = 48 * MAX_QUEUE / PAYLOAD;
      List<Future<?>> sends = new ArrayList<>();
      int taken = takenOfBurst(vertx, count, n -> sendBlob(raw, n), sends);
      assertTrue(taken * PAYLOAD > MAX_QUEUE, "only " + taken + " of " + count + " taken");
      for (int i = 0; i < taken; i++) {
        assertEquals(i, numberOf(raw.next(RawMessage.class)), "message " + i + " of " + taken);
      }
      TestNodes.await(Future.all(sends.subList(0, taken)));
      assertTrue(states.stream().noneMatch(s -> s.getString("peer").equals(raw.peerName())
          && s.getString("state").equals("disconnected")), states::toString);
    }
  }

  @Test
  void aPeerThatDoesNotReadIsStillCutOff() {
    try (RawBitcoinPeer raw = handshaken()) {
      // Rounds of sends twice the queue limit, each awaited: while the peer may still read, what does not fit waits
      // and is answered 504 after ackTimeout; once its socket has not drained for ackTimeout, the next round goes to
      // the outbox, whose limit cuts the peer off.
      int perRound = 2 * MAX_QUEUE / PAYLOAD;
      boolean disconnected = false;
      for (int round = 0; !disconnected; round++) {
        assertTrue(round < 100, "the peer that does not read was never cut off");
        List<Future<Object>> sends = new ArrayList<>();
        for (int i = 0; i < perRound; i++) {
          sends.add(sendBlob(raw, round * perRound + i));
        }
        TestNodes.await(Future.join(sends).otherwiseEmpty());
        for (Future<Object> send : sends) {
          disconnected |= send.failed() && isDisconnected(send.cause());
        }
      }
      JsonObject closed = awaitEvent(states, s -> s.getString("peer").equals(raw.peerName())
          && s.getString("state").equals("disconnected"));
      assertTrue(closed.getString("reason").contains("does not read"), closed::encode);
    }
  }

  /** Not a 504 (the peer did not drain in time) nor a 429 (too much waits for it already): the peer is gone. */
  private static boolean isDisconnected(Throwable failure) {
    ReplyException reply = assertInstanceOf(ReplyException.class, failure);
    return reply.failureCode() != Failure.TIMEOUT.code() && reply.failureCode() != Failure.TOO_MANY_REQUESTS.code();
  }
}
