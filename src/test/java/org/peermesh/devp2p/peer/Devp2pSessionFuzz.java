package org.peermesh.devp2p.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.peermesh.devp2p.base.BaseMessageCodes;
import org.peermesh.devp2p.base.DisconnectMessage;
import org.peermesh.devp2p.base.HelloMessage;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpString;
import org.peermesh.devp2p.rlpx.RlpxException;
import org.peermesh.devp2p.rlpx.RlpxFrameCodec;
import org.peermesh.devp2p.rlpx.RlpxSamples;
import org.peermesh.devp2p.rlpx.SnappyCodec;
import org.peermesh.fuzz.Fuzzing;
import org.peermesh.net.MalformedInputException;
import org.peermesh.peer.PeerViolation;

/**
 * A keyed RLPx session's framing ({@link RlpxSessionCodec}, B's side of EIP-8's session, {@link RlpxSamples}) on
 * fuzzed messages: random bytes would never pass the frame MACs, so the input is the messages' plaintext, which the
 * peer's codec (A's) encrypts and MACs, and the codec reads them in fuzzed chunks. What reaches the snappy state, the
 * Hello and Disconnect readings, snappy's decoder and the limits is then the fuzzer's. The only failure allowed is a
 * {@link PeerViolation} of a framing kind, at a penalty, which ends the connection, so nothing is fed after one.
 *
 * <p>Input: a chunking plan byte ({@link Fuzzing#chunks}), a limit byte (the message limit is 64 to 16,384 bytes in
 * steps of 64), then messages, each a code byte, a 2-byte big-endian length and that many bytes of frame body (cut
 * short at the input's end).
 *
 * <p>Property: the codec hands on exactly what a model of the session reads, in order (snappy from a Hello that
 * decodes and says v5; every later message but a Hello decompressed, a Disconnect as sent if it is not snappy; no
 * message over the limit, no frame over the limit and its code), and refuses where the model does, never earlier.
 * Each Hello and Disconnect handed on decodes or is refused as malformed.
 */
public class Devp2pSessionFuzz {

  private static final Set<String> KINDS = Set.of("too_large", "bad_snappy", "snappy_too_large");

  @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
  void frames(byte[] data) {
    run(data);
  }

  /** One message as the peer meant it, and as the codec should hand it on (null where it should refuse). */
  private record Message(int code, byte[] body) {
  }

  /** @return how many messages the codec handed on */
  public static int run(byte[] data) {
    if (data.length < 2) {
      return 0;
    }
    int limit = 64 * (1 + (data[1] & 0xFF));
    List<Message> sent = messages(data, 2);
    RlpxFrameCodec a = RlpxSamples.codecOfA();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    sent.forEach(message -> wire.writeBytes(a.encode(message.code(), message.body())));

    List<Message> expected = new ArrayList<>();
    boolean refusedByModel = model(sent, limit, expected);

    RlpxSessionCodec codec = new RlpxSessionCodec(RlpxSamples.secretsOfB(), new byte[0], limit);
    List<Message> received = new ArrayList<>();
    boolean refused = false;
    for (Buffer chunk : Fuzzing.chunks(wire.toByteArray(), 0, data[0] & 0xFF)) {
      try {
        codec.decode(chunk, (message, payload) -> {
          RlpxMessage.Frame frame = (RlpxMessage.Frame) message;
          assertArrayEquals(frame.payload(), payload.getBytes());
          assertTrue(frame.size() <= limit, () -> frame + " over the limit of " + limit);
          decodeBase(frame);
          received.add(new Message(frame.code(), frame.payload()));
        });
      } catch (PeerViolation violation) {
        assertTrue(KINDS.contains(violation.refusal().kind()), violation.refusal()::toString);
        assertEquals(Devp2pRefusals.MALFORMED_PENALTY, violation.refusal().penalty());
        refused = true;
        break;
      }
    }
    assertEquals(refusedByModel, refused, () -> "the model " + (refusedByModel ? "refuses" : "accepts") + " "
        + sent.size() + " messages, of which the codec handed on " + received.size());
    assertEquals(expected.size(), received.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).code(), received.get(i).code());
      assertArrayEquals(expected.get(i).body(), received.get(i).body(), "message " + i);
    }
    return received.size();
  }

  /** The messages of {@code data} from {@code from}: code, 2-byte length, body. */
  private static List<Message> messages(byte[] data, int from) {
    List<Message> messages = new ArrayList<>();
    int at = from;
    while (at + 3 <= data.length) {
      int code = data[at] & 0xFF;
      int length = (data[at + 1] & 0xFF) << 8 | data[at + 2] & 0xFF;
      int end = Math.min(data.length, at + 3 + length);
      messages.add(new Message(code, Arrays.copyOfRange(data, at + 3, end)));
      at = end;
    }
    return messages;
  }

  /**
   * What the codec should hand on of {@code sent}, into {@code expected}, as the session reads them.
   *
   * @return whether the codec should refuse one of them (the first after {@code expected}'s)
   */
  private static boolean model(List<Message> sent, int limit, List<Message> expected) {
    boolean snappy = false;
    int frameLimit = limit + 8;
    for (Message message : sent) {
      if (Rlp.encode(RlpString.of(message.code())).length + message.body().length > frameLimit) {
        return true;
      }
      byte[] payload = message.body();
      if (snappy && message.code() != BaseMessageCodes.HELLO) {
        try {
          payload = SnappyCodec.decompress(message.body(), limit);
        } catch (RlpxException e) {
          if (message.code() != BaseMessageCodes.DISCONNECT) {
            return true;
          }
        }
      }
      if (payload.length > limit) {
        return true;
      }
      if (message.code() == BaseMessageCodes.HELLO) {
        try {
          snappy = HelloMessage.decode(payload).usesSnappy();
        } catch (MalformedInputException e) {
          snappy = false;
        }
      }
      expected.add(new Message(message.code(), payload));
    }
    return false;
  }

  /** A Hello or Disconnect decodes or is refused as malformed: the handshake and the layer read them so. */
  private static void decodeBase(RlpxMessage.Frame frame) {
    try {
      if (frame.code() == BaseMessageCodes.HELLO) {
        HelloMessage hello = HelloMessage.decode(frame.payload());
        assertEquals(hello, HelloMessage.decode(hello.encode()));
      } else if (frame.code() == BaseMessageCodes.DISCONNECT) {
        DisconnectMessage.decode(frame.payload());
      }
    } catch (MalformedInputException e) {
      assertTrue(e.kind() != null);
    }
  }
}
