package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;

import java.util.Objects;

/**
 * A call of a procedure on the peer, answered by the {@link Response} with the same id.
 *
 * <pre>
 * id        u64, chosen by the caller, unique among its calls pending on this connection
 * procedure u16 length | UTF-8, 1 to 255 bytes
 * data      the rest of the frame, any JSON value
 * </pre>
 */
public record Request(long id, String procedure, JsonPayload data) implements WireMessage {

  public static final int MAX_PROCEDURE_BYTES = 255;

  public Request {
    Fields.requireUtf8(procedure, "procedure", 1, MAX_PROCEDURE_BYTES);
    Objects.requireNonNull(data, "data");
  }

  /** The length-prefixed frame's length field: type, id, procedure length, procedure and data. */
  public long frameLength() {
    return 1L + 8 + 2 + Utf8.encode(procedure, "procedure").length + data.length();
  }

  static Request read(BodyReader in) {
    return new Request(in.u64("id"), in.string16("procedure"), in.restJson("data"));
  }

  @Override
  public byte type() {
    return REQUEST;
  }

  @Override
  public void writeBody(Buffer out) {
    byte[] procedureBytes = Utf8.encode(procedure, "procedure");
    out.appendLong(id).appendUnsignedShort(procedureBytes.length).appendBytes(procedureBytes);
    data.writeTo(out);
  }
}
