package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Frames for tests: headers made on purpose, and a listener that keeps what a decoder finds. */
public final class TestFrames {

  private TestFrames() {
  }

  /**
   * The 24-byte header of a frame announcing {@code payloadLength} bytes of {@code command}, without its payload:
   * the header of a real frame of that many zero bytes, checksum included.
   */
  public static Buffer header(int magic, String command, int payloadLength) {
    return BitcoinFrames.encode(magic, command, Buffer.buffer(new byte[payloadLength]))
        .getBuffer(0, BitcoinFrames.HEADER_SIZE);
  }

  /** The messages framed in {@code stream}, which must hold frames only. */
  public static List<BitcoinMessage> decodeAll(BitcoinFrameDecoder decoder, Buffer stream) {
    Collector<BitcoinMessage> messages = messages();
    decoder.feed(stream, messages);
    return messages.frames();
  }

  /** Keeps each frame's payload as the decoder hands it over. */
  public static Collector<Buffer> payloads() {
    return new Collector<>((command, payload) -> payload);
  }

  /** Keeps each frame decoded, decoding it as it arrives. */
  public static Collector<BitcoinMessage> messages() {
    return new Collector<>(BitcoinMessages::decode);
  }

  /** A decoder listener that keeps every frame, in order, and fails on any byte that is no frame. */
  public static final class Collector<T> implements BitcoinFrameDecoder.Listener {

    private final BiFunction<String, Buffer, T> keep;
    private final List<T> frames = new ArrayList<>();

    private Collector(BiFunction<String, Buffer, T> keep) {
      this.keep = keep;
    }

    /** The frames kept so far, oldest first; a caller may take them out. */
    public List<T> frames() {
      return frames;
    }

    @Override
    public void frame(String command, Buffer payload) {
      frames.add(keep.apply(command, payload));
    }

    @Override
    public void garbage(int skippedBytes) {
      throw new AssertionError("no garbage expected, got " + skippedBytes + " bytes that are no frame");
    }
  }
}
