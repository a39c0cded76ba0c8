package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;
import org.peermesh.json.JsonFields;

/**
 * nodeos' heartbeat and clock probe, NTP style: origin, receive, transmit and destination times, i64 nanoseconds
 * since the epoch (0 where not set). A ping is {@code {0, 0, now, 0}}; the answer echoes the ping's xmt as org.
 */
public record TimeMessage(long org, long rec, long xmt, long dst) implements AntelopeMessage {


  public static TimeMessage decode(FcReader in) {
    return new TimeMessage(in.i64("org"), in.i64("rec"), in.i64("xmt"), in.i64("dst"));
  }

  public static TimeMessage fromJson(JsonObject json) {
    JsonFields in = FcJson.of(json);
    return new TimeMessage(in.i64("org"), in.i64("rec"), in.i64("xmt"), in.i64("dst"));
  }

  @Override
  public void encode(FcWriter out) {
    out.i64(org).i64(rec).i64(xmt).i64(dst);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("org", FcJson.signedDecimal(org))
        .put("rec", FcJson.signedDecimal(rec))
        .put("xmt", FcJson.signedDecimal(xmt))
        .put("dst", FcJson.signedDecimal(dst));
  }

  @Override
  public NetMessageType type() {
    return NetMessageType.TIME;
  }
}
