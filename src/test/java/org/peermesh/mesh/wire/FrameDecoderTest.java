package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peermesh.mesh.wire.WireFormatException.Reason;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDecoderTest {

  private static final int MAX = 1 << 20;

  private static final List<WireMessage> MESSAGES = List.of(
      new Hello("peermesh-test", "1.0", WireVectorsTest.KEY_A, WireVectorsTest.NONCE_A, 4001),
      new Ping(1),
      new AppMessage("e", JsonPayload.of(new JsonObject().put("text", "x".repeat(300)))),
      new Pong(1),
      Response.failure(2, 404, ""),
      new Disconnect(1000, "bye"));

  private final List<Buffer> frames = new ArrayList<>();

  @Test
  void manyFramesInOneChunk() {
    Buffer chunk = Buffer.buffer();
    for (int i = 0; i < 1000; i++) {
      WireCodec.encodeTo(new Ping(i), chunk);
    }
    FrameDecoder decoder = new FrameDecoder(MAX);
    decoder.feed(chunk, frames::add);

    assertEquals(1000, frames.size());
    for (int i = 0; i < 1000; i++) {
      assertEquals(new Ping(i), WireCodec.decode(frames.get(i)));
    }
    assertEquals(0, decoder.bufferedBytes());
  }

  @Test
  void streamSplitAtEveryByteBoundary() {
    Buffer stream = stream();
    for (int split = 0; split <= stream.length(); split++) {
      frames.clear();
      FrameDecoder decoder = new FrameDecoder(MAX);
      decoder.feed(stream.getBuffer(0, split), frames::add);
      decoder.feed(stream.getBuffer(split, stream.length()), frames::add);
      assertEquals(MESSAGES, decodeAll(), "split at " + split);
      assertEquals(0, decoder.bufferedBytes());
    }
  }

  @Test
  void streamInOneByteChunks() {
    Buffer stream = stream();
    FrameDecoder decoder = new FrameDecoder(MAX);
    for (int i = 0; i < stream.length(); i++) {
      decoder.feed(stream.getBuffer(i, i + 1), frames::add);
    }
    assertEquals(MESSAGES, decodeAll());
  }

  /** A decoder that copied its kept bytes per chunk would copy about 5 * 10^11 bytes here. */
  @Test
  void oneMebibyteFrameInOneByteChunks() {
    Buffer frame = Buffer.buffer(MAX);
    for (int i = 0; i < MAX; i++) {
      frame.appendByte((byte) (i * 31));
    }
    Buffer stream = Buffer.buffer().appendInt(MAX).appendBuffer(frame);

    FrameDecoder decoder = new FrameDecoder(MAX);
    for (int i = 0; i < stream.length(); i++) {
      decoder.feed(stream.getBuffer(i, i + 1), frames::add);
      if (i == MAX / 2) {
        assertEquals(i + 1 - 4, decoder.bufferedBytes());
      }
    }
    assertEquals(List.of(frame), frames);
    assertEquals(0, decoder.bufferedBytes());
  }

  @Test
  void keepsPartialFrameBetweenChunks() {
    Buffer encoded = WireCodec.encode(new Ping(7));
    FrameDecoder decoder = new FrameDecoder(MAX);
    decoder.feed(encoded.getBuffer(0, 2), frames::add);
    assertEquals(2, decoder.bufferedBytes());
    decoder.feed(encoded.getBuffer(2, 9), frames::add);
    assertEquals(5, decoder.bufferedBytes(), "prefix consumed, 5 bytes of the frame kept");
    decoder.feed(encoded.getBuffer(9, encoded.length()).appendBuffer(encoded.getBuffer(0, 3)), frames::add);

    assertEquals(List.of(new Ping(7)), decodeAll());
    assertEquals(3, decoder.bufferedBytes());
  }

  @Test
  void framesShareNothingWithTheChunk() {
    Buffer chunk = WireCodec.encode(new Ping(7));
    new FrameDecoder(MAX).feed(chunk, frames::add);
    chunk.setLong(5, 8);
    assertEquals(new Ping(7), WireCodec.decode(frames.get(0)));
  }

  @Test
  void exactlyMaxFrameSizeIsAccepted() {
    Buffer stream = Buffer.buffer().appendInt(100).appendBytes(new byte[100]);

    new FrameDecoder(100).feed(stream, frames::add);
    FrameDecoder bytewise = new FrameDecoder(100);
    for (int i = 0; i < stream.length(); i++) {
      bytewise.feed(stream.getBuffer(i, i + 1), frames::add);
    }

    assertEquals(List.of(Buffer.buffer(new byte[100]), Buffer.buffer(new byte[100])), frames);
  }

  static Stream<Arguments> refusedLengths() {
    return Stream.of(
        Arguments.of(0L, Reason.EMPTY_FRAME),
        Arguments.of(101L, Reason.FRAME_TOO_LARGE),
        Arguments.of(1L << 31, Reason.FRAME_TOO_LARGE),
        Arguments.of(0xFFFFFFFFL, Reason.FRAME_TOO_LARGE));
  }

  @ParameterizedTest
  @MethodSource("refusedLengths")
  void badLengthRefusedFromAWholeChunk(long length, Reason reason) {
    FrameDecoder decoder = new FrameDecoder(100);
    Buffer chunk = Buffer.buffer().appendUnsignedInt(length).appendBytes(new byte[1000]);

    WireFormatException e = assertThrows(WireFormatException.class, () -> decoder.feed(chunk, frames::add));

    assertEquals(reason, e.reason());
    assertTrue(decoder.bufferedBytes() <= 4);
    assertTrue(frames.isEmpty());
    assertThrows(IllegalStateException.class, () -> decoder.feed(WireCodec.encode(new Ping(1)), frames::add));
  }

  @ParameterizedTest
  @MethodSource("refusedLengths")
  void badLengthRefusedAfterItsFourthByte(long length, Reason reason) {
    FrameDecoder decoder = new FrameDecoder(100);
    Buffer prefix = Buffer.buffer().appendUnsignedInt(length);
    for (int i = 0; i < 3; i++) {
      decoder.feed(prefix.getBuffer(i, i + 1), frames::add);
    }

    WireFormatException e = assertThrows(WireFormatException.class,
        () -> decoder.feed(prefix.getBuffer(3, 4).appendBytes(new byte[1000]), frames::add));

    assertEquals(reason, e.reason());
    assertTrue(decoder.bufferedBytes() <= 4);
    assertThrows(IllegalStateException.class, () -> decoder.feed(Buffer.buffer(new byte[1]), frames::add));
  }

  @Test
  void failingHandlerLeavesDecoderUnusable() {
    FrameDecoder decoder = new FrameDecoder(MAX);
    Buffer twoPings = WireCodec.encode(new Ping(1)).appendBuffer(WireCodec.encode(new Ping(2)));
    assertThrows(ArithmeticException.class, () -> decoder.feed(twoPings, frame -> {
      throw new ArithmeticException();
    }));
    assertThrows(IllegalStateException.class, () -> decoder.feed(Buffer.buffer(), frames::add));
  }

  @Test
  void maxFrameSizeMustHoldTheTypeByte() {
    assertThrows(IllegalArgumentException.class, () -> new FrameDecoder(0));
  }

  private static Buffer stream() {
    Buffer stream = Buffer.buffer();
    MESSAGES.forEach(m -> WireCodec.encodeTo(m, stream));
    return stream;
  }

  private List<WireMessage> decodeAll() {
    return frames.stream().map(WireCodec::decode).toList();
  }
}
