package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import org.peermesh.json.JsonFields;

/**
 * A block or block header extension: a u16 type and opaque bytes (Spring's blocks all carry header extension 2,
 * the finality data). Passed through without interpretation. JSON: {@code {"type": n, "data": hex}}.
 */
public record Extension(int type, byte[] data) {

  /** A u16 type and an empty byte string. */
  static final int MIN_ENCODED_SIZE = 3;

  public Extension {
    FcRange.u16("type", type);
    data = data.clone();
  }

  public static Extension decode(FcReader in) {
    return new Extension(in.u16("extension type"), in.bytes("extension data"));
  }

  static Extension fromJson(JsonFields in) {
    return new Extension(in.u16("type"), in.hex("data"));
  }

  /** A copy of the extension's bytes. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  public void encode(FcWriter out) {
    out.u16(type).bytes(data);
  }

  public JsonObject toJson() {
    return new JsonObject().put("type", type).put("data", JsonFields.hex(data));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Extension other && type == other.type && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return 31 * type + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Extension[type=" + type + ", data=" + JsonFields.hex(data) + "]";
  }
}
