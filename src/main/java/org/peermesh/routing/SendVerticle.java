package org.peermesh.routing;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.mesh.PeerBacklog;
import org.peermesh.mesh.OutgoingBatch;
import org.peermesh.mesh.OutgoingMessage;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.peer.PeerInfo;
import org.peermesh.selection.PeerSelection;

import java.util.List;

/**
 * {@code send}: a message to up to {@code sendPeerLimit} peers chosen by the send selection, fire and forget, as
 * lisk-p2p does; and {@code sendToPeer}: a message, or a batch of them, to one named peer, acknowledged once its
 * session queued it and its socket is not backed up. Both reply {@code {"peerIds": [...]}}.
 */
public final class SendVerticle extends Router {

  private final PeerBacklog backlog;

  public SendVerticle(BusAddresses addresses, PeerDirectory directory, PeerSelection selection, MeshOptions options,
                      PeerBacklog backlog, PeerMailboxes mailboxes) {
    super(addresses, directory, selection, options, mailboxes);
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
    deliver(command, chosen, message, backlog);
  }

  private void sendToPeer(Message<Object> command) {
    OutgoingBatch messages = Commands.messages(command, options.getMaxMessageSize());
    String peerId = Commands.peerId(command);
    relay(command, mailboxes.send(peerId, messages, messages.firstEvent())
        .map(queued -> new JsonObject().put("peerIds", new JsonArray().add(peerId))));
  }
}
