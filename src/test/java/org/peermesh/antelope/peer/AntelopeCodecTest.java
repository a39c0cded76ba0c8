package org.peermesh.antelope.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peermesh.antelope.wire.AntelopeFrameDecoder;
import org.peermesh.antelope.wire.AntelopeMessage;
import org.peermesh.antelope.wire.AntelopeMessages;
import org.peermesh.antelope.wire.AntelopeSamples;
import org.peermesh.antelope.wire.AntelopeVectors;
import org.peermesh.antelope.wire.TimeMessage;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.PeerViolation;
import org.peermesh.peer.Refusal;

/** The codec the peer layer runs: frames to messages, and every bad byte a violation with its kind. */
class AntelopeCodecTest {

  private final AntelopeCodec codec = new AntelopeCodec(AntelopeFrameDecoder.MAX_MESSAGE_SIZE);
  private final List<AntelopeMessage> messages = new ArrayList<>();
  private final List<Buffer> payloads = new ArrayList<>();
  private final FrameCodec.Sink<AntelopeMessage> sink = (message, payload) -> {
    messages.add(message);
    payloads.add(payload);
  };

  @Test
  void decodesEveryVectorAndEncodesTheSameFrames() {
    Buffer stream = Buffer.buffer();
    AntelopeVectors.vectors().stream().filter(AntelopeVectors::decodes)
        .filter(vector -> vector.getBoolean("roundTrip", false) && !vector.getString("name").contains("wharfkit"))
        .forEach(vector -> stream.appendBuffer(AntelopeVectors.envelope(vector)));
    codec.decode(stream, sink);
    Buffer encoded = Buffer.buffer();
    messages.forEach(message -> codec.encode(message, encoded));
    assertEquals(stream, encoded);
    assertEquals(messages.stream().map(AntelopeMessages::payload).toList(), payloads);
  }

  @Test
  void samplesSplitAcrossReadsDecode() {
    Buffer stream = Buffer.buffer();
    AntelopeSamples.all().forEach(message -> codec.encode(message, stream));
    for (int position = 0; position < stream.length(); position += 7) {
      codec.decode(stream.getBuffer(position, Math.min(stream.length(), position + 7)), sink);
    }
    assertEquals(AntelopeSamples.all(), messages);
    assertEquals(0, codec.unfinishedFrameSize());
  }

  @Test
  void aMalformedMessageIsAProtocolViolation() {
    Refusal refusal = violation(Buffer.buffer().appendIntLE(1).appendByte((byte) 14));
    assertEquals(DisconnectReason.PROTOCOL_VIOLATION, refusal.reason());
    assertEquals("unknown_variant", refusal.kind());
    assertEquals(AntelopeCodec.MALFORMED_MESSAGE_PENALTY, refusal.penalty());
    assertEquals("truncated", violation(Buffer.buffer().appendIntLE(2).appendByte((byte) 3).appendByte((byte) 0))
        .kind());
  }

  @Test
  void framingViolationsAndTheLimit() {
    assertEquals("bad_length", violation(Buffer.buffer().appendIntLE(0)).kind());
    AntelopeCodec small = new AntelopeCodec(AntelopeFrameDecoder.MAX_MESSAGE_SIZE);
    small.limitMessageSize(16, "maxHandshakeMessageSize");
    Buffer time = Buffer.buffer();
    small.encode(new TimeMessage(0, 0, 1, 0), time);
    Refusal refusal = assertThrows(PeerViolation.class, () -> small.decode(time, sink)).refusal();
    assertEquals("message_too_large", refusal.kind());
  }

  @Test
  void unfinishedFrameSizeIsTheDeclaredPayloadLength() {
    codec.decode(Buffer.buffer().appendIntLE(1000).appendByte((byte) 7), sink);
    assertEquals(1000, codec.unfinishedFrameSize());
  }

  private Refusal violation(Buffer bytes) {
    AntelopeCodec fresh = new AntelopeCodec(AntelopeFrameDecoder.MAX_MESSAGE_SIZE);
    return assertThrows(PeerViolation.class, () -> fresh.decode(bytes, sink)).refusal();
  }
}
