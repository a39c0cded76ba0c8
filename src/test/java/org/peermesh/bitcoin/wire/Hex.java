package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Test vectors as hex: inline, or from a file under src/test/resources/bitcoin/. */
final class Hex {

  private Hex() {
  }

  static Buffer buffer(String hex) {
    return Buffer.buffer(HexFormat.of().parseHex(hex.replace(" ", "")));
  }

  static String of(Buffer buffer) {
    return HexFormat.of().formatHex(buffer.getBytes());
  }

  static String of(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static Buffer resource(String name) {
    try (InputStream in = Hex.class.getResourceAsStream("/bitcoin/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource bitcoin/" + name);
      }
      return buffer(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
