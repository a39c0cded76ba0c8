package org.peermesh.bitcoin.peer;

import io.vertx.core.buffer.Buffer;
import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.bitcoin.wire.BitcoinFrameDecoder;
import org.peermesh.bitcoin.wire.BitcoinFrames;
import org.peermesh.bitcoin.wire.BitcoinMessage;
import org.peermesh.bitcoin.wire.BitcoinMessages;
import org.peermesh.bitcoin.wire.BitcoinWireException;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.PeerViolation;
import org.peermesh.peer.Refusal;

import java.util.Locale;

/**
 * Bitcoin's framing for one connection ({@link BitcoinFrameDecoder}), with each payload decoded into its message.
 * Bytes that are not a frame where one should start end the connection before the first frame, as a peer of another
 * network or protocol; later they are skipped to the next frame, as p2p-node does, and reported.
 */
final class BitcoinCodec implements FrameCodec<BitcoinMessage> {

  /**
   * What a framing or decoding violation costs a peer's score (100 bans): Bitcoin Core scores an oversized or
   * malformed message 20, so a peer that keeps sending them is banned at the fifth.
   */
  static final int MALFORMED_MESSAGE_PENALTY = 20;

  private final BitcoinNetwork network;
  private final BitcoinFrameDecoder decoder;
  private boolean framed;
  private Sink<BitcoinMessage> sink;
  private final BitcoinFrameDecoder.Listener frames = new BitcoinFrameDecoder.Listener() {
    @Override
    public void frame(String command, Buffer payload) {
      BitcoinMessage message;
      try {
        message = BitcoinMessages.decode(command, payload);
      } catch (BitcoinWireException e) {
        throw violation("malformed_" + command, e.getMessage());
      }
      framed = true;
      sink.message(message, payload, BitcoinFrames.HEADER_SIZE + payload.length());
    }

    @Override
    public void garbage(int skippedBytes) {
      if (!framed) {
        throw violation("bad_magic", skippedBytes + " bytes that do not start with network " + network.name()
            + "'s magic " + network.magicHex());
      }
      sink.skipped("garbage", "skipped " + skippedBytes + " bytes to the next message start");
    }
  };

  BitcoinCodec(BitcoinNetwork network, int maxPayloadSize) {
    this.network = network;
    this.decoder = new BitcoinFrameDecoder(network.magic(), maxPayloadSize);
  }

  @Override
  public void decode(Buffer chunk, Sink<BitcoinMessage> sink) {
    this.sink = sink;
    try {
      decoder.feed(chunk, frames);
    } catch (BitcoinWireException e) {
      throw violation(e.reason().name().toLowerCase(Locale.ROOT), e.getMessage());
    }
  }

  @Override
  public void limitMessageSize(int maxMessageSize, String limitName) {
    decoder.limit(maxMessageSize, limitName);
  }

  @Override
  public int unfinishedFrameSize() {
    return decoder.unfinishedPayloadLength();
  }

  @Override
  public void encode(BitcoinMessage message, Buffer out) {
    BitcoinFrames.encodeTo(network.magic(), message, out);
  }

  private static PeerViolation violation(String kind, String detail) {
    return new PeerViolation(Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, kind, detail,
        MALFORMED_MESSAGE_PENALTY));
  }
}
