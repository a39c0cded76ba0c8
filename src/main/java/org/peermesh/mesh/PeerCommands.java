package org.peermesh.mesh;

import io.vertx.core.eventbus.EventBus;
import org.peermesh.bus.ObjectCodec;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.Request;
import org.peermesh.mesh.wire.WireCodec;
import org.peermesh.mesh.wire.WireMessage;

import java.util.function.Function;

/** Registers the codecs of the commands a peer verticle's mailbox takes. */
public final class PeerCommands {

  private PeerCommands() {
  }

  public static void registerCodecs(EventBus eventBus) {
    asFrame(OutgoingMessage.class, OutgoingMessage::frame, frame -> new OutgoingMessage((AppMessage) frame))
        .registerOn(eventBus);
    asFrame(OutgoingRequest.class, request -> request.frame(0), frame -> {
      Request request = (Request) frame;
      return new OutgoingRequest(request.procedure(), request.data());
    }).registerOn(eventBus);
    new ObjectCodec<>(OutgoingBatch.class, OutgoingBatch::toWire, OutgoingBatch::fromWire).registerOn(eventBus);
    ObjectCodec.json(NodeInfoPush.class, NodeInfoPush::toJson, NodeInfoPush::fromJson).registerOn(eventBus);
    ObjectCodec.json(StatsQuery.class, StatsQuery::toJson, StatsQuery::fromJson).registerOn(eventBus);
    ObjectCodec.json(PenaltyCommand.class, PenaltyCommand::toJson, PenaltyCommand::fromJson).registerOn(eventBus);
  }

  /**
   * A codec for a command that is one wire message: it crosses to another member as its frame, the bytes the peer
   * will get. As JSON, every message and request sent to a peer held by another member had its data decoded and
   * re-encoded on both sides; the frame holds the data as it is, and the receiving member checks it as it checks a
   * peer's.
   */
  private static <T> ObjectCodec<T> asFrame(Class<T> type, Function<T, WireMessage> toFrame,
                                            Function<WireMessage, T> fromFrame) {
    return new ObjectCodec<>(type, command -> WireCodec.encode(toFrame.apply(command)),
        // WireCodec.decode takes a frame without the length prefix that WireCodec.encode writes.
        wire -> fromFrame.apply(WireCodec.decode(wire.slice(Integer.BYTES, wire.length()))));
  }
}
