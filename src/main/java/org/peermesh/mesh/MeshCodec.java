package org.peermesh.mesh;

import io.vertx.core.buffer.Buffer;
import org.peermesh.mesh.wire.FrameDecoder;
import org.peermesh.mesh.wire.WireCodec;
import org.peermesh.mesh.wire.WireFormatException;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.PeerViolation;
import org.peermesh.peer.Refusal;
import org.peermesh.reputation.Penalty;

import java.util.Locale;

/**
 * The mesh protocol's framing for one connection: length-prefixed frames ({@link FrameDecoder}, the length checked
 * before any buffer) of one message each ({@link WireCodec}). During the handshake every version sends exactly Hello
 * and Auth, so a type this version does not know is a violation; once established ({@link #established}) a newer
 * minor version may send types we do not know, which are reported and skipped.
 */
public final class MeshCodec implements FrameCodec<WireMessage> {

  private final FrameDecoder frames;
  private final boolean skipsUnknownTypes;

  /** @param maxFrameSize the largest frame accepted, the mesh's {@code maxMessageSize} */
  public MeshCodec(int maxFrameSize) {
    this(new FrameDecoder(maxFrameSize), false);
  }

  private MeshCodec(FrameDecoder frames, boolean skipsUnknownTypes) {
    this.frames = frames;
    this.skipsUnknownTypes = skipsUnknownTypes;
  }

  /** The codec of the established session: the same stream position, unknown types skipped. */
  public MeshCodec established() {
    return new MeshCodec(frames, true);
  }

  @Override
  public void decode(Buffer chunk, Sink<WireMessage> sink) {
    try {
      frames.feed(chunk, frame -> {
        WireMessage message;
        try {
          message = WireCodec.decode(frame);
        } catch (WireFormatException e) {
          if (skipsUnknownTypes && e.reason() == WireFormatException.Reason.UNKNOWN_TYPE) {
            sink.skipped(kind(e), e.getMessage());
            return;
          }
          throw e;
        }
        sink.message(message, frame, FrameDecoder.LENGTH_PREFIX_BYTES + frame.length());
      });
    } catch (WireFormatException e) {
      throw new PeerViolation(Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, kind(e), e.getMessage(),
          Penalty.MALFORMED_FRAME.amount()));
    }
  }

  @Override
  public void limitMessageSize(int maxMessageSize, String limitName) {
    frames.limit(maxMessageSize, limitName);
  }

  @Override
  public int unfinishedFrameSize() {
    return frames.unfinishedFrameLength();
  }

  @Override
  public void encode(WireMessage message, Buffer out) {
    WireCodec.encodeTo(message, out);
  }

  private static String kind(WireFormatException e) {
    return e.reason().name().toLowerCase(Locale.ROOT);
  }
}
