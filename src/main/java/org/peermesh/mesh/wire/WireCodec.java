package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;
import org.peermesh.mesh.wire.WireFormatException.Reason;

import java.util.function.Function;

/**
 * Converts between messages and frames ({@code length:u32 | type:u8 | body}). Pure functions of
 * their arguments; {@link FrameDecoder} cuts the byte stream into the frames {@link #decode} takes.
 */
public final class WireCodec {

  private static final int LENGTH_PREFIX_BYTES = 4;

  private WireCodec() {
  }

  /** The message as a whole frame, length prefix included. */
  public static Buffer encode(WireMessage message) {
    Buffer out = Buffer.buffer();
    encodeTo(message, out);
    return out;
  }

  /** Appends the message as a whole frame, so that many frames can go out in one write. */
  public static void encodeTo(WireMessage message, Buffer out) {
    int start = out.length();
    out.appendInt(0); // the length is known once the body is written
    out.appendByte(message.type());
    message.writeBody(out);
    out.setInt(start, out.length() - start - LENGTH_PREFIX_BYTES);
  }

  /**
   * Decodes a frame without its length prefix, as {@link FrameDecoder} hands it on.
   *
   * @throws WireFormatException if the frame breaks the protocol; {@link Reason#UNKNOWN_TYPE} alone
   *     leaves the stream intact, so the caller may skip the frame
   */
  public static WireMessage decode(Buffer frame) {
    if (frame.length() == 0) {
      throw new WireFormatException(Reason.EMPTY_FRAME, "frame has no type byte");
    }
    byte type = frame.getByte(0);
    return switch (type) {
      case WireMessage.HELLO -> read("Hello", frame, Hello::read);
      case WireMessage.AUTH -> read("Auth", frame, Auth::read);
      case WireMessage.DISCONNECT -> read("Disconnect", frame, Disconnect::read);
      case WireMessage.PING -> read("Ping", frame, Ping::read);
      case WireMessage.PONG -> read("Pong", frame, Pong::read);
      case WireMessage.APP_MESSAGE -> read("AppMessage", frame, AppMessage::read);
      case WireMessage.REQUEST -> read("Request", frame, Request::read);
      case WireMessage.RESPONSE -> read("Response", frame, Response::read);
      case WireMessage.NODE_INFO_UPDATE -> read("NodeInfoUpdate", frame, NodeInfoUpdate::read);
      default -> throw new WireFormatException(Reason.UNKNOWN_TYPE,
          String.format("unknown message type 0x%02x (%d-byte body)", type, frame.length() - 1));
    };
  }

  private static WireMessage read(String name, Buffer frame, Function<BodyReader, WireMessage> reader) {
    BodyReader body = new BodyReader(name, frame);
    WireMessage message;
    try {
      message = reader.apply(body);
    } catch (IllegalArgumentException e) {
      // A message constructor rejected a field: from a peer that is a format error, not our bug.
      throw new WireFormatException(Reason.INVALID_FIELD, name + " frame: " + e.getMessage(), e);
    }
    body.requireEnd();
    return message;
  }
}
