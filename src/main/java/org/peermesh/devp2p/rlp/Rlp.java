package org.peermesh.devp2p.rlp;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes and reads RLP (the Ethereum yellow paper, appendix B). A byte below 0x80 is itself; other strings get a
 * prefix 0x80 + length, or for more than 55 bytes 0xb7 + the length's length and the length; lists likewise from
 * 0xc0 and 0xf7 with the total length of their encoded items.
 *
 * <p>Reading is strict: only the one encoding the writer would produce is accepted (a byte below 0x80 alone, not
 * wrapped as 0x81xx; lengths without leading zeros; the long form only for more than 55 bytes), lists nest at most
 * {@link #MAX_DEPTH} deep, and every length is checked against the bytes left before anything is allocated for it.
 * So each item has exactly one byte form (signatures and hashes over re-encoded items stay valid) and a few bytes
 * cannot claim much memory or stack.
 */
public final class Rlp {

  /** How deeply lists may nest; devp2p's deepest message (a discv4 Neighbors packet) nests three deep. */
  public static final int MAX_DEPTH = 64;

  private static final int SHORT_STRING = 0x80;
  private static final int LONG_STRING = 0xb7;
  private static final int SHORT_LIST = 0xc0;
  private static final int LONG_LIST = 0xf7;
  /** The longest payload whose length fits in the prefix byte itself. */
  private static final int MAX_SHORT_LENGTH = 55;

  private Rlp() {
  }

  /** An item read from the front of some bytes, and how many bytes it took. */
  public record Decoded(RlpItem item, int length) {
  }

  /** The encoding of {@code item}. */
  public static byte[] encode(RlpItem item) {
    byte[] out = new byte[encodedLength(item)];
    write(item, out, 0);
    return out;
  }

  /** Appends the encoding of {@code item} to {@code buffer}. */
  public static void encodeTo(RlpItem item, Buffer buffer) {
    buffer.appendBytes(encode(item));
  }

  /**
   * The one item {@code bytes} encode, which must be all of them.
   *
   * @throws RlpException {@code trailing_bytes} if bytes follow the item, or any failure of {@link #decodePrefix}
   */
  public static RlpItem decode(byte[] bytes) {
    Decoded decoded = decodePrefix(bytes, 0);
    if (decoded.length() != bytes.length) {
      throw new RlpException("trailing_bytes",
          (bytes.length - decoded.length()) + " bytes after the item, which ends at byte " + decoded.length());
    }
    return decoded.item();
  }

  /**
   * The item that starts at {@code offset}, and its length; what follows it is the caller's concern (EIP-8's
   * handshake bodies are followed by padding, and devp2p readers ignore data appended by newer versions). The item
   * itself is read strictly.
   *
   * @throws RlpException {@code truncated}, {@code non_canonical} or {@code too_deep}
   * @throws IndexOutOfBoundsException if {@code offset} is outside {@code [0, bytes.length]}
   */
  public static Decoded decodePrefix(byte[] bytes, int offset) {
    if (offset < 0 || offset > bytes.length) {
      throw new IndexOutOfBoundsException("offset " + offset + " in " + bytes.length + " bytes");
    }
    return read(bytes, offset, bytes.length, 0);
  }

  private static int encodedLength(RlpItem item) {
    if (item instanceof RlpString string) {
      return isSingleByte(string) ? 1 : headerLength(string.length()) + string.length();
    }
    int payload = payloadLength((RlpList) item);
    return headerLength(payload) + payload;
  }

  private static int payloadLength(RlpList list) {
    int payload = 0;
    for (RlpItem element : list.items()) {
      payload = Math.addExact(payload, encodedLength(element));
    }
    return payload;
  }

  private static boolean isSingleByte(RlpString string) {
    return string.length() == 1 && string.firstByte() < SHORT_STRING;
  }

  private static int headerLength(int payloadLength) {
    return payloadLength <= MAX_SHORT_LENGTH ? 1 : 1 + lengthOfLength(payloadLength);
  }

  private static int lengthOfLength(int payloadLength) {
    return Integer.BYTES - Integer.numberOfLeadingZeros(payloadLength) / Byte.SIZE;
  }

  /** Writes {@code item} at {@code offset}; returns where it ends. */
  private static int write(RlpItem item, byte[] out, int offset) {
    if (item instanceof RlpString string) {
      if (isSingleByte(string)) {
        string.copyTo(out, offset);
        return offset + 1;
      }
      int position = writeHeader(SHORT_STRING, LONG_STRING, string.length(), out, offset);
      string.copyTo(out, position);
      return position + string.length();
    }
    RlpList list = (RlpList) item;
    int position = writeHeader(SHORT_LIST, LONG_LIST, payloadLength(list), out, offset);
    for (RlpItem element : list.items()) {
      position = write(element, out, position);
    }
    return position;
  }

  private static int writeHeader(int shortBase, int longBase, int payloadLength, byte[] out, int offset) {
    if (payloadLength <= MAX_SHORT_LENGTH) {
      out[offset] = (byte) (shortBase + payloadLength);
      return offset + 1;
    }
    int lengthOfLength = lengthOfLength(payloadLength);
    out[offset] = (byte) (longBase + lengthOfLength);
    for (int i = 0; i < lengthOfLength; i++) {
      out[offset + 1 + i] = (byte) (payloadLength >>> (Byte.SIZE * (lengthOfLength - 1 - i)));
    }
    return offset + 1 + lengthOfLength;
  }

  /**
   * Reads the item at {@code offset}, which must end by {@code end}, inside {@code depth} lists.
   */
  private static Decoded read(byte[] in, int offset, int end, int depth) {
    if (offset >= end) {
      throw new RlpException("truncated", "an item expected at byte " + offset + ", no bytes left");
    }
    int prefix = in[offset] & 0xFF;
    if (prefix < SHORT_STRING) {
      return new Decoded(RlpString.wrap(new byte[] {(byte) prefix}), 1);
    }
    boolean isList = prefix >= SHORT_LIST;
    int shortBase = isList ? SHORT_LIST : SHORT_STRING;
    int longBase = isList ? LONG_LIST : LONG_STRING;
    int start;
    int length;
    if (prefix <= longBase) {
      start = offset + 1;
      length = prefix - shortBase;
    } else {
      int lengthOfLength = prefix - longBase;
      start = offset + 1 + lengthOfLength;
      length = longLength(in, offset, lengthOfLength, end);
    }
    String what = isList ? "a list" : "a string";
    if (length > end - start) {
      throw new RlpException("truncated", what + " of " + length + " bytes at byte " + offset + ", "
          + (end - start) + " left");
    }
    if (!isList) {
      if (length == 1 && (in[start] & 0xFF) < SHORT_STRING) {
        throw new RlpException("non_canonical", "byte 0x" + Integer.toHexString(in[start] & 0xFF) + " at byte "
            + offset + " wrapped as a one-byte string; it encodes as itself");
      }
      return new Decoded(RlpString.wrap(Arrays.copyOfRange(in, start, start + length)), start + length - offset);
    }
    if (depth >= MAX_DEPTH) {
      throw new RlpException("too_deep", "a list at byte " + offset + " nested deeper than " + MAX_DEPTH);
    }
    List<RlpItem> items = new ArrayList<>();
    int listEnd = start + length;
    for (int position = start; position < listEnd; ) {
      Decoded element = read(in, position, listEnd, depth + 1);
      items.add(element.item());
      position += element.length();
    }
    return new Decoded(new RlpList(items), listEnd - offset);
  }

  /**
   * The payload length of a long-form header at {@code offset}: big-endian in the {@code lengthOfLength} bytes after
   * the prefix, without leading zeros, and above {@link #MAX_SHORT_LENGTH}.
   */
  private static int longLength(byte[] in, int offset, int lengthOfLength, int end) {
    if (lengthOfLength > end - offset - 1) {
      throw new RlpException("truncated", "a " + lengthOfLength + "-byte length at byte " + offset + ", "
          + (end - offset - 1) + " left");
    }
    if (in[offset + 1] == 0) {
      throw new RlpException("non_canonical", "the length at byte " + offset + " has a leading zero byte");
    }
    long length = 0;
    for (int i = 1; i <= lengthOfLength; i++) {
      length = (length << Byte.SIZE) | (in[offset + i] & 0xFF);
      if (length > end - offset) {
        // No more bytes are left than the input holds, so this fails whatever the bytes still to read are.
        throw new RlpException("truncated", "a payload of at least " + length + " bytes at byte " + offset + ", "
            + (end - offset - 1 - lengthOfLength) + " left");
      }
    }
    if (length <= MAX_SHORT_LENGTH) {
      throw new RlpException("non_canonical", "the long form at byte " + offset + " for " + length
          + " bytes, which fit the short form");
    }
    return (int) length;
  }
}
