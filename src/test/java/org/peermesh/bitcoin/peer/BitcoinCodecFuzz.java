package org.peermesh.bitcoin.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.bitcoin.wire.BitcoinFrames;
import org.peermesh.bitcoin.wire.BitcoinMessage;
import org.peermesh.bitcoin.wire.BitcoinMessages;
import org.peermesh.bitcoin.wire.BitcoinWireException;
import org.peermesh.fuzz.BitcoinStream;
import org.peermesh.fuzz.Fuzzing;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.PeerViolation;

/**
 * The peer layer's Bitcoin codec on a connection's bytes: a {@link BitcoinStream} fed to {@link BitcoinCodec} in
 * fuzzed chunks (the first byte is the plan, {@link Fuzzing#chunks}). The only failure allowed is {@link PeerViolation},
 * which ends the connection, so nothing is fed after one.
 *
 * <p>Properties: each message handed on is what its raw payload decodes to; the codec encodes it to a frame that a
 * fresh codec decodes to an equal message; a stream of frames alone yields its frames' messages, in order, until the
 * first one that does not decode, and that one is a violation.
 */
public class BitcoinCodecFuzz {

  private static final BitcoinNetwork NETWORK = BitcoinNetwork.REGTEST;

  @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
  void decode(byte[] data) {
    run(data);
  }

  /** @return how many messages the codec handed on */
  public static int run(byte[] data) {
    if (data.length == 0) {
      return 0;
    }
    BitcoinStream stream = BitcoinStream.build(data, 1);
    BitcoinCodec codec = new BitcoinCodec(NETWORK, BitcoinFrames.MAX_PROTOCOL_MESSAGE_LENGTH);
    Collector collector = new Collector();
    boolean violated = false;
    for (Buffer chunk : Fuzzing.chunks(stream.bytes, 0, data[0] & 0xFF)) {
      try {
        codec.decode(chunk, collector);
      } catch (PeerViolation e) {
        assertNotNull(e.refusal());
        violated = true;
        break;
      }
    }

    for (int i = 0; i < collector.messages.size(); i++) {
      BitcoinMessage message = collector.messages.get(i);
      assertEquals(message, BitcoinMessages.decode(message.command(), collector.payloads.get(i)));
      Buffer frame = Buffer.buffer();
      codec.encode(message, frame);
      Collector again = new Collector();
      new BitcoinCodec(NETWORK, BitcoinFrames.MAX_PROTOCOL_MESSAGE_LENGTH).decode(frame, again);
      assertEquals(List.of(message), again.messages);
    }

    if (stream.clean) {
      List<BitcoinMessage> expected = new ArrayList<>();
      boolean malformed = false;
      for (Map.Entry<String, Buffer> frame : stream.frames) {
        try {
          expected.add(BitcoinMessages.decode(frame.getKey(), frame.getValue()));
        } catch (BitcoinWireException e) {
          malformed = true;
          break;
        }
      }
      assertEquals(expected, collector.messages);
      assertEquals(malformed, violated);
      assertEquals(0, collector.skipped);
    }
    return collector.messages.size();
  }

  private static final class Collector implements FrameCodec.Sink<BitcoinMessage> {

    final List<BitcoinMessage> messages = new ArrayList<>();
    final List<Buffer> payloads = new ArrayList<>();
    int skipped;

    @Override
    public void message(BitcoinMessage message, Buffer payload) {
      messages.add(message);
      payloads.add(payload);
    }

    @Override
    public void skipped(String kind, String detail) {
      assertEquals("garbage", kind, detail);
      skipped++;
    }
  }
}
