package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Builds Bitcoin frames, the inverse of {@link BitcoinFrameDecoder}:
 *
 * <pre>
 * magic 4 bytes | command 12 bytes, ASCII NUL-padded | length u32 | checksum 4 bytes | payload
 * </pre>
 *
 * The checksum is the first 4 bytes of SHA-256d of the payload. The magic is the network's message
 * start, passed as an int that reads those 4 bytes big-endian (mainnet {@code 0xf9beb4d9}), as
 * {@link org.peermesh.bitcoin.BitcoinNetwork#magic()} gives it.
 */
public final class BitcoinFrames {

  public static final int HEADER_SIZE = 24;
  public static final int COMMAND_SIZE = 12;

  /** Core's MAX_PROTOCOL_MESSAGE_LENGTH: the largest payload a Core node accepts, 4 MB. */
  public static final int MAX_PROTOCOL_MESSAGE_LENGTH = 4_000_000;

  private BitcoinFrames() {
  }

  public static Buffer encode(int magic, BitcoinMessage message) {
    return encode(magic, message.command(), message.payload());
  }

  /** @throws IllegalArgumentException if {@code command} is not 1..12 printable ASCII characters */
  public static Buffer encode(int magic, String command, Buffer payload) {
    requireValidCommand(command);
    Buffer out = Buffer.buffer(HEADER_SIZE + Objects.requireNonNull(payload, "payload").length());
    appendFrame(magic, command, payload, out);
    return out;
  }

  /**
   * Appends the message as a whole frame, so that many frames can go out in one write; {@code out} is left as it was
   * if the command is not valid.
   */
  public static void encodeTo(int magic, BitcoinMessage message, Buffer out) {
    String command = message.command();
    requireValidCommand(command);
    appendFrame(magic, command, message.payload(), out);
  }

  private static void appendFrame(int magic, String command, Buffer payload, Buffer out) {
    out.appendInt(magic)
        .appendBytes(Arrays.copyOf(command.getBytes(StandardCharsets.US_ASCII), COMMAND_SIZE))
        .appendUnsignedIntLE(payload.length())
        .appendInt(Sha256Hash.hashTwice(payload).firstFourBytes())
        .appendBuffer(payload);
  }

  /** The first 4 bytes of SHA-256d of {@code payload}, as the frame header carries them. */
  public static byte[] checksum(Buffer payload) {
    return Arrays.copyOf(Sha256Hash.hashTwice(payload).bytes(), 4);
  }

  /** Whether {@code command} may name a message: 1..12 characters in 0x21..0x7e. */
  public static boolean isValidCommand(String command) {
    return command != null && !command.isEmpty() && command.length() <= COMMAND_SIZE
        && command.chars().allMatch(BitcoinFrames::isCommandCharacter);
  }

  static void requireValidCommand(String command) {
    if (!isValidCommand(command)) {
      throw new IllegalArgumentException(
          "command must be 1.." + COMMAND_SIZE + " printable ASCII characters (0x21..0x7e), got \"" + command + "\"");
    }
  }

  /**
   * The command in a header's 12 command bytes at {@code offset}, or null unless they are 1..12
   * command characters followed only by NULs.
   */
  static String readCommand(Buffer header, int offset) {
    int length = 0;
    while (length < COMMAND_SIZE && header.getByte(offset + length) != 0) {
      if (!isCommandCharacter(header.getUnsignedByte(offset + length))) {
        return null;
      }
      length++;
    }
    for (int i = length; i < COMMAND_SIZE; i++) {
      if (header.getByte(offset + i) != 0) {
        return null;
      }
    }
    return length == 0 ? null : header.getString(offset, offset + length, "US-ASCII");
  }

  private static boolean isCommandCharacter(int c) {
    return c >= 0x21 && c <= 0x7e;
  }
}
