package org.peermesh.routing;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.PeerEvent;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.mesh.PeerBacklog;
import org.peermesh.mesh.OutgoingMessage;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.peer.PeerInfo;
import org.peermesh.selection.PeerSelection;

import java.util.List;

/**
 * {@code send}: a message to up to {@code sendPeerLimit} peers chosen by the send selection, fire and forget, as
 * lisk-p2p does; and {@code sendToPeer}: a message to one named peer, acknowledged once its verticle queued it.
 * Both reply {@code {"peerIds": [...]}}.
 */
public final class SendVerticle extends Router {

  private final PeerBacklog backlog;

  public SendVerticle(BusAddresses addresses, PeerDirectory directory, PeerSelection selection, MeshOptions options,
                      PeerBacklog backlog) {
    super(addresses, directory, selection, options);
    this.backlog = backlog;
  }

  @Override
  protected Future<?> serveCommands() {
    return Future.all(serve(addresses.send(), this::send), serve(addresses.sendToPeer(), this::sendToPeer));
  }

  private void send(Message<Object> command) {
    OutgoingMessage message = Commands.message(command, options.getMaxMessageSize());
    List<PeerInfo> chosen = selection.send().select(directory.connectedPeers(), options.getSendPeerLimit(),
        message.event());
    for (PeerInfo peer : chosen) {
      vertx.eventBus().send(addresses.peer(peer.peerId()), message);
    }
    replyWhenDrained(command, chosen, backlog);
  }

  private void sendToPeer(Message<Object> command) {
    OutgoingMessage message = Commands.message(command, options.getMaxMessageSize());
    PeerInfo peer = namedPeer(command);
    forward(command, peer, message, options.getAckTimeout(), queued -> deliveredTo(List.of(peer)))
        .onFailure(error -> vertx.eventBus().publish(addresses.event(PeerEvent.FAILED_TO_SEND_MESSAGE), new JsonObject()
            .put("peerId", peer.peerId())
            .put("event", message.event())
            .put("error", error.getMessage())));
  }
}
