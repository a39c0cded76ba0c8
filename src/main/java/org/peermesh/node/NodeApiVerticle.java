package org.peermesh.node;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.CommandConsumers;
import org.peermesh.bus.Failure;
import org.peermesh.bus.OtherMembers;
import org.peermesh.bus.PeerEvent;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.mesh.NodeInfoPush;
import org.peermesh.mesh.PeerPool;
import org.peermesh.mesh.PenaltyCommand;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.peer.PeerDirectory;


/**
 * The mesh's node commands: {@code applyNodeInfo} replaces the nodeInfo and pushes it, {@code applyPenalty} applies
 * the application's penalty to a peer.
 */
final class NodeApiVerticle extends VerticleBase {

  private final BusAddresses addresses;
  private final PeerDirectory directory;
  private final PeerPool pool;
  private final MeshOptions options;

  NodeApiVerticle(BusAddresses addresses, PeerDirectory directory, PeerPool pool, MeshOptions options) {
    this.addresses = addresses;
    this.directory = directory;
    this.pool = pool;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    return Future.all(
        CommandConsumers.register(vertx.eventBus(), addresses, addresses.applyNodeInfo(), this::applyNodeInfo),
        CommandConsumers.register(vertx.eventBus(), addresses, addresses.applyPenalty(), this::applyPenalty),
        OtherMembers.consumer(vertx.eventBus(), addresses.clusterNodeInfo(), deploymentID(),
            nodeInfo -> useNodeInfo(JsonPayload.of(nodeInfo))));
  }

  /**
   * {@code {"peerId", "penalty", "reason"?}}: replies {@code {"peerId", "reputation", "banned"}}. The penalty is the
   * application's judgement (an invalid block, say), applied like the node's own by the member holding the peer.
   */
  private void applyPenalty(Message<Object> command) {
    if (!(command.body() instanceof JsonObject body) || !(body.getValue("peerId") instanceof String peerId)
        || !(body.getValue("penalty") instanceof Integer penalty) || penalty < 0) {
      command.fail(Failure.BAD_REQUEST.code(),
          addresses.applyPenalty() + ": the body must be {\"peerId\": string, \"penalty\": integer >= 0}");
      return;
    }
    if (directory.get(peerId).isEmpty()) {
      command.fail(Failure.UNKNOWN_PEER.code(), "no connected peer " + peerId);
      return;
    }
    String reason = body.getValue("reason") instanceof String text ? text : "applied by the application";
    vertx.eventBus().request(addresses.peer(peerId), new PenaltyCommand(penalty, reason),
            new DeliveryOptions().setSendTimeout(options.getAckTimeout()))
        .onSuccess(reply -> command.reply(reply.body()))
        .onFailure(err -> command.fail(Failure.UNKNOWN_PEER.code(), "peer " + peerId + " is no longer connected: "
            + err.getMessage()));
  }

  /**
   * Replaces the nodeInfo on this member at once, and on the other members of a cluster through
   * {@link BusAddresses#clusterNodeInfo()}; each pushes it to the peers it holds. Replies with every peer's id.
   */
  private void applyNodeInfo(Message<Object> command) {
    if (!(command.body() instanceof JsonObject nodeInfo)) {
      command.fail(Failure.BAD_REQUEST.code(), addresses.applyNodeInfo() + ": the body must be the new nodeInfo object");
      return;
    }
    JsonPayload payload;
    try {
      payload = JsonPayload.of(nodeInfo);
    } catch (IllegalArgumentException | EncodeException unsendable) {
      command.fail(Failure.BAD_REQUEST.code(), "nodeInfo cannot be sent: " + unsendable.getMessage());
      return;
    }
    if (payload.length() > options.getMaxPeerInfoSize()) {
      command.fail(Failure.BAD_REQUEST.code(), "nodeInfo of " + payload.length() + " bytes exceeds maxPeerInfoSize "
          + options.getMaxPeerInfoSize());
      return;
    }
    useNodeInfo(payload);
    OtherMembers.publish(vertx.eventBus(), addresses.clusterNodeInfo(), nodeInfo, deploymentID());
    JsonArray pushedTo = new JsonArray();
    directory.connectedPeers().forEach(peer -> pushedTo.add(peer.peerId()));
    command.reply(new JsonObject().put("peerIds", pushedTo));
  }

  private void useNodeInfo(JsonPayload payload) {
    pool.nodeInfo(payload);
    NodeInfoPush push = new NodeInfoPush(payload);
    for (String peerId : pool.connectedPeerIds()) {
      vertx.eventBus().request(addresses.peer(peerId), push, new DeliveryOptions().setSendTimeout(options.getAckTimeout()))
          .onFailure(err -> pool.publish(PeerEvent.FAILED_TO_PUSH_NODE_INFO,
              new JsonObject().put("peerId", peerId).put("error", err.getMessage())));
    }
  }
}
