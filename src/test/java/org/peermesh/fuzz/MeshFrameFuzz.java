package org.peermesh.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import org.peermesh.mesh.MeshCodec;
import org.peermesh.mesh.wire.FrameDecoder;
import org.peermesh.mesh.wire.WireCodec;
import org.peermesh.mesh.wire.WireFormatException.Reason;
import org.peermesh.mesh.wire.WireFormatException;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.peer.PeerViolation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mesh protocol's decoding of a peer's bytes: {@link FrameDecoder} cuts a stream, fed in fuzzed chunks, into
 * frames, and {@link WireCodec#decode} decodes each. Neither may fail but with {@link WireFormatException}.
 *
 * <p>Properties: the frames are the stream's frames, bytes of their own, and what follows the last is what the decoder
 * says it keeps (with the length prefix of a frame being collected); a frame that decodes re-encodes to exactly its bytes (strings are strict UTF-8, JSON is kept as
 * sent), which decode to an equal message.
 */
public class MeshFrameFuzz {

  /** Larger than any input the fuzzer makes, small enough that fuzzed length prefixes are refused too. */
  static final int MAX_FRAME_SIZE = 1 << 16;

  private static final HexFormat HEX = HexFormat.of();

  @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
  void framesAndMessages(byte[] data) {
    run(data);
  }

  /** @return how many frames decoded to a message */
  public static int run(byte[] data) {
    if (data.length == 0) {
      return 0;
    }
    byte[] stream = Arrays.copyOfRange(data, 1, data.length);
    List<Buffer> chunks = Fuzzing.chunks(stream, 0, data[0] & 0xFF);
    FrameDecoder decoder = new FrameDecoder(MAX_FRAME_SIZE);
    List<Buffer> frames = new ArrayList<>();
    boolean framingFailed = false;
    for (Buffer chunk : chunks) {
      try {
        decoder.feed(chunk, frames::add);
      } catch (WireFormatException e) {
        assertTrue(e.reason() == Reason.FRAME_TOO_LARGE || e.reason() == Reason.EMPTY_FRAME, e::toString);
        framingFailed = true; // the stream position is lost: a connection closes here
        break;
      }
    }

    // The frames share nothing with the chunks: clear those, then compare the frames with the stream.
    chunks.forEach(chunk -> chunk.setBytes(0, new byte[chunk.length()]));
    Buffer original = Buffer.buffer(stream);
    int offset = 0;
    for (Buffer frame : frames) {
      int length = frame.length();
      assertTrue(length >= 1 && length <= MAX_FRAME_SIZE, () -> "frame of " + length + " bytes");
      assertEquals(length, original.getInt(offset), "length prefix at stream offset " + offset);
      assertEquals(HEX.formatHex(stream, offset + 4, offset + 4 + length), HEX.formatHex(frame.getBytes()),
          "frame at stream offset " + offset);
      offset += 4 + length;
    }
    if (!framingFailed) {
      // What follows the last whole frame is kept, but for the length prefix of a frame being collected.
      int unaccounted = stream.length - offset - decoder.bufferedBytes();
      assertTrue(unaccounted == 0 || unaccounted == 4, () -> unaccounted + " bytes after the last frame unaccounted for");
    }

    assertTheCodecAgrees(stream, data[0] & 0xFF, frames, framingFailed);

    int decoded = 0;
    for (Buffer frame : frames) {
      WireMessage message;
      try {
        message = WireCodec.decode(frame);
      } catch (WireFormatException e) {
        continue;
      }
      decoded++;
      Buffer encoded = WireCodec.encode(message);
      assertEquals(HEX.formatHex(Buffer.buffer().appendInt(frame.length()).appendBuffer(frame).getBytes()),
          HEX.formatHex(encoded.getBytes()), () -> message + " re-encoded");
      WireMessage again = WireCodec.decode(encoded.getBuffer(4, encoded.length()));
      assertEquals(message, again);
      assertEquals(message.hashCode(), again.hashCode());
    }
    return decoded;
  }

  /**
   * The codec a connection runs, once established, on the same stream cut the same way: it yields the frames'
   * messages in order, skips the frames of unknown types, and stops at the first other bad frame with a violation,
   * the only exception it may throw.
   */
  private static void assertTheCodecAgrees(byte[] stream, int cuts, List<Buffer> frames, boolean framingFailed) {
    List<WireMessage> expected = new ArrayList<>();
    boolean stops = framingFailed;
    for (Buffer frame : frames) {
      try {
        expected.add(WireCodec.decode(frame));
      } catch (WireFormatException e) {
        if (e.reason() != Reason.UNKNOWN_TYPE) {
          stops = true;
          break;
        }
      }
    }
    List<WireMessage> got = new ArrayList<>();
    MeshCodec codec = new MeshCodec(MAX_FRAME_SIZE).established();
    boolean violated = false;
    try {
      for (Buffer chunk : Fuzzing.chunks(stream, 0, cuts)) {
        codec.decode(chunk, (message, payload) -> got.add(message));
      }
    } catch (PeerViolation violation) {
      violated = true;
    }
    assertEquals(expected, got);
    assertEquals(stops, violated, "the codec stops where the frames do");
  }
}
