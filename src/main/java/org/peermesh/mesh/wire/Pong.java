package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;

/**
 * The answer to a {@link Ping}, echoing its payload.
 *
 * <pre>
 * payload u64, the Ping's payload
 * </pre>
 */
public record Pong(long payload) implements WireMessage {

  static Pong read(BodyReader in) {
    return new Pong(in.u64("payload"));
  }

  @Override
  public byte type() {
    return PONG;
  }

  @Override
  public void writeBody(Buffer out) {
    out.appendLong(payload);
  }
}
