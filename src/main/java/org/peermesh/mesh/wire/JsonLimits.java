package org.peermesh.mesh.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.jackson.DatabindCodec;

import java.io.IOException;

/**
 * The JSON a peer may send beyond RFC 8259, so that whatever the node accepts it can hand on: a message's data is
 * encoded again inside the event's body, the TCP bridge's frame and, in a cluster, the event bus's wire, and Jackson
 * encodes nothing nested deeper than 1000 (its StreamWriteConstraints), nor, with Vert.x's recursive serializers,
 * anything much deeper than 400 on a 256 KiB thread stack. Data 999 deep, within Jackson's own read limit, was
 * accepted and published, and then lost without a word where the bridge's encoder overflowed its event loop's stack;
 * data nested at most {@link #MAX_DEPTH} deep leaves room for any envelope on any thread.
 *
 * <p>Both ways are held to the same rules, so that a local sender is refused (400) what its peers would refuse it
 * for (a disconnect and a penalty): nesting is checked by Jackson as it reads or writes, before anything deeper is
 * built; strings must be Unicode text (I-JSON, RFC 7493), as a peer's strings outside JSON already are.
 */
final class JsonLimits {

  /**
   * How deep objects and arrays may nest in a JSON field (a scalar is 0 deep, {@code []} 1). Well under Jackson's
   * 1000 less every envelope a value travels in, and a stack depth every thread has room for.
   */
  static final int MAX_DEPTH = 64;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      // What Vert.x's parser tolerates, as docs/wire-protocol.md says; senders write no comments.
      .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .build();

  private JsonLimits() {
  }

  /**
   * Decodes one JSON value as Vert.x does (objects as JsonObject), refusing what nests deeper than {@link #MAX_DEPTH}.
   *
   * @throws DecodeException if {@code text} is not one JSON value or exceeds a limit; {@link #limit} tells which
   */
  static Object decode(String text) {
    JsonParser parser;
    try {
      parser = FACTORY.createParser(text);
    } catch (IOException e) {
      throw new DecodeException(e.getMessage(), e);
    }
    return DatabindCodec.fromParser(parser, Object.class);
  }

  /**
   * The JSON of {@code value}, as Vert.x encodes it.
   *
   * @throws IllegalArgumentException if {@code value} nests deeper than {@link #MAX_DEPTH}
   * @throws EncodeException if Vert.x cannot encode {@code value}
   */
  static byte[] encode(Object value) {
    try (ByteArrayBuilder out = new ByteArrayBuilder()) {
      try (JsonGenerator generator = FACTORY.createGenerator(out)) {
        // Vert.x's serializers hand what a JsonObject holds back to the generator's codec.
        generator.setCodec(DatabindCodec.mapper());
        DatabindCodec.mapper().writeValue(generator, value);
      }
      return out.toByteArray();
    } catch (IOException e) {
      String limit = limit(e);
      if (limit != null) {
        throw new IllegalArgumentException("JSON value " + limit, e);
      }
      throw new EncodeException("Failed to encode as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * What a limit Jackson enforced says was exceeded (the nesting depth here, numbers of over 1000 digits, strings of
   * over 20 million characters, its defaults), or null if {@code error} is no such refusal.
   */
  static String limit(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof StreamConstraintsException exceeded) {
        return "exceeds a limit on peers' JSON: " + exceeded.getOriginalMessage().lines().findFirst().orElse("");
      }
    }
    return null;
  }

  /**
   * Where {@code json}, a JSON text, escapes a surrogate that is not half of a pair ({@code "\ud800"}): a string no
   * UTF-8 consumer can carry (the bridge sends it as {@code ?}, a strict decoder refuses it), or -1 if it has none.
   * Strict UTF-8 cannot encode a surrogate, so an escape is the only way one gets in; a backslash occurs only in a
   * string (or a comment, which senders do not write).
   */
  static int loneSurrogateEscape(byte[] json) {
    int length = json.length;
    for (int i = 0; i < length; i++) {
      if (json[i] != '\\') {
        continue;
      }
      int unit = unicodeEscape(json, i);
      if (unit < 0) {
        i++; // an escape of one character, perhaps a backslash: not the start of another
      } else if (Character.isLowSurrogate((char) unit)) {
        return i;
      } else if (Character.isHighSurrogate((char) unit)) {
        int low = unicodeEscape(json, i + 6);
        if (low < 0 || !Character.isLowSurrogate((char) low)) {
          return i;
        }
        i += 11;
      } else {
        i += 5;
      }
    }
    return -1;
  }

  /**
   * Where {@code json} has a {@code \}{@code u} escape without four ASCII hex digits after it, or -1. Jackson reads
   * a non-ASCII character there by its low byte ({@code \}{@code ude0ф} as {@code \}{@code ude0D}), which JSON does
   * not allow and which would slip a surrogate past {@link #loneSurrogateEscape}.
   */
  static int malformedUnicodeEscape(byte[] json) {
    for (int i = 0; i < json.length - 1; i++) {
      if (json[i] != '\\') {
        continue;
      }
      if (json[i + 1] == 'u' && unicodeEscape(json, i) < 0) {
        return i;
      }
      i++; // the escaped character, perhaps a backslash: not the start of another escape
    }
    return -1;
  }

  /** The code unit of a {@code \}{@code uXXXX} escape at {@code at}, or -1 if there is none there. */
  private static int unicodeEscape(byte[] json, int at) {
    if (at + 6 > json.length || json[at] != '\\' || json[at + 1] != 'u') {
      return -1;
    }
    int unit = 0;
    for (int i = at + 2; i < at + 6; i++) {
      int digit = Character.digit(json[i], 16);
      if (digit < 0) {
        return -1;
      }
      unit = unit << 4 | digit;
    }
    return unit;
  }
}
