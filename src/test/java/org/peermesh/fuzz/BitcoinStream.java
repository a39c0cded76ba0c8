package org.peermesh.fuzz;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.bitcoin.wire.BitcoinFrames;
import org.peermesh.bitcoin.wire.BitcoinMessages;

/**
 * A Bitcoin byte stream built from a fuzz input, so that the fuzzer can make frames whose checksum holds: it cannot
 * invert SHA-256d, and raw bytes would stop at the checksum nearly always. The input is a sequence of segments:
 *
 * <pre>
 * tag, low bit 0: raw bytes, (tag >>> 1) of them (0..127), copied as they are: garbage, a hand-made header, anything
 * tag, low bit 1: a frame of command {@link #COMMANDS}[(tag >>> 1) % size], payload length u16 little-endian,
 *                 payload; framed by {@link BitcoinFrames#encode} with the right magic and checksum
 * </pre>
 *
 * A segment cut short by the end of the input takes what is there.
 */
public final class BitcoinStream {

  public static final int MAGIC = BitcoinNetwork.REGTEST.magic();

  /** Every known command in a fixed order, then two this codec does not know (decoded as raw messages). */
  public static final List<String> COMMANDS;

  static {
    List<String> commands = new ArrayList<>(new TreeSet<>(BitcoinMessages.knownCommands()));
    commands.add("cmpctblock");
    commands.add("filterload");
    COMMANDS = List.copyOf(commands);
  }

  /** The stream. */
  public final byte[] bytes;
  /** The frames built, in order, as command and payload. */
  public final List<Map.Entry<String, Buffer>> frames;
  /** Whether the stream holds nothing but the frames built: no raw bytes. */
  public final boolean clean;

  private BitcoinStream(byte[] bytes, List<Map.Entry<String, Buffer>> frames, boolean clean) {
    this.bytes = bytes;
    this.frames = frames;
    this.clean = clean;
  }

  /** The stream that {@code data[from..]} describes. */
  public static BitcoinStream build(byte[] data, int from) {
    Buffer stream = Buffer.buffer();
    List<Map.Entry<String, Buffer>> frames = new ArrayList<>();
    boolean clean = true;
    int position = from;
    while (position < data.length) {
      int tag = data[position++] & 0xFF;
      if ((tag & 1) == 0) {
        int end = Math.min(data.length, position + (tag >>> 1));
        clean &= end == position;
        stream.appendBytes(data, position, end - position);
        position = end;
      } else {
        String command = COMMANDS.get((tag >>> 1) % COMMANDS.size());
        int length = 0;
        for (int i = 0; i < 2 && position < data.length; i++) {
          length |= (data[position++] & 0xFF) << 8 * i;
        }
        int end = Math.min(data.length, position + length);
        Buffer payload = Buffer.buffer().appendBytes(data, position, end - position);
        position = end;
        frames.add(Map.entry(command, payload));
        stream.appendBuffer(BitcoinFrames.encode(MAGIC, command, payload));
      }
    }
    return new BitcoinStream(stream.getBytes(), List.copyOf(frames), clean);
  }

  /** Appends the segment of a frame to a seed: the inverse of {@link #build} for one frame. */
  public static void appendFrame(ByteArrayOutputStream seed, String command, Buffer payload) {
    int index = COMMANDS.indexOf(command);
    if (index < 0 || payload.length() > 0xFFFF) {
      throw new IllegalArgumentException(command + " with " + payload.length() + " bytes has no segment");
    }
    seed.write(index << 1 | 1);
    seed.write(payload.length());
    seed.write(payload.length() >>> 8);
    seed.writeBytes(payload.getBytes());
  }

  /** Appends raw bytes to a seed, as segments of at most 127 bytes. */
  public static void appendRaw(ByteArrayOutputStream seed, byte[] raw) {
    for (int position = 0; position < raw.length; position += 127) {
      int length = Math.min(127, raw.length - position);
      seed.write(length << 1);
      seed.write(raw, position, length);
    }
  }
}
