package org.peermesh.antelope.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * The byte-exact vectors of the shared antelope-vectors.json (built with @wharfkit/antelope 1.2.0 and to nodeos' layout),
 * copied into the test resources so the tests need nothing outside the repository.
 */
public final class AntelopeVectors {

  public static final String RESOURCE = "/org/peermesh/antelope/antelope-vectors.json";
  /** The vectors in wharfkit's layout where it differs from nodeos': they must not decode. */
  public static final List<String> WHARFKIT_ONLY = List.of("notice_wharfkit", "request_wharfkit");

  private AntelopeVectors() {
  }

  public static JsonObject all() {
    try (InputStream in = AntelopeVectors.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + RESOURCE);
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<JsonObject> vectors() {
    return all().getJsonArray("vectors").stream().map(JsonObject.class::cast).toList();
  }

  public static JsonObject named(String name) {
    return vectors().stream().filter(vector -> vector.getString("name").equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no vector " + name));
  }

  /** The whole frame: length prefix and payload. */
  public static Buffer envelope(JsonObject vector) {
    return Buffer.buffer(HexFormat.of().parseHex(vector.getString("envelope")));
  }

  /** The frame without its length prefix. */
  public static Buffer payload(JsonObject vector) {
    Buffer envelope = envelope(vector);
    return envelope.getBuffer(AntelopeMessages.LENGTH_PREFIX_SIZE, envelope.length());
  }

  public static boolean decodes(JsonObject vector) {
    return !WHARFKIT_ONLY.contains(vector.getString("name"));
  }
}
