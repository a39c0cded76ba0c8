package org.peermesh.peer.echo;

import io.vertx.core.buffer.Buffer;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.PeerViolation;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** A u16 big-endian length, then that many bytes of UTF-8: one {@link EchoMessage} per frame. */
final class EchoCodec implements FrameCodec<EchoMessage> {

  /** What earlier chunks left of a frame: less than one, as each length is checked once its two bytes are in. */
  private Buffer pending = Buffer.buffer();
  private int maxLength = EchoMessage.MAX_LENGTH;

  @Override
  public void decode(Buffer chunk, Sink<EchoMessage> sink) {
    pending.appendBuffer(chunk);
    int start = 0;
    while (pending.length() - start >= 2) {
      int length = pending.getUnsignedShort(start);
      if (length == 0 || length > maxLength) {
        throw new PeerViolation(EchoProtocol.violation("bad_length", "a frame of " + length + " bytes, not 1 to "
            + maxLength));
      }
      if (pending.length() - start - 2 < length) {
        break;
      }
      Buffer payload = pending.getBuffer(start + 2, start + 2 + length);
      start += 2 + length;
      sink.message(parse(payload), payload, 2 + length);
    }
    pending = pending.getBuffer(start, pending.length());
  }

  @Override
  public void limitMessageSize(int maxMessageSize, String limitName) {
    maxLength = Math.min(maxMessageSize, EchoMessage.MAX_LENGTH);
  }

  @Override
  public int unfinishedFrameSize() {
    return pending.length() < 2 ? 0 : pending.getUnsignedShort(0);
  }

  private static EchoMessage parse(Buffer payload) {
    String line;
    try {
      // A decoder of its own reports malformed input; new String(...) would replace it.
      line = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(payload.getBytes())).toString();
    } catch (CharacterCodingException e) {
      throw new PeerViolation(EchoProtocol.violation("invalid_utf8", "a frame that is not UTF-8"));
    }
    try {
      return EchoMessage.parse(line);
    } catch (IllegalArgumentException e) {
      throw new PeerViolation(EchoProtocol.violation("malformed", e.getMessage()));
    }
  }

  @Override
  public void encode(EchoMessage message, Buffer out) {
    byte[] line = message.line().getBytes(StandardCharsets.UTF_8);
    out.appendUnsignedShort(line.length).appendBytes(line);
  }
}
