package org.peermesh.mesh;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.Ping;
import org.peermesh.mesh.wire.WireCodec;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.PeerViolation;
import org.peermesh.peer.Refusal;
import org.peermesh.reputation.Penalty;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MeshCodecTest {

  private static final int MAX_FRAME = 1024;

  private final List<WireMessage> messages = new ArrayList<>();
  private final List<String> skipped = new ArrayList<>();
  private final FrameCodec.Sink<WireMessage> sink = new FrameCodec.Sink<>() {
    @Override
    public void message(WireMessage message, Buffer payload) {
      assertEquals(WireCodec.encode(message).slice(Integer.BYTES, WireCodec.encode(message).length()), payload);
      messages.add(message);
    }

    @Override
    public void skipped(String kind, String detail) {
      skipped.add(kind);
    }
  };

  @Test
  void framesSplitAnywhereDecodeToTheirMessagesAndEncodeBack() {
    List<WireMessage> sent = List.of(new Ping(7), new AppMessage("chat", JsonPayload.of("hello")), new Ping(-1));
    MeshCodec codec = new MeshCodec(MAX_FRAME);
    Buffer stream = Buffer.buffer();
    sent.forEach(message -> codec.encode(message, stream));
    for (int i = 0; i < stream.length(); i++) {
      codec.decode(stream.getBuffer(i, i + 1), sink);
    }
    assertEquals(sent, messages);
  }

  @Test
  void aFrameOverTheLimitIsAViolationBeforeItsBodyArrives() {
    Buffer prefix = Buffer.buffer().appendInt(MAX_FRAME + 1);
    PeerViolation violation = assertThrows(PeerViolation.class, () -> new MeshCodec(MAX_FRAME).decode(prefix, sink));
    Refusal refusal = violation.refusal();
    assertEquals(DisconnectReason.PROTOCOL_VIOLATION, refusal.reason());
    assertEquals("frame_too_large", refusal.kind());
    assertEquals(Penalty.MALFORMED_FRAME.amount(), refusal.penalty());
    assertEquals("empty_frame", assertThrows(PeerViolation.class,
        () -> new MeshCodec(MAX_FRAME).decode(Buffer.buffer().appendInt(0), sink)).refusal().kind());
  }

  @Test
  void anUnknownTypeBreaksAHandshakeButIsSkippedOnceEstablished() {
    Buffer unknown = Buffer.buffer().appendInt(2).appendByte((byte) 0x7F).appendByte((byte) 0);
    assertEquals("unknown_type",
        assertThrows(PeerViolation.class, () -> new MeshCodec(MAX_FRAME).decode(unknown, sink)).refusal().kind());

    MeshCodec established = new MeshCodec(MAX_FRAME).established();
    Buffer stream = unknown.copy();
    established.encode(new Ping(1), stream);
    established.decode(stream, sink);
    assertEquals(List.of("unknown_type"), skipped);
    assertEquals(List.of(new Ping(1)), messages);
  }

  @Test
  void theEstablishedCodecKeepsTheStreamPosition() {
    MeshCodec codec = new MeshCodec(MAX_FRAME);
    Buffer frame = WireCodec.encode(new Ping(42));
    codec.decode(frame.getBuffer(0, 3), sink);
    codec.established().decode(frame.getBuffer(3, frame.length()), sink);
    assertEquals(List.of(new Ping(42)), messages);
  }
}
