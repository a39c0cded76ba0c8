package org.peermesh.testing.devp2p;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.devp2p.base.Capability;
import org.peermesh.devp2p.base.DisconnectMessage;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.devp2p.base.HelloMessage;
import org.peermesh.devp2p.rlpx.SnappyCodec;

/** The test peer against itself over loopback, initiator against responder: the utility works before it is trusted. */
class RawRlpxPeerTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SHORT = Duration.ofMillis(300);

  private ServerSocket server;
  private RawRlpxPeer initiator;
  private RawRlpxPeer responder;

  /** A session between two raw peers: the responder accepts and answers on its own thread while the initiator dials. */
  @BeforeEach
  void connect() throws Exception {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    byte[] responderKey = RawRlpxPeer.randomPrivateKey();
    CompletableFuture<RawRlpxPeer> accepted = CompletableFuture.supplyAsync(
        () -> RawRlpxPeer.listen(server, responderKey, TIMEOUT));
    initiator = RawRlpxPeer.connect(server.getInetAddress().getHostAddress(), server.getLocalPort());
    initiator.handshake(Secp256k1.publicKey64(responderKey));
    responder = accepted.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws IOException {
    if (initiator != null) {
      initiator.close();
    }
    if (responder != null) {
      responder.close();
    }
    server.close();
  }

  @Test
  void bothSidesLearnTheOthersKey() {
    assertArrayEquals(initiator.publicKey64(), responder.remotePublicKey64());
    assertArrayEquals(responder.publicKey64(), initiator.remotePublicKey64());
  }

  @Test
  void exchangeHellosThenSnappyFrames() {
    HelloMessage hello = hello(initiator);
    initiator.sendHello(hello);
    responder.sendHello(hello(responder));
    RawRlpxPeer.Frame received = responder.readFrame(TIMEOUT);
    assertEquals(HelloMessage.CODE, received.code());
    assertEquals(hello, HelloMessage.decode(received.payload()));
    assertEquals(hello(responder), HelloMessage.decode(initiator.readFrame(TIMEOUT).payload()));

    initiator.setSnappy(true);
    responder.setSnappy(true);
    byte[] payload = HexFormat.of().parseHex("c3820102" + "00".repeat(300)); // uncompressed on the wire, it would fail the decompression
    initiator.sendFrame(0x10, payload);
    initiator.sendFrame(0x11, new byte[0]);
    RawRlpxPeer.Frame status = responder.readFrame(TIMEOUT);
    assertEquals(0x10, status.code());
    assertArrayEquals(payload, status.payload());
    assertEquals(0x11, responder.readFrame(TIMEOUT).code());
  }

  @Test
  void readsADisconnectCompressedOrNotInEachForm() {
    initiator.setSnappy(true);
    responder.sendFrame(0x02, new byte[] {(byte) 0xc0}); // a Ping first, which is skipped
    responder.sendFrame(DisconnectMessage.CODE, SnappyCodec.compress(new byte[] {(byte) 0xc1, 0x10}));
    responder.sendFrame(DisconnectMessage.CODE, new byte[] {0x04});
    responder.sendFrame(DisconnectMessage.CODE, new byte[] {(byte) 0xc0});
    responder.sendFrame(DisconnectMessage.CODE, DisconnectMessage.of(Devp2pDisconnectReason.USELESS_PEER).encode());

    assertEquals(Devp2pDisconnectReason.SUBPROTOCOL_ERROR, initiator.readDisconnectReason(TIMEOUT));
    assertEquals(Devp2pDisconnectReason.TOO_MANY_PEERS, initiator.readDisconnectReason(TIMEOUT));
    assertEquals(Devp2pDisconnectReason.REQUESTED, initiator.readDisconnectReason(TIMEOUT));
    assertEquals(Devp2pDisconnectReason.USELESS_PEER, initiator.readDisconnectReason(TIMEOUT));
  }

  @Test
  void seesTheOtherSideClose() {
    assertFalse(initiator.awaitClosed(SHORT));
    responder.sendFrame(DisconnectMessage.CODE, DisconnectMessage.of(Devp2pDisconnectReason.QUITTING).encode());
    responder.close();
    assertTrue(initiator.awaitClosed(TIMEOUT));
  }

  @Test
  void failsAReadAtItsDeadlineOrWhenTheOtherSideCloses() {
    AssertionError late = assertThrows(AssertionError.class, () -> initiator.readFrame(SHORT));
    assertEquals("the frame was not complete before the deadline", late.getMessage());
    responder.close();
    AssertionError closed = assertThrows(AssertionError.class, () -> initiator.readDisconnectReason(TIMEOUT));
    assertTrue(closed.getMessage().startsWith("the other side closed the connection before the frame"),
        closed.getMessage());
  }

  private static HelloMessage hello(RawRlpxPeer peer) {
    return new HelloMessage(HelloMessage.PROTOCOL_VERSION, "RawRlpxPeer", List.of(new Capability("eth", 68)), 0,
        peer.publicKey64());
  }
}
