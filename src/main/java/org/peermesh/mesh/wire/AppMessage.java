package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;

import java.util.Objects;

/**
 * A one-way application event.
 *
 * <pre>
 * event u16 length | UTF-8, 1 to 255 bytes
 * data  the rest of the frame, any JSON value
 * </pre>
 */
public record AppMessage(String event, JsonPayload data) implements WireMessage {

  public static final int MAX_EVENT_BYTES = 255;

  public AppMessage {
    Fields.requireUtf8(event, "event", 1, MAX_EVENT_BYTES);
    Objects.requireNonNull(data, "data");
  }

  /** The length-prefixed frame's length field: type, event length, event and data. */
  public long frameLength() {
    return 1L + 2 + Utf8.encode(event, "event").length + data.length();
  }

  static AppMessage read(BodyReader in) {
    return new AppMessage(in.string16("event"), in.restJson("data"));
  }

  @Override
  public byte type() {
    return APP_MESSAGE;
  }

  @Override
  public void writeBody(Buffer out) {
    byte[] eventBytes = Utf8.encode(event, "event");
    out.appendUnsignedShort(eventBytes.length).appendBytes(eventBytes);
    data.writeTo(out);
  }
}
