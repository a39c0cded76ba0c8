package org.peermesh.devp2p.rlpx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.peermesh.devp2p.rlpx.Eip8Vectors.hex;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peermesh.crypto.Keccak256;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

class RlpxFrameCodecTest {

  /**
   * go-ethereum p2p/rlpx/rlpx_test.go, TestFrameReadWrite: aes = mac = keccak256(""), both MAC hashes a fake whose
   * digest is always 32 bytes of 0x01 (hence MACs of 0x01s), message code 8 with payload rlp([1, 2, 3, 4]).
   */
  private static final byte[] GOLDEN_FRAME = hex("00828ddae471818bb0bfa6b551d1cb42"
      + "01010101010101010101010101010101"
      + "ba628a4ba590cb43f7848f41c4382885"
      + "01010101010101010101010101010101");

  private record Message(int code, byte[] payload) {
  }

  @Test
  void writesAndReadsGoEthereumGoldenFrame() {
    byte[] payload = Rlp.encode(RlpList.of(RlpString.of(1), RlpString.of(2), RlpString.of(3), RlpString.of(4)));
    assertArrayEquals(GOLDEN_FRAME, goldenCodec().encode(8, payload));
    List<Message> messages = feedAll(goldenCodec(), GOLDEN_FRAME);
    assertEquals(1, messages.size());
    assertEquals(8, messages.get(0).code());
    assertArrayEquals(hex("c401020304"), messages.get(0).payload());
  }

  @Test
  void roundTripsBothWaysBetweenHandshakePeers() {
    RlpxFrameCodec[] pair = handshakePair();
    List<Message> sent = sampleMessages();
    for (int direction = 0; direction < 2; direction++) {
      RlpxFrameCodec sender = pair[direction];
      RlpxFrameCodec receiver = pair[1 - direction];
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      sent.forEach(message -> stream.writeBytes(sender.encode(message.code(), message.payload())));
      assertMessages(sent, feedAll(receiver, stream.toByteArray()));
    }
  }

  @Test
  void aFramesWireLengthIsKnownFromItsCodeAndPayloadLength() {
    RlpxFrameCodec codec = handshakePair()[0];
    for (int code : new int[] {0, 1, 0x10, 0x7f, 0x80, 0x1234}) {
      for (int length : new int[] {0, 1, 14, 15, 16, 100, 1000}) {
        assertEquals(codec.encode(code, new byte[length]).length, RlpxFrameCodec.wireLength(code, length),
            "code " + code + ", payload of " + length);
      }
    }
  }

  @Test
  void framesSplitAtEveryByteDecode() {
    List<Message> sent = sampleMessages();
    RlpxSecrets[] secrets = handshakeSecrets();
    RlpxFrameCodec sender = new RlpxFrameCodec(secrets[0], RlpxFrameCodec.MAX_FRAME_SIZE);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    sent.forEach(message -> stream.writeBytes(sender.encode(message.code(), message.payload())));
    byte[] bytes = stream.toByteArray();
    for (int split = 0; split <= bytes.length; split++) {
      // Secrets hand out copies of their MAC states, so each receiver starts where the handshake left off.
      RlpxFrameCodec receiver = new RlpxFrameCodec(secrets[1], RlpxFrameCodec.MAX_FRAME_SIZE);
      List<Message> received = new ArrayList<>();
      RlpxFrameCodec.FrameListener listener = (code, payload) -> received.add(new Message(code, payload));
      receiver.feed(Arrays.copyOf(bytes, split), listener);
      receiver.feed(Arrays.copyOfRange(bytes, split, bytes.length), listener);
      assertMessages(sent, received);
      assertEquals(0, receiver.unfinishedFrameSize());
    }
  }

  @Test
  void framesFedByteAtATimeDecodeAndReportTheirUnfinishedSize() {
    RlpxFrameCodec[] pair = handshakePair();
    byte[] frame = pair[0].encode(3, new byte[40]);
    List<Message> received = new ArrayList<>();
    for (int i = 0; i < frame.length; i++) {
      assertEquals(i, pair[1].unfinishedFrameSize());
      pair[1].feed(new byte[] {frame[i]}, (code, payload) -> received.add(new Message(code, payload)));
    }
    assertEquals(0, pair[1].unfinishedFrameSize());
    assertMessages(List.of(new Message(3, new byte[40])), received);
  }

  @Test
  void badHeaderMacIsRefusedBeforeDecrypting() {
    RlpxFrameCodec[] pair = handshakePair();
    byte[] frame = pair[0].encode(0x10, new byte[] {1});
    frame[20] ^= 1;
    assertKind("bad_mac", pair[1], frame);
    assertThrows(IllegalStateException.class, () -> pair[1].feed(new byte[1], (code, payload) -> { }));
  }

  @Test
  void badHeaderCiphertextIsRefusedByItsMac() {
    RlpxFrameCodec[] pair = handshakePair();
    byte[] frame = pair[0].encode(0x10, new byte[] {1});
    frame[0] ^= (byte) 0x80; // would announce a huge frame if it were decrypted first
    assertKind("bad_mac", pair[1], frame);
  }

  @Test
  void badBodyOrFrameMacIsRefused() {
    for (int index : new int[] {32, 40, 47, 48, 63}) {
      RlpxFrameCodec[] pair = handshakePair();
      byte[] frame = pair[0].encode(0x10, new byte[10]);
      frame[index] ^= 1;
      assertKind("bad_mac", pair[1], frame);
    }
  }

  @Test
  void framesOverTheLimitAreRefusedFromTheHeader() {
    RlpxFrameCodec[] pair = handshakePair(100);
    byte[] frame = pair[0].encode(1, new byte[100]); // body 101 bytes: rlp(1) and the payload
    assertKind("too_large", pair[1], Arrays.copyOf(frame, 32));
  }

  @Test
  void multiByteCodesRoundTrip() {
    RlpxFrameCodec[] pair = handshakePair();
    byte[] frame = pair[0].encode(0x1234, new byte[] {7});
    assertMessages(List.of(new Message(0x1234, new byte[] {7})), feedAll(pair[1], frame));
  }

  @Test
  void encodeRefusesWhatNoFrameCanCarry() {
    RlpxFrameCodec[] pair = handshakePair();
    assertThrows(IllegalArgumentException.class, () -> pair[0].encode(-1, new byte[0]));
    assertThrows(IllegalArgumentException.class,
        () -> pair[0].encode(0, new byte[RlpxFrameCodec.MAX_FRAME_SIZE]));
    assertThrows(IllegalArgumentException.class, () -> new RlpxFrameCodec(handshakeSecrets()[0], 0));
    assertThrows(IllegalArgumentException.class,
        () -> new RlpxFrameCodec(handshakeSecrets()[0], RlpxFrameCodec.MAX_FRAME_SIZE + 1));
  }

  private static List<Message> sampleMessages() {
    byte[] large = new byte[5000];
    new SecureRandom().nextBytes(large);
    return List.of(new Message(0, hex("c0")), new Message(2, new byte[0]), new Message(0x10, hex("0102")),
        new Message(0x7f, new byte[15]), new Message(0x80, new byte[16]), new Message(0x21, large));
  }

  private static void assertMessages(List<Message> expected, List<Message> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).code(), actual.get(i).code());
      assertArrayEquals(expected.get(i).payload(), actual.get(i).payload());
    }
  }

  private static void assertKind(String kind, RlpxFrameCodec codec, byte[] bytes) {
    assertEquals(kind, assertThrows(RlpxException.class, () -> codec.feed(bytes, (code, payload) -> { })).kind());
  }

  private static List<Message> feedAll(RlpxFrameCodec codec, byte[] bytes) {
    List<Message> received = new ArrayList<>();
    codec.feed(bytes, (code, payload) -> received.add(new Message(code, payload)));
    return received;
  }

  private static RlpxFrameCodec goldenCodec() {
    byte[] emptyHash = Keccak256.hash();
    FrameMac.RunningHash fake = new FrameMac.RunningHash() {
      @Override
      public void update(byte[] bytes) {
      }

      @Override
      public byte[] digest() {
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 1);
        return ones;
      }
    };
    return new RlpxFrameCodec(emptyHash, new FrameMac(emptyHash, fake), new FrameMac(emptyHash, fake),
        RlpxFrameCodec.MAX_FRAME_SIZE);
  }

  private static RlpxFrameCodec[] handshakePair() {
    return handshakePair(RlpxFrameCodec.MAX_FRAME_SIZE);
  }

  private static RlpxFrameCodec[] handshakePair(int maxFrameSize) {
    RlpxSecrets[] secrets = handshakeSecrets();
    return new RlpxFrameCodec[] {new RlpxFrameCodec(secrets[0], maxFrameSize),
        new RlpxFrameCodec(secrets[1], maxFrameSize)};
  }

  /** The initiator's and the responder's secrets from a handshake between EIP-8's keys A and B. */
  private static RlpxSecrets[] handshakeSecrets() {
    SecureRandom random = new SecureRandom();
    RlpxHandshake.Initiator initiator = RlpxHandshake.initiator(Eip8Vectors.STATIC_KEY_A,
        Secp256k1.publicKey64(Eip8Vectors.STATIC_KEY_B), random);
    RlpxHandshake.Accepted accepted =
        RlpxHandshake.responder(Eip8Vectors.STATIC_KEY_B, random).onAuth(initiator.firstMessage());
    return new RlpxSecrets[] {initiator.onAck(accepted.ackPacket()), accepted.secrets()};
  }
}
