package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.mesh.wire.WireFormatException.Reason;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable JSON value held as its UTF-8 encoding. A message broadcast to many peers is encoded
 * once and the same bytes written to each; a received value is decoded once, when it is validated.
 * Two payloads are equal when their bytes are.
 *
 * <p>Whatever it holds, every consumer can encode again, inside any envelope: objects and arrays nest at most {@link
 * #MAX_DEPTH} deep and strings are Unicode text, whether a peer sent it ({@link #parse} refuses it otherwise) or a
 * local sender gave it ({@link #of} refuses it otherwise, rather than have the peer disconnect us for it).
 */
public final class JsonPayload {

  /** How deep objects and arrays may nest in a payload, either way: {@code []} is 1 deep, a scalar 0. */
  public static final int MAX_DEPTH = JsonLimits.MAX_DEPTH;

  /** Stands for "not decoded yet", since JSON {@code null} decodes to {@code null}. */
  private static final Object NOT_DECODED = new Object();

  private final byte[] bytes;
  /**
   * The decoded value. Payloads built with {@link #of} decode only if someone asks, which senders
   * rarely do. Volatile so that a JsonObject decoded on one thread is seen whole by another; a race
   * only decodes twice to equal values.
   */
  private volatile Object decoded;

  private JsonPayload(byte[] bytes, Object decoded) {
    this.bytes = bytes;
    this.decoded = decoded;
  }

  /**
   * Encodes a JSON value: JsonObject, JsonArray, String, Number, Boolean or {@code null}.
   *
   * @throws IllegalArgumentException if {@code value} nests deeper than {@link #MAX_DEPTH} or has a string with an
   *     unpaired surrogate: what a peer would refuse, and disconnect the sender for
   * @throws io.vertx.core.json.EncodeException if Vert.x cannot encode {@code value}
   */
  public static JsonPayload of(Object value) {
    if (value instanceof String text) {
      byte[] plain = PlainString.encode(text);
      if (plain != null) {
        return new JsonPayload(plain, text);
      }
    }
    byte[] bytes = JsonLimits.encode(value);
    int surrogate = JsonLimits.loneSurrogateEscape(bytes);
    if (surrogate >= 0) {
      throw new IllegalArgumentException("JSON value has a string with an unpaired surrogate ("
          + escapeAt(bytes, surrogate) + "), which is not Unicode text");
    }
    return new JsonPayload(bytes, NOT_DECODED);
  }

  /**
   * Validates and copies one JSON value.
   *
   * @throws WireFormatException INVALID_UTF8 if the bytes are not UTF-8, INVALID_JSON if they are not
   *     exactly one JSON value (empty bytes are not), INVALID_FIELD if the value nests deeper than {@link
   *     #MAX_DEPTH}, exceeds another of Jackson's limits or has a string with an unpaired surrogate
   */
  public static JsonPayload parse(Buffer bytes) {
    return parse(bytes.getBytes(), "JSON payload");
  }

  /** As {@link #parse(Buffer)}, taking ownership of {@code bytes}; errors start with {@code what}. */
  static JsonPayload parse(byte[] bytes, String what) {
    if (bytes.length == 0) {
      throw new WireFormatException(Reason.INVALID_JSON, what + " is empty, which is not JSON");
    }
    String plain = PlainString.decode(bytes);
    if (plain != null) {
      return new JsonPayload(bytes, plain);
    }
    String text = Utf8.decode(bytes, what);
    Object value;
    try {
      value = JsonLimits.decode(text);
    } catch (DecodeException e) {
      String limit = JsonLimits.limit(e);
      if (limit != null) {
        throw new WireFormatException(Reason.INVALID_FIELD, what + " " + limit, e);
      }
      // Jackson appends a multi-line source location that says nothing here.
      String detail = e.getMessage().lines().findFirst().orElse("");
      throw new WireFormatException(Reason.INVALID_JSON, what + " is not valid JSON: " + detail, e);
    }
    int badEscape = JsonLimits.malformedUnicodeEscape(bytes);
    if (badEscape >= 0) {
      throw new WireFormatException(Reason.INVALID_JSON, what + " is not valid JSON: a \\u escape without four hex"
          + " digits at offset " + badEscape);
    }
    int surrogate = JsonLimits.loneSurrogateEscape(bytes);
    if (surrogate >= 0) {
      throw new WireFormatException(Reason.INVALID_FIELD, what + " has a string with an unpaired surrogate ("
          + escapeAt(bytes, surrogate) + " at offset " + surrogate + "), which is not Unicode text");
    }
    return new JsonPayload(bytes, FrozenJson.value(value));
  }

  /** The six characters of the escape at {@code offset}, for an error to quote. */
  private static String escapeAt(byte[] json, int offset) {
    return new String(json, offset, 6, StandardCharsets.US_ASCII);
  }

  /**
   * The decoded value: JsonObject, JsonArray, String, Number, Boolean or {@code null}. A JsonObject
   * or JsonArray is a fresh copy on each call, since those are mutable.
   */
  public Object value() {
    Object value = frozenValue();
    if (value instanceof JsonObject object) {
      return object.copy();
    }
    if (value instanceof JsonArray array) {
      return array.copy();
    }
    return value;
  }

  /**
   * The decoded value, shared: a JsonObject or JsonArray is {@link FrozenJson frozen}, the same instance on every
   * call, for handing to many readers without a copy each.
   */
  public Object frozenValue() {
    Object value = decoded;
    if (value == NOT_DECODED) {
      value = FrozenJson.value(JsonLimits.decode(new String(bytes, StandardCharsets.UTF_8)));
      decoded = value;
    }
    return value;
  }

  /** The length of the encoding in bytes. */
  public int length() {
    return bytes.length;
  }

  public void writeTo(Buffer out) {
    out.appendBytes(bytes);
  }

  /** A copy of the encoding. */
  public Buffer toBuffer() {
    return Buffer.buffer(bytes);
  }

  /** Whether the value is a JSON object, read off the first non-whitespace byte without decoding. */
  public boolean isObject() {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return b == '{';
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonPayload other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The JSON text. */
  @Override
  public String toString() {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
