package org.peermesh.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import org.peermesh.antelope.peer.AntelopeCodec;
import org.peermesh.antelope.wire.AntelopeFrameDecoder;
import org.peermesh.antelope.wire.AntelopeMessage;
import org.peermesh.antelope.wire.AntelopeMessages;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.PeerViolation;

/**
 * Antelope framing and decoding: {@link AntelopeCodec} fed the input after its first byte in fuzzed chunks (the
 * first byte is the chunking plan, {@link Fuzzing#chunks}). The only failure allowed is a {@link PeerViolation}
 * (an {@code AntelopeWireException} of the frame decoder or of a message, wrapped), after which the connection would
 * close.
 *
 * <p>Properties: every message decoded re-encodes to a payload that decodes to an equal message (the wire form may
 * differ only where the input used a form this codec reads but does not write: wharfkit's go_away, a non-minimal
 * varuint), and its JSON builds an equal message.
 */
public class AntelopeFrameFuzz {

  @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
  void framesAndMessages(byte[] data) {
    run(data);
  }

  /** @return how many messages the input decoded to */
  public static int run(byte[] data) {
    if (data.length == 0) {
      return 0;
    }
    AntelopeCodec codec = new AntelopeCodec(AntelopeFrameDecoder.MAX_MESSAGE_SIZE);
    int[] decoded = {0};
    FrameCodec.Sink<AntelopeMessage> sink = (message, payload) -> {
      check(message, payload);
      decoded[0]++;
    };
    for (Buffer chunk : Fuzzing.chunks(data, 1, data[0] & 0xFF)) {
      try {
        codec.decode(chunk, sink);
      } catch (PeerViolation e) {
        assertNotNull(e.refusal().kind());
        break; // the stream position is lost: a connection closes here
      }
    }
    return decoded[0];
  }

  private static void check(AntelopeMessage message, Buffer payload) {
    assertTrue(payload.length() > 0 && payload.length() <= AntelopeFrameDecoder.MAX_MESSAGE_SIZE);
    Buffer reencoded = AntelopeMessages.payload(message);
    assertEquals(message, AntelopeMessages.decode(reencoded));
    assertEquals(message, AntelopeMessages.fromJson(message.typeName(), message.toJson()));
  }
}
