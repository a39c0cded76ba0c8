package org.peermesh.mesh.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 in both directions. {@code new String(bytes, UTF_8)} and {@code getBytes(UTF_8)}
 * silently substitute what they cannot convert, so a peer's malformed string would be accepted as
 * something else, and a string with an unpaired surrogate would be sent as bytes that do not decode
 * back to it.
 */
final class Utf8 {

  private Utf8() {
  }

  /** @throws IllegalArgumentException if {@code value} has an unpaired surrogate, which UTF-8 cannot encode */
  static byte[] encode(String value, String field) {
    byte[] ascii = asciiBytes(value);
    if (ascii != null) {
      return ascii;
    }
    CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      ByteBuffer encoded = encoder.encode(CharBuffer.wrap(value));
      byte[] bytes = new byte[encoded.remaining()];
      encoded.get(bytes);
      return bytes;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(field + " has an unpaired surrogate, which UTF-8 cannot encode");
    }
  }

  /**
   * The bytes of an all-ASCII string, else null. Event and procedure names are nearly always ASCII and are encoded
   * for every frame written, to every peer: this spares each of those a strict encoder and its buffers.
   */
  private static byte[] asciiBytes(String value) {
    int length = value.length();
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c >= 0x80) {
        return null;
      }
      bytes[i] = (byte) c;
    }
    return bytes;
  }

  /** @throws WireFormatException INVALID_UTF8, naming {@code what} and the offending byte */
  static String decode(byte[] bytes, String what) {
    if (isAscii(bytes)) {
      // Event and procedure names, read from every frame: ASCII is valid UTF-8, and needs no decoder.
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      return decoder.decode(in).toString();
    } catch (CharacterCodingException e) {
      // The decoder stops at the start of the malformed sequence.
      throw new WireFormatException(WireFormatException.Reason.INVALID_UTF8,
          what + " is not valid UTF-8 (malformed at offset " + in.position() + " of " + bytes.length + " bytes)");
    }
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The longest prefix of {@code value} that fits in {@code maxBytes} of UTF-8, cut between code points, so a
   * locally made explanation of any length can still be sent.
   */
  static String clip(String value, int maxBytes) {
    int bytes = 0;
    int end = 0;
    while (end < value.length()) {
      int codePoint = value.codePointAt(end);
      int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
      if (bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      end += Character.charCount(codePoint);
    }
    return value.substring(0, end);
  }
}
