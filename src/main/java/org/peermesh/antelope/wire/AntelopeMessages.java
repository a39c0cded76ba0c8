package org.peermesh.antelope.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * nodeos' {@code net_message} as a whole: a frame is a u32 little-endian length and a payload, the payload a varuint
 * variant index and that variant's fields. Decodes payloads into {@link AntelopeMessage}s, frames messages, and
 * builds them from their JSON by type name for the event bus.
 */
public final class AntelopeMessages {

  /** Bytes of the length prefix before each payload. */
  public static final int LENGTH_PREFIX_SIZE = 4;
  private AntelopeMessages() {
  }

  /**
   * The message of a frame's payload (the frame without its length prefix).
   *
   * @throws AntelopeWireException for an unknown variant (nodeos knows 0 to 13), fields that do not decode, or bytes
   *     after the last field
   */
  public static AntelopeMessage decode(Buffer payload) {
    FcReader in = new FcReader(payload);
    long variant = in.varuint32("variant index");
    NetMessageType type = NetMessageType.ofIndex(variant).orElseThrow(() -> new AntelopeWireException(
        "unknown_variant", "net_message variant " + variant + " is unknown (0.." + (NetMessageType.values().length - 1)
        + ")"));
    AntelopeMessage message = type.decode(in);
    in.requireEnd(type.typeName());
    return message;
  }

  /** Appends {@code message}'s whole frame to {@code out}: the u32 little-endian length, the index, the fields. */
  public static void encode(AntelopeMessage message, Buffer out) {
    int start = out.length();
    out.appendIntLE(0);
    message.encode(new FcWriter(out).varuint32(message.variant()));
    out.setIntLE(start, out.length() - start - LENGTH_PREFIX_SIZE);
  }

  /** The payload of {@code message}'s frame: the index and the fields, without the length prefix. */
  public static Buffer payload(AntelopeMessage message) {
    FcWriter out = new FcWriter().varuint32(message.variant());
    message.encode(out);
    return out.buffer();
  }

  /**
   * The message of type {@code typeName} (one of {@link #typeNames()}) from its JSON form; derived fields ({@code id},
   * {@code blockNum}, {@code reasonName}) are ignored. Spring's pass-through types take {@code {"body": hex}}.
   *
   * @throws IllegalArgumentException naming the unknown type or the bad field
   */
  public static AntelopeMessage fromJson(String typeName, JsonObject json) {
    return NetMessageType.ofName(typeName).orElseThrow(() -> new IllegalArgumentException(
        "unknown Antelope message type '" + typeName + "', not one of " + NetMessageType.typeNames())).fromJson(json);
  }

  /** Every type name, in variant order: index i is variant i. */
  public static List<String> typeNames() {
    return NetMessageType.typeNames();
  }
}
