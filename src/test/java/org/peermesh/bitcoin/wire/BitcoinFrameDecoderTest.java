package org.peermesh.bitcoin.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.bitcoin.wire.BitcoinWireException.Reason;

class BitcoinFrameDecoderTest {

  private static final int MAINNET = BitcoinNetwork.MAINNET.magic();
  private static final int MAX = 1 << 20;

  // Bitcoin wiki, Protocol_documentation: the verack frame on mainnet.
  private static final Buffer VERACK_FRAME = Hex.buffer("f9beb4d976657261636b000000000000000000005df6e0e2");

  /** What the listener saw, in order: frames as "command:payload hex", garbage as "garbage:n". */
  private final List<String> events = new ArrayList<>();

  private final BitcoinFrameDecoder.Listener recorder = new BitcoinFrameDecoder.Listener() {
    @Override
    public void frame(String command, Buffer payload) {
      events.add(command + ":" + Hex.of(payload));
    }

    /** A run spanning chunks is reported once per chunk: summed here, so that any split records the same. */
    @Override
    public void garbage(int skippedBytes) {
      int last = events.size() - 1;
      if (last >= 0 && events.get(last).startsWith("garbage:")) {
        skippedBytes += Integer.parseInt(events.remove(last).substring("garbage:".length()));
      }
      events.add("garbage:" + skippedBytes);
    }
  };

  @Test
  void framesBackToBackInOneChunk() {
    Buffer stream = Buffer.buffer()
        .appendBuffer(VERACK_FRAME)
        .appendBuffer(BitcoinFrames.encode(MAINNET, new PingMessage(0x0102030405060708L)))
        .appendBuffer(VERACK_FRAME);
    BitcoinFrameDecoder decoder = new BitcoinFrameDecoder(MAINNET, MAX);
    decoder.feed(stream, recorder);

    assertEquals(List.of("verack:", "ping:0807060504030201", "verack:"), events);
    assertEquals(0, decoder.bufferedBytes());
  }

  @Test
  void garbageBeforeTheMagicIsSkippedAndReportedOnceBeforeTheFrame() {
    // Two bytes of noise, then the first 3 bytes of the magic not followed by its 4th: all garbage.
    Buffer stream = Hex.buffer("0102" + "f9beb4").appendBuffer(VERACK_FRAME);
    new BitcoinFrameDecoder(MAINNET, MAX).feed(stream, recorder);

    assertEquals(List.of("garbage:5", "verack:"), events);
  }

  @Test
  void streamSplitAtEveryByteBoundaryGivesTheSameEvents() {
    Buffer stream = mixedStream();
    new BitcoinFrameDecoder(MAINNET, MAX).feed(stream, recorder);
    List<String> whole = List.copyOf(events);
    // The trailing partial magic is neither a frame nor, yet, garbage.
    assertEquals(List.of("garbage:3", "version:" + Hex.of(SampleMessages.version().payload()), "verack:",
        "garbage:7", "ping:2a00000000000000", "addr:" + Hex.of(SampleMessages.addr().payload())), whole);

    for (int split = 0; split <= stream.length(); split++) {
      events.clear();
      BitcoinFrameDecoder decoder = new BitcoinFrameDecoder(MAINNET, MAX);
      decoder.feed(stream.getBuffer(0, split), recorder);
      decoder.feed(stream.getBuffer(split, stream.length()), recorder);
      assertEquals(whole, events, "split at " + split);
      assertEquals(2, decoder.bufferedBytes());
    }
  }

  @Test
  void streamInOneByteChunks() {
    Buffer stream = mixedStream();
    BitcoinFrameDecoder decoder = new BitcoinFrameDecoder(MAINNET, MAX);
    for (int i = 0; i < stream.length(); i++) {
      decoder.feed(stream.getBuffer(i, i + 1), recorder);
    }
    assertEquals(List.of("garbage:3", "version:" + Hex.of(SampleMessages.version().payload()), "verack:",
        "garbage:7", "ping:2a00000000000000", "addr:" + Hex.of(SampleMessages.addr().payload())), events);
    // The stream ends in a partial magic, which is all the decoder keeps.
    assertEquals(2, decoder.bufferedBytes());
  }

  @Test
  void garbageIsCountedNotKept() {
    BitcoinFrameDecoder decoder = new BitcoinFrameDecoder(MAINNET, MAX);
    Buffer noise = Buffer.buffer(new byte[100_000]);
    decoder.feed(noise, recorder);
    decoder.feed(noise, recorder);
    assertEquals(0, decoder.bufferedBytes());
    assertEquals(List.of("garbage:200000"), events, "garbage is reported by the end of its chunk, not kept");

    decoder.feed(VERACK_FRAME, recorder);
    assertEquals(List.of("garbage:200000", "verack:"), events);
  }

  /** A magic that overlaps itself: after "0b 0b 0b" a mismatch must keep "0b 0b" as a possible start. */
  @Test
  void selfOverlappingMagicIsFoundAfterAFalseStart() {
    int magic = 0x0b0b0b0c;
    Buffer frame = BitcoinFrames.encode(magic, new VerackMessage());
    Buffer stream = Hex.buffer("0b").appendBuffer(frame);
    for (int chunk = 1; chunk <= stream.length(); chunk++) {
      events.clear();
      BitcoinFrameDecoder decoder = new BitcoinFrameDecoder(magic, MAX);
      for (int i = 0; i < stream.length(); i += chunk) {
        decoder.feed(stream.getBuffer(i, Math.min(stream.length(), i + chunk)), recorder);
      }
      assertEquals(List.of("garbage:1", "verack:"), events, "chunks of " + chunk);
    }
  }

  @Test
  void oversizedLengthIsRefusedFromTheHeaderAlone() {
    Buffer header = TestFrames.header(MAINNET, "block", 101);
    BitcoinFrameDecoder decoder = new BitcoinFrameDecoder(MAINNET, 100);

    BitcoinWireException e = assertThrows(BitcoinWireException.class, () -> decoder.feed(header, recorder));
    assertEquals(Reason.PAYLOAD_TOO_LARGE, e.reason());
    assertTrue(e.getMessage().contains("'block'") && e.getMessage().contains("101"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> decoder.feed(VERACK_FRAME, recorder));
  }

  @Test
  void oversizedLengthInAHeaderSplitAcrossChunks() {
    Buffer header = Hex.buffer("f9beb4d9" + "626c6f636b00000000000000" + "ffffffff" + "00000000");
    BitcoinFrameDecoder decoder = new BitcoinFrameDecoder(MAINNET, BitcoinFrames.MAX_PROTOCOL_MESSAGE_LENGTH);
    for (int i = 0; i < header.length() - 1; i++) {
      decoder.feed(header.getBuffer(i, i + 1), recorder);
    }
    BitcoinWireException e = assertThrows(BitcoinWireException.class,
        () -> decoder.feed(header.getBuffer(header.length() - 1, header.length()), recorder));
    assertEquals(Reason.PAYLOAD_TOO_LARGE, e.reason());
    assertTrue(e.getMessage().contains("4294967295"), e.getMessage());
  }

  @Test
  void badChecksum() {
    Buffer frame = BitcoinFrames.encode(MAINNET, new PingMessage(1));
    frame.setByte(BitcoinFrames.HEADER_SIZE, (byte) 2); // the payload changes, the checksum does not
    BitcoinFrameDecoder decoder = new BitcoinFrameDecoder(MAINNET, MAX);

    BitcoinWireException e = assertThrows(BitcoinWireException.class, () -> decoder.feed(frame, recorder));
    assertEquals(Reason.BAD_CHECKSUM, e.reason());
    assertTrue(e.getMessage().contains("'ping' at stream offset 0"), e.getMessage());
  }

  @Test
  void badChecksumOfAPayloadSplitAcrossChunks() {
    Buffer frame = BitcoinFrames.encode(MAINNET, new PingMessage(1));
    frame.setByte(frame.length() - 1, (byte) 1);
    BitcoinFrameDecoder decoder = new BitcoinFrameDecoder(MAINNET, MAX);
    decoder.feed(frame.getBuffer(0, frame.length() - 1), recorder);

    BitcoinWireException e = assertThrows(BitcoinWireException.class,
        () -> decoder.feed(frame.getBuffer(frame.length() - 1, frame.length()), recorder));
    assertEquals(Reason.BAD_CHECKSUM, e.reason());
  }

  /** Commands: empty, with a space, with a byte after the NUL padding (twice), with a non-ASCII byte. */
  @ParameterizedTest
  @ValueSource(strings = {"000000000000000000000000", "766572206163000000000000", "7665720000000000000000ff",
      "76657261636b000000000001", "76e972616300000000000000"})
  void badCommand(String commandHex) {
    Buffer frame = Hex.buffer("f9beb4d9" + commandHex + "00000000" + "5df6e0e2");
    BitcoinFrameDecoder decoder = new BitcoinFrameDecoder(MAINNET, MAX);

    BitcoinWireException e = assertThrows(BitcoinWireException.class, () -> decoder.feed(frame, recorder));
    assertEquals(Reason.BAD_COMMAND, e.reason());
  }

  @Test
  void twelveCharacterCommandNeedsNoPadding() {
    Buffer frame = BitcoinFrames.encode(MAINNET, "abcdefghijkl", Buffer.buffer());
    new BitcoinFrameDecoder(MAINNET, MAX).feed(frame, recorder);
    assertEquals(List.of("abcdefghijkl:"), events);
  }

  @Test
  void payloadDoesNotShareTheChunk() {
    Buffer chunk = BitcoinFrames.encode(MAINNET, new PingMessage(7));
    TestFrames.Collector<Buffer> payloads = TestFrames.payloads();
    new BitcoinFrameDecoder(MAINNET, MAX).feed(chunk, payloads);
    chunk.setByte(BitcoinFrames.HEADER_SIZE, (byte) 99);
    assertEquals(new PingMessage(7), PingMessage.decode(payloads.frames().get(0)));
  }

  /** A decoder that copied its kept bytes per chunk would copy about 8 * 10^12 bytes here. */
  @Test
  void fourMegabyteFrameInOneByteChunks() {
    byte[] payload = new byte[BitcoinFrames.MAX_PROTOCOL_MESSAGE_LENGTH];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }
    Buffer frame = BitcoinFrames.encode(MAINNET, "block", Buffer.buffer(payload));
    TestFrames.Collector<Buffer> payloads = TestFrames.payloads();
    BitcoinFrameDecoder decoder = new BitcoinFrameDecoder(MAINNET, BitcoinFrames.MAX_PROTOCOL_MESSAGE_LENGTH);
    for (int i = 0; i < frame.length(); i++) {
      decoder.feed(frame.getBuffer(i, i + 1), payloads);
    }
    assertEquals(1, payloads.frames().size());
    assertEquals(Buffer.buffer(payload), payloads.frames().get(0));
  }

  @Test
  void aThrowingListenerStopsTheDecoder() {
    BitcoinFrameDecoder decoder = new BitcoinFrameDecoder(MAINNET, MAX);
    BitcoinFrameDecoder.Listener failing = new BitcoinFrameDecoder.Listener() {
      @Override
      public void frame(String command, Buffer payload) {
        throw new IllegalStateException("handler failed");
      }

      @Override
      public void garbage(int skippedBytes) {
      }
    };
    assertThrows(IllegalStateException.class, () -> decoder.feed(VERACK_FRAME, failing));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> decoder.feed(VERACK_FRAME, recorder));
    assertTrue(e.getMessage().contains("failed on an earlier chunk"), e.getMessage());
  }

  @Test
  void encodeRefusesAnInvalidCommand() {
    assertThrows(IllegalArgumentException.class, () -> BitcoinFrames.encode(MAINNET, "", Buffer.buffer()));
    assertThrows(IllegalArgumentException.class, () -> BitcoinFrames.encode(MAINNET, "thirteenchars", Buffer.buffer()));
    assertThrows(IllegalArgumentException.class, () -> BitcoinFrames.encode(MAINNET, "a b", Buffer.buffer()));
    assertThrows(IllegalArgumentException.class, () -> BitcoinFrames.encode(MAINNET, "pïng", Buffer.buffer()));
  }

  /** Garbage, version, verack, garbage, ping, addr, then garbage ending in a partial magic. */
  private static Buffer mixedStream() {
    return Hex.buffer("000102")
        .appendBuffer(BitcoinFrames.encode(MAINNET, SampleMessages.version()))
        .appendBuffer(VERACK_FRAME)
        .appendBuffer(Hex.buffer("f9f9be" + "f9beb4" + "d8"))
        .appendBuffer(BitcoinFrames.encode(MAINNET, new PingMessage(42)))
        .appendBuffer(BitcoinFrames.encode(MAINNET, SampleMessages.addr()))
        .appendBuffer(Hex.buffer("f9be"));
  }
}
