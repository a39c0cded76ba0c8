package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import org.peermesh.json.JsonFields;

/**
 * A Spring message this codec passes through without reading (vote, block nack, block notice, gossip of producer
 * peers, transaction notice: variants 9 to 13), so a Spring peer that sends one is not cut. Advertising a Leap
 * protocol version keeps Spring from sending them at all. JSON: {@code {"body": hex}}.
 *
 * @param variant 9..13
 * @param body the fields as they came, after the variant index
 */
public record UnknownMessage(int variant, byte[] body) implements AntelopeMessage {

  public static final int FIRST_VARIANT = NetMessageType.VOTE.index();
  public static final int LAST_VARIANT = NetMessageType.values().length - 1;

  public UnknownMessage {
    if (variant < FIRST_VARIANT || variant > LAST_VARIANT) {
      throw new IllegalArgumentException("variant " + variant + " is not a pass-through one (" + FIRST_VARIANT + ".."
          + LAST_VARIANT + ")");
    }
    body = body.clone();
  }

  /** The rest of {@code in} as the body of {@code variant}. */
  public static UnknownMessage decode(int variant, FcReader in) {
    return new UnknownMessage(variant, in.rest(NetMessageType.values()[variant].typeName()));
  }

  public static UnknownMessage fromJson(int variant, JsonObject json) {
    return new UnknownMessage(variant, FcJson.of(json).hex("body"));
  }

  /** A copy of the body. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public NetMessageType type() {
    return NetMessageType.values()[variant];
  }

  @Override
  public void encode(FcWriter out) {
    out.raw(body);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("body", JsonFields.hex(body));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnknownMessage other && variant == other.variant && Arrays.equals(body, other.body);
  }

  @Override
  public int hashCode() {
    return 31 * variant + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "UnknownMessage[" + typeName() + ", body=" + JsonFields.hex(body) + "]";
  }
}
