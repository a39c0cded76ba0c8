package org.peermesh.mesh.wire;

import java.nio.charset.StandardCharsets;

/**
 * The JSON strings most data is sent as (hex or base64 blocks and transactions, identifiers): printable ASCII with no
 * quote or backslash, whose JSON text is the characters between two quotes. Such a string is encoded and decoded
 * here byte for byte, where a JSON library and a strict UTF-8 decoder would each take a pass over it and build
 * their buffers; anything else is left to them.
 */
final class PlainString {

  private PlainString() {
  }

  /** The JSON text of {@code value} if it is plain, else null. */
  static byte[] encode(String value) {
    int length = value.length();
    byte[] json = new byte[length + 2];
    json[0] = '"';
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (!isPlain(c)) {
        return null;
      }
      json[i + 1] = (byte) c;
    }
    json[length + 1] = '"';
    return json;
  }

  /** The string {@code json} is the text of, if it is a plain string with nothing around its quotes, else null. */
  static String decode(byte[] json) {
    int last = json.length - 1;
    if (last < 1 || json[0] != '"' || json[last] != '"') {
      return null;
    }
    for (int i = 1; i < last; i++) {
      if (!isPlain((char) (json[i] & 0xFF))) {
        return null;
      }
    }
    return new String(json, 1, last - 1, StandardCharsets.ISO_8859_1);
  }

  /** Printable ASCII but the quote and the backslash: what JSON neither escapes nor needs UTF-8 for. */
  private static boolean isPlain(char c) {
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
  }
}
