package org.peermesh.peer;

import io.vertx.core.eventbus.EventBus;
import org.peermesh.bus.ObjectCodec;

/** Registers the codecs of the commands a peer verticle's mailbox takes. */
public final class PeerCommands {

  private PeerCommands() {
  }

  public static void registerCodecs(EventBus eventBus) {
    new ObjectCodec<>(OutgoingMessage.class, OutgoingMessage::toJson, OutgoingMessage::fromJson).registerOn(eventBus);
    new ObjectCodec<>(OutgoingRequest.class, OutgoingRequest::toJson, OutgoingRequest::fromJson).registerOn(eventBus);
    new ObjectCodec<>(NodeInfoPush.class, NodeInfoPush::toJson, NodeInfoPush::fromJson).registerOn(eventBus);
    new ObjectCodec<>(StatsQuery.class, StatsQuery::toJson, StatsQuery::fromJson).registerOn(eventBus);
    new ObjectCodec<>(PenaltyCommand.class, PenaltyCommand::toJson, PenaltyCommand::fromJson).registerOn(eventBus);
  }
}
