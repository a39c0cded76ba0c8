package org.peermesh.antelope.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cutting a stream into frames: every split, many frames per chunk, and lengths refused from the prefix alone. */
class AntelopeFrameDecoderTest {

  private final List<Buffer> frames = new ArrayList<>();
  private final AntelopeFrameDecoder decoder = new AntelopeFrameDecoder(AntelopeFrameDecoder.MAX_MESSAGE_SIZE);

  @Test
  void severalFramesInOneChunk() {
    decoder.feed(stream(), frames::add);
    assertEquals(payloads(), frames);
    assertEquals(0, decoder.bufferedBytes());
    assertEquals(0, decoder.unfinishedFrameSize());
  }

  @Test
  void framesSplitAtEveryByteBoundary() {
    Buffer stream = stream();
    for (int split = 0; split <= stream.length(); split++) {
      AntelopeFrameDecoder fresh = new AntelopeFrameDecoder(AntelopeFrameDecoder.MAX_MESSAGE_SIZE);
      List<Buffer> found = new ArrayList<>();
      fresh.feed(stream.getBuffer(0, split), found::add);
      fresh.feed(stream.getBuffer(split, stream.length()), found::add);
      assertEquals(payloads(), found, "split at " + split);
    }
  }

  @Test
  void framesFedOneByteAtATime() {
    Buffer stream = stream();
    for (int i = 0; i < stream.length(); i++) {
      decoder.feed(stream.getBuffer(i, i + 1), frames::add);
    }
    assertEquals(payloads(), frames);
  }

  @Test
  void unfinishedFrameSizeIsTheDeclaredLengthOnceThePrefixIsRead() {
    Buffer frame = Buffer.buffer();
    AntelopeMessages.encode(AntelopeSamples.block(), frame);
    int length = frame.length() - AntelopeMessages.LENGTH_PREFIX_SIZE;
    decoder.feed(frame.getBuffer(0, 3), frames::add);
    assertEquals(0, decoder.unfinishedFrameSize());
    assertEquals(3, decoder.bufferedBytes());
    decoder.feed(frame.getBuffer(3, 4), frames::add);
    assertEquals(length, decoder.unfinishedFrameSize());
    decoder.feed(frame.getBuffer(4, 10), frames::add);
    assertEquals(length, decoder.unfinishedFrameSize());
    assertEquals(6, decoder.bufferedBytes());
    decoder.feed(frame.getBuffer(10, frame.length()), frames::add);
    assertEquals(0, decoder.unfinishedFrameSize());
    assertEquals(List.of(frame.getBuffer(4, frame.length())), frames);
  }

  @Test
  void lengthZeroIsRefused() {
    AntelopeWireException e = assertThrows(AntelopeWireException.class,
        () -> decoder.feed(Buffer.buffer().appendIntLE(0), frames::add));
    assertEquals("bad_length", e.kind());
  }

  @Test
  void lengthOverTheLimitIsRefusedFromThePrefixAlone() {
    AntelopeWireException e = assertThrows(AntelopeWireException.class,
        () -> decoder.feed(Buffer.buffer().appendIntLE(AntelopeFrameDecoder.MAX_MESSAGE_SIZE + 1), frames::add));
    assertEquals("message_too_large", e.kind());
    assertThrows(AntelopeWireException.class,
        () -> new AntelopeFrameDecoder(100).feed(Buffer.buffer().appendIntLE(-1), frames::add));
    // the whole limit is accepted, and nothing of it is reserved before the bytes come
    AntelopeFrameDecoder atLimit = new AntelopeFrameDecoder(AntelopeFrameDecoder.MAX_MESSAGE_SIZE);
    atLimit.feed(Buffer.buffer().appendIntLE(AntelopeFrameDecoder.MAX_MESSAGE_SIZE).appendByte((byte) 3), frames::add);
    assertEquals(AntelopeFrameDecoder.MAX_MESSAGE_SIZE, atLimit.unfinishedFrameSize());
    assertEquals(1, atLimit.bufferedBytes());
  }

  @Test
  void theLimitAppliesFromTheNextFrameAndTheRefusalNamesIt() {
    decoder.limit(40, "maxHandshakeMessageSize");
    Buffer small = Buffer.buffer();
    AntelopeMessages.encode(new TimeMessage(1, 2, 3, 4), small);
    decoder.feed(small, frames::add);
    Buffer large = Buffer.buffer();
    AntelopeMessages.encode(AntelopeSamples.handshake(), large);
    AntelopeWireException e = assertThrows(AntelopeWireException.class, () -> decoder.feed(large, frames::add));
    assertEquals("message_too_large", e.kind());
    assertTrue(e.detail().contains("maxHandshakeMessageSize"), e.detail());
    assertEquals(1, frames.size());
    assertThrows(IllegalStateException.class, () -> decoder.feed(small, frames::add));
  }

  private static Buffer stream() {
    Buffer stream = Buffer.buffer();
    AntelopeSamples.all().forEach(message -> AntelopeMessages.encode(message, stream));
    return stream;
  }

  private static List<Buffer> payloads() {
    return AntelopeSamples.all().stream().map(AntelopeMessages::payload).toList();
  }
}
