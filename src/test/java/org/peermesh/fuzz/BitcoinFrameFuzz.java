package org.peermesh.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peermesh.bitcoin.wire.BitcoinFrameDecoder;
import org.peermesh.bitcoin.wire.BitcoinFrames;
import org.peermesh.bitcoin.wire.BitcoinWireException;

/**
 * Bitcoin framing: {@link BitcoinFrameDecoder} fed a {@link BitcoinStream} (frames with good checksums among raw
 * bytes) in fuzzed chunks, each frame then decoded by {@link BitcoinMessagesFuzz#decodeAndCheck}. The only failure
 * allowed is {@link BitcoinWireException}. The first byte is the chunking plan ({@link Fuzzing#chunks}).
 *
 * <p>Properties: every byte is accounted for, as part of a frame, a reported garbage run, a byte the decoder says it
 * keeps, or the header of the payload being collected; every frame has a valid command and a payload within the
 * limit; a stream of frames alone decodes to exactly those frames however it is chunked.
 */
public class BitcoinFrameFuzz {

  @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
  void framesAndMessages(byte[] data) {
    run(data);
  }

  /** @return how many frames decoded to a message */
  public static int run(byte[] data) {
    if (data.length == 0) {
      return 0;
    }
    BitcoinStream stream = BitcoinStream.build(data, 1);
    BitcoinFrameDecoder decoder = new BitcoinFrameDecoder(BitcoinStream.MAGIC, BitcoinFrames.MAX_PROTOCOL_MESSAGE_LENGTH);
    List<Map.Entry<String, Buffer>> frames = new ArrayList<>();
    long[] garbage = {0};
    BitcoinFrameDecoder.Listener listener = new BitcoinFrameDecoder.Listener() {
      @Override
      public void frame(String command, Buffer payload) {
        frames.add(Map.entry(command, payload));
      }

      @Override
      public void garbage(int skippedBytes) {
        assertTrue(skippedBytes > 0, () -> "garbage run of " + skippedBytes);
        garbage[0] += skippedBytes;
      }
    };
    boolean framingFailed = false;
    for (Buffer chunk : Fuzzing.chunks(stream.bytes, 0, data[0] & 0xFF)) {
      try {
        decoder.feed(chunk, listener);
      } catch (BitcoinWireException e) {
        assertNotNull(e.reason());
        framingFailed = true; // the stream position is lost: a connection closes here
        break;
      }
    }

    long framed = 0;
    for (Map.Entry<String, Buffer> frame : frames) {
      assertTrue(BitcoinFrames.isValidCommand(frame.getKey()), frame::getKey);
      assertTrue(frame.getValue().length() <= BitcoinFrames.MAX_PROTOCOL_MESSAGE_LENGTH);
      framed += BitcoinFrames.HEADER_SIZE + frame.getValue().length();
    }
    if (!framingFailed) {
      long unaccounted = stream.bytes.length - framed - garbage[0] - decoder.bufferedBytes();
      assertTrue(unaccounted == 0 || unaccounted == BitcoinFrames.HEADER_SIZE,
          () -> unaccounted + " bytes unaccounted for");
    }
    if (stream.clean) {
      assertFalse(framingFailed);
      assertEquals(stream.frames, frames);
      assertEquals(0, garbage[0]);
      assertEquals(0, decoder.bufferedBytes());
    }

    int decoded = 0;
    for (Map.Entry<String, Buffer> frame : frames) {
      if (BitcoinMessagesFuzz.decodeAndCheck(frame.getKey(), frame.getValue())) {
        decoded++;
      }
    }
    return decoded;
  }
}
