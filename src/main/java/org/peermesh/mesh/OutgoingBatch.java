package org.peermesh.mesh;

import io.vertx.core.buffer.Buffer;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.WireCodec;

import java.util.ArrayList;
import java.util.List;

/**
 * Application messages on their way to one peer, in order, with one acknowledgement for them all: what a
 * {@code PeerStream} (of the routing package, which depends on this one) sends per event-loop turn, and {@code sendToPeer} with {@code "messages"}. Each is held as the
 * wire message it becomes, so it is encoded once; across JVMs the batch travels as those frames, back to back.
 */
public record OutgoingBatch(List<AppMessage> frames) {

  public OutgoingBatch {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("a batch holds at least one message");
    }
    frames = List.copyOf(frames);
  }

  /** The event of the first message, naming the batch in a failure event. */
  public String firstEvent() {
    return frames.get(0).event();
  }

  /** The frames as they go on the wire, each with its length prefix. */
  Buffer toWire() {
    Buffer wire = Buffer.buffer();
    frames.forEach(frame -> WireCodec.encodeTo(frame, wire));
    return wire;
  }

  /** Reads what {@link #toWire} wrote. */
  static OutgoingBatch fromWire(Buffer wire) {
    List<AppMessage> frames = new ArrayList<>();
    int at = 0;
    while (at < wire.length()) {
      int length = wire.getInt(at);
      frames.add((AppMessage) WireCodec.decode(wire.slice(at + Integer.BYTES, at + Integer.BYTES + length)));
      at += Integer.BYTES + length;
    }
    return new OutgoingBatch(frames);
  }
}
