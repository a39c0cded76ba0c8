package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;
import org.peermesh.peer.DisconnectReason;

/**
 * Why the sender is about to close the connection. Codes the node sends are listed in
 * {@link DisconnectReason}; any u16 is accepted, so a newer peer's codes still arrive.
 *
 * <pre>
 * code   u16
 * reason the rest of the frame, UTF-8, at most 1024 bytes, may be empty
 * </pre>
 */
public record Disconnect(int code, String reason) implements WireMessage {

  public static final int MAX_REASON_BYTES = 1024;

  public Disconnect {
    Fields.requireU16(code, "code");
    Fields.requireUtf8(reason, "reason", 0, MAX_REASON_BYTES);
  }

  /** A Disconnect whose reason is clipped to {@link #MAX_REASON_BYTES}: for explanations written by this node. */
  public static Disconnect of(int code, String reason) {
    return new Disconnect(code, Utf8.clip(reason, MAX_REASON_BYTES));
  }

  static Disconnect read(BodyReader in) {
    return new Disconnect(in.u16("code"), in.restString("reason"));
  }

  @Override
  public byte type() {
    return DISCONNECT;
  }

  @Override
  public void writeBody(Buffer out) {
    out.appendUnsignedShort(code).appendBytes(Utf8.encode(reason, "reason"));
  }
}
