package org.peermesh.antelope.peer;

import io.vertx.core.buffer.Buffer;
import org.peermesh.antelope.wire.AntelopeFrameDecoder;
import org.peermesh.antelope.wire.AntelopeMessage;
import org.peermesh.antelope.wire.AntelopeMessages;
import org.peermesh.antelope.wire.AntelopeWireException;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.PeerViolation;
import org.peermesh.peer.Refusal;

/**
 * Antelope's framing for one connection ({@link AntelopeFrameDecoder}), with each payload decoded into its message.
 * Every framing or decoding failure ends the connection, as nodeos closes it on a bad length, an unknown variant or
 * an unpack failure; the refusal's kind is the {@link AntelopeWireException#kind()}.
 */
public final class AntelopeCodec implements FrameCodec<AntelopeMessage> {

  /**
   * What a framing or decoding violation costs a peer's score (100 bans). nodeos only closes the connection and lets
   * the peer reconnect; the score is the pool's own policy, the same as Bitcoin Core's 20 for a malformed message, so
   * a peer that keeps sending bad frames is banned at the fifth whatever protocol it speaks, while one bad frame
   * from a peer on a newer protocol version costs a reconnect, not a ban.
   */
  public static final int MALFORMED_MESSAGE_PENALTY = 20;

  private final AntelopeFrameDecoder decoder;
  private Sink<AntelopeMessage> sink;
  private final AntelopeFrameDecoder.Listener frames = payload -> sink.message(AntelopeMessages.decode(payload),
      payload, AntelopeMessages.LENGTH_PREFIX_SIZE + payload.length());

  /** @param maxMessageSize the largest payload accepted, {@link AntelopeFrameDecoder#MAX_MESSAGE_SIZE} for nodeos' */
  public AntelopeCodec(int maxMessageSize) {
    this.decoder = new AntelopeFrameDecoder(maxMessageSize);
  }

  @Override
  public void decode(Buffer chunk, Sink<AntelopeMessage> sink) {
    this.sink = sink;
    try {
      decoder.feed(chunk, frames);
    } catch (AntelopeWireException e) {
      throw new PeerViolation(Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, e.kind(), e.detail(),
          MALFORMED_MESSAGE_PENALTY));
    }
  }

  @Override
  public void limitMessageSize(int maxMessageSize, String limitName) {
    decoder.limit(maxMessageSize, limitName);
  }

  @Override
  public int unfinishedFrameSize() {
    return decoder.unfinishedFrameSize();
  }

  @Override
  public void encode(AntelopeMessage message, Buffer out) {
    AntelopeMessages.encode(message, out);
  }
}
