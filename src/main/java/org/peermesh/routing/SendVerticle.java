package org.peermesh.routing;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import org.peermesh.bus.BusAddresses;
import org.peermesh.node.PeerInfo;
import org.peermesh.peer.OutgoingMessage;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.selection.PeerSelection;

import java.util.List;

/**
 * {@code send}: a message to up to {@code sendPeerLimit} peers chosen by the send selection, fire and forget, as
 * lisk-p2p does; and {@code sendToPeer}: a message to one named peer, acknowledged once its verticle queued it.
 * Both reply {@code {"peerIds": [...]}}.
 */
public final class SendVerticle extends Router {

  private final int sendPeerLimit;
  private final long ackTimeoutMs;

  public SendVerticle(BusAddresses addresses, PeerDirectory directory, PeerSelection selection, int sendPeerLimit,
                      long ackTimeoutMs) {
    super(addresses, directory, selection);
    this.sendPeerLimit = sendPeerLimit;
    this.ackTimeoutMs = ackTimeoutMs;
  }

  @Override
  public Future<?> start() {
    return Future.all(serve(addresses.send(), this::send), serve(addresses.sendToPeer(), this::sendToPeer));
  }

  private void send(Message<Object> command) {
    OutgoingMessage message = Commands.message(command);
    List<PeerInfo> chosen = selection.send().select(directory.connectedPeers(), sendPeerLimit, message.event());
    for (PeerInfo peer : chosen) {
      vertx.eventBus().send(addresses.peer(peer.peerId()), message);
    }
    command.reply(deliveredTo(chosen));
  }

  private void sendToPeer(Message<Object> command) {
    OutgoingMessage message = Commands.message(command);
    PeerInfo peer = namedPeer(command);
    forward(command, peer, message, ackTimeoutMs, queued -> deliveredTo(List.of(peer)));
  }
}
