package org.peermesh.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import org.peermesh.devp2p.rlpx.RlpxException;
import org.peermesh.devp2p.rlpx.RlpxFrameCodec;
import org.peermesh.devp2p.rlpx.RlpxSamples;
import org.peermesh.devp2p.rlpx.SnappyCodec;

/**
 * RLPx frames and snappy blocks: the input after its first byte, in fuzzed chunks ({@link Fuzzing#chunks}), fed to
 * the receiving frame codec of a fixed session (EIP-8's, {@link RlpxSamples}); every payload it yields, and the
 * whole input as well, go to {@link SnappyCodec#decompress}. The only failure allowed is an {@link RlpxException}.
 *
 * <p>Properties: a frame never yields more than the limit; a block that decompresses compresses back to a block
 * that decompresses to the same bytes.
 */
public class RlpxFrameFuzz {

  /** Below devp2p's 16 MiB so that each input stays cheap; the cap is checked the same way at any size. */
  private static final int MAX_SIZE = 1 << 20;

  @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
  void framesAndSnappy(byte[] data) {
    run(data);
  }

  /** @return how many frames the input decoded to */
  public static int run(byte[] data) {
    if (data.length == 0) {
      return 0;
    }
    RlpxFrameCodec codec = RlpxSamples.codecOfB(MAX_SIZE);
    int[] decoded = {0};
    RlpxFrameCodec.FrameListener listener = (code, payload) -> {
      assertTrue(code >= 0 && payload.length < MAX_SIZE);
      decoded[0]++;
      decompress(payload);
    };
    for (Buffer chunk : Fuzzing.chunks(data, 1, data[0] & 0xFF)) {
      try {
        codec.feed(chunk.getBytes(), listener);
      } catch (RlpxException e) {
        assertNotNull(e.kind());
        break; // the stream position and MAC states are lost: a connection closes here
      }
    }
    decompress(Arrays.copyOfRange(data, 1, data.length));
    return decoded[0];
  }

  private static void decompress(byte[] block) {
    try {
      byte[] plain = SnappyCodec.decompress(block, MAX_SIZE);
      assertArrayEquals(plain, SnappyCodec.decompress(SnappyCodec.compress(plain), MAX_SIZE));
    } catch (RlpxException e) {
      assertNotNull(e.kind());
    }
  }
}
