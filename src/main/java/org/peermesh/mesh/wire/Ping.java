package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;

/**
 * A liveness probe; the peer answers with a {@link Pong} carrying the same payload, which lets the
 * sender match the answer to the probe and time the round trip.
 *
 * <pre>
 * payload u64, opaque (a Java long holds it bit for bit)
 * </pre>
 */
public record Ping(long payload) implements WireMessage {

  static Ping read(BodyReader in) {
    return new Ping(in.u64("payload"));
  }

  @Override
  public byte type() {
    return PING;
  }

  @Override
  public void writeBody(Buffer out) {
    out.appendLong(payload);
  }
}
