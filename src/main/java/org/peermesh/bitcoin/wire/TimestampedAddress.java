package org.peermesh.bitcoin.wire;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.peermesh.json.JsonFields;

/**
 * An {@code addr} (v1) entry: when the address was last seen, and the address.
 *
 * <pre>
 * time u32 (unix seconds) | {@link NetworkAddress}      (30 bytes)
 * </pre>
 *
 * JSON: {@code {"host": ..., "port": n, "services": n, "time": n}}.
 */
public record TimestampedAddress(long time, NetworkAddress address) {

  /** Serialized size in bytes. */
  public static final int SIZE = 4 + NetworkAddress.SIZE;

  public TimestampedAddress {
    Fields.requireU32(time, "time");
    Objects.requireNonNull(address, "address");
  }

  static TimestampedAddress read(PayloadReader in, String field) {
    long time = in.u32(field + ".time");
    return new TimestampedAddress(time, NetworkAddress.read(in, field));
  }

  void writeTo(PayloadWriter out) {
    out.u32(time);
    address.writeTo(out);
  }

  static TimestampedAddress fromJson(JsonFields json) {
    return new TimestampedAddress(json.u32("time"), NetworkAddress.fromJson(json));
  }

  public JsonObject toJson() {
    return address.toJson().put("time", time);
  }
}
