package org.peermesh.devp2p.peer;

import io.vertx.core.buffer.Buffer;
import org.peermesh.devp2p.base.BaseMessageCodes;
import org.peermesh.devp2p.base.HelloMessage;
import org.peermesh.devp2p.rlpx.RlpxException;
import org.peermesh.devp2p.rlpx.RlpxFrameCodec;
import org.peermesh.devp2p.rlpx.RlpxSecrets;
import org.peermesh.devp2p.rlpx.SnappyCodec;
import org.peermesh.net.MalformedInputException;
import org.peermesh.peer.FrameCodec;

/**
 * The framing of an RLPx session: encrypted, MAC'd frames ({@link RlpxFrameCodec}), snappy-compressed from the
 * moment the peer's Hello says p2p version 5 or later (EIP-706), as go-ethereum does. The codec sees both Hellos go
 * by, so it knows when compression starts without being told: every message after the peer's Hello, both ways,
 * except a Hello itself.
 *
 * <p>A Disconnect is read compressed or not: ethereumjs sends it as a bare uncompressed integer even after a v5 Hello,
 * and a Disconnect sent instead of a Hello is never compressed. Every size is checked before allocating: the frame's
 * from its header, the decompressed one from snappy's length varint, both against the current limit.
 */
final class RlpxSessionCodec implements FrameCodec<RlpxMessage> {

  private final RlpxFrameCodec frames;
  /** The bytes read past the handshake packet, decoded with the first chunk (the layer hands it an empty one). */
  private byte[] leftover;
  private int maxMessageSize;
  private String limitName = "maxMessageSize";
  private boolean snappy;
  private Sink<RlpxMessage> sink;
  private final RlpxFrameCodec.FrameListener listener = this::frame;

  RlpxSessionCodec(RlpxSecrets secrets, byte[] leftover, int maxMessageSize) {
    this.frames = new RlpxFrameCodec(secrets, frameLimit(maxMessageSize));
    this.leftover = leftover;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  public void decode(Buffer chunk, Sink<RlpxMessage> sink) {
    this.sink = sink;
    byte[] bytes = chunk.getBytes();
    if (leftover != null) {
      byte[] first = leftover;
      leftover = null;
      feed(first);
    }
    feed(bytes);
  }

  private void feed(byte[] bytes) {
    if (bytes.length == 0) {
      return;
    }
    try {
      frames.feed(bytes, listener);
    } catch (RlpxException e) {
      throw e.kind().equals("too_large") ? Devp2pRefusals.malformed(e.kind(), e.detail() + " (" + limitName + ")")
          : Devp2pRefusals.malformed(e);
    }
  }

  private void frame(int code, byte[] body) {
    byte[] payload = body;
    if (snappy && code != BaseMessageCodes.HELLO) {
      payload = code == BaseMessageCodes.DISCONNECT ? disconnectPayload(body) : decompress(body);
    }
    if (payload.length > maxMessageSize) {
      // The frame's limit leaves room for the code: the message's own is checked here, before anyone reads it.
      throw Devp2pRefusals.malformed("too_large", "message of " + payload.length + " bytes, over the limit of "
          + maxMessageSize + " (" + limitName + ")");
    }
    if (code == BaseMessageCodes.HELLO) {
      snappy = peerSpeaksSnappy(payload);
    }
    sink.message(RlpxMessage.Frame.owning(code, payload), Buffer.buffer(payload),
        RlpxFrameCodec.wireLength(code, body.length));
  }

  private byte[] decompress(byte[] body) {
    try {
      return SnappyCodec.decompress(body, decodedLimit());
    } catch (RlpxException e) {
      throw Devp2pRefusals.malformed(e);
    }
  }

  /** A Disconnect as peers send it after a v5 Hello: compressed (go-ethereum, us) or plain RLP (ethereumjs). */
  private byte[] disconnectPayload(byte[] body) {
    try {
      return SnappyCodec.decompress(body, decodedLimit());
    } catch (RlpxException notSnappy) {
      return body;
    }
  }

  /** Whether the peer's Hello names p2p version 5 or later; a Hello that does not decode is the handshake's to refuse. */
  private static boolean peerSpeaksSnappy(byte[] helloPayload) {
    try {
      return HelloMessage.decode(helloPayload).usesSnappy();
    } catch (MalformedInputException e) {
      return false;
    }
  }

  @Override
  public void limitMessageSize(int maxMessageSize, String limitName) {
    this.maxMessageSize = maxMessageSize;
    this.limitName = limitName;
    frames.limit(frameLimit(maxMessageSize));
  }

  /** The most a snappy block may declare: the message's limit itself, not the frame's. */
  private int decodedLimit() {
    return Math.min(maxMessageSize, SnappyCodec.MAX_DECODED_SIZE);
  }

  /** The frame's limit for a message limit: a frame's body carries the code too, and RLPx frames stop at 16 MiB. */
  private static int frameLimit(int maxMessageSize) {
    return (int) Math.min(RlpxFrameCodec.MAX_FRAME_SIZE, maxMessageSize + 8L);
  }

  @Override
  public int unfinishedFrameSize() {
    return frames.unfinishedFrameSize();
  }

  @Override
  public void encode(RlpxMessage message, Buffer out) {
    if (!(message instanceof RlpxMessage.Frame frame)) {
      throw new IllegalStateException("a handshake packet after the handshake: " + message);
    }
    byte[] payload = frame.payloadArray();
    if (snappy && frame.code() != BaseMessageCodes.HELLO) {
      payload = SnappyCodec.compress(payload);
    }
    out.appendBytes(frames.encode(frame.code(), payload));
  }
}
