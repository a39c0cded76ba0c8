package org.peermesh.devp2p.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.devp2p.base.Capability;
import org.peermesh.devp2p.base.HelloMessage;
import org.peermesh.devp2p.base.SubProtocol;
import org.peermesh.devp2p.discovery.NodeId;
import org.peermesh.devp2p.rlpx.Ecies;
import org.peermesh.devp2p.rlpx.Eip8Vectors;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.HandshakeStep;

class RlpxHandshakeCodecTest {

  private static final byte[] FRAMES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};

  private final List<RlpxMessage> received = new ArrayList<>();
  private final FrameCodec.Sink<RlpxMessage> sink = (message, payload) -> received.add(message);

  @Test
  void anAcceptedConnectionsCodecReadsAPreEip8AuthAndKeepsWhatFollows() {
    byte[] stream = concat(Eip8Vectors.AUTH_1, FRAMES);
    RlpxHandshakeCodec codec = RlpxHandshakeCodec.forAuth(Eip8Vectors.STATIC_KEY_B);
    for (int position = 0; position < stream.length; position += 50) {
      codec.decode(Buffer.buffer(Arrays.copyOfRange(stream, position, Math.min(stream.length, position + 50))),
          sink);
    }
    assertEquals(1, received.size());
    assertArrayEquals(Eip8Vectors.AUTH_1, ((RlpxMessage.HandshakePacket) received.get(0)).bytes());
    assertArrayEquals(FRAMES, codec.remainder());
  }

  @Test
  void theLayersCodecReadsEip8Only() {
    RlpxHandshakeCodec codec = new RlpxHandshakeCodec();
    codec.decode(Buffer.buffer(concat(Eip8Vectors.AUTH_1, FRAMES)), sink);
    assertEquals(List.of(), received);
    codec.decode(Buffer.buffer(Eip8Vectors.AUTH_2), sink);
    RlpxHandshakeCodec forAuth = RlpxHandshakeCodec.forAuth(Eip8Vectors.STATIC_KEY_B);
    forAuth.decode(Buffer.buffer(concat(Eip8Vectors.AUTH_2, FRAMES)), sink);
    assertEquals(1, received.size());
    assertArrayEquals(Eip8Vectors.AUTH_2, ((RlpxMessage.HandshakePacket) received.get(0)).bytes());
    assertArrayEquals(FRAMES, forAuth.remainder());
  }

  @Test
  void anAcceptedConnectionTakesAPreEip8AuthAndAnswersWithAPreEip8Ack() {
    Devp2pHandshaker handshaker = handshaker(false, null);
    handshaker.start();
    FrameCodec<RlpxMessage> layers = new RlpxHandshakeCodec();
    FrameCodec<RlpxMessage> codec = handshaker.framing(layers);
    assertNotSame(layers, codec);
    assertSame(codec, handshaker.framing(codec));
    codec.decode(Buffer.buffer(Eip8Vectors.AUTH_1), sink);
    HandshakeStep<RlpxMessage, Devp2pHandshake> step = handshaker.onMessage(received.get(0));
    HandshakeStep.Claim<RlpxMessage, Devp2pHandshake> claim = assertInstanceOf(HandshakeStep.Claim.class, step);
    assertEquals(NodeId.of(Secp256k1.publicKey64(Eip8Vectors.STATIC_KEY_A)).hex(), claim.identity());
    byte[] ack = ((RlpxMessage.HandshakePacket) claim.send().get(0)).bytes();
    assertEquals(Eip8Vectors.ACK_1.length, ack.length);
    // Ack1's layout: B's ephemeral key, B's nonce, a zero token flag.
    byte[] plain = Ecies.decrypt(Eip8Vectors.STATIC_KEY_A, ack, new byte[0]);
    assertEquals(Ecies.decrypt(Eip8Vectors.STATIC_KEY_A, Eip8Vectors.ACK_1, new byte[0]).length, plain.length);
    assertEquals(0, plain[plain.length - 1]);
  }

  @Test
  void aDialedConnectionKeepsTheLayersCodec() {
    Devp2pHandshaker handshaker = handshaker(true, NodeId.of(Secp256k1.publicKey64(Eip8Vectors.STATIC_KEY_A)));
    handshaker.start();
    FrameCodec<RlpxMessage> layers = new RlpxHandshakeCodec();
    assertSame(layers, handshaker.framing(layers));
  }

  private static Devp2pHandshaker handshaker(boolean outbound, NodeId dialed) {
    NodeId self = NodeId.ofPrivateKey(Eip8Vectors.STATIC_KEY_B);
    HelloMessage hello = new HelloMessage(HelloMessage.PROTOCOL_VERSION, "test",
        List.of(new Capability("eth", 68)), 0, self.bytes());
    return new Devp2pHandshaker(Eip8Vectors.STATIC_KEY_B, outbound, dialed, hello,
        List.of(new SubProtocol("eth", 68, 17)), 1 << 20, new SecureRandom());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
