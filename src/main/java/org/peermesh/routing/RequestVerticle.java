package org.peermesh.routing;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.Failure;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.mesh.OutgoingRequest;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.peer.PeerInfo;
import org.peermesh.selection.PeerSelection;

/**
 * {@code request}: one peer chosen by the request selection answers; {@code requestFromPeer}: the named peer
 * answers. The reply is the peer's answer; the peer's verticle correlates it and enforces {@code ackTimeout}.
 */
public final class RequestVerticle extends Router {


  public RequestVerticle(BusAddresses addresses, PeerDirectory directory, PeerSelection selection,
                         MeshOptions options, PeerMailboxes mailboxes) {
    super(addresses, directory, selection, options, mailboxes);
  }

  @Override
  protected Future<?> serveCommands() {
    return Future.all(serve(addresses.request(), this::request),
        serve(addresses.requestFromPeer(), this::requestFromPeer));
  }

  private void request(Message<Object> command) {
    OutgoingRequest request = Commands.request(command, options.getMaxMessageSize());
    PeerInfo peer = selection.request().select(directory.connectedPeers(), request.procedure())
        .orElseThrow(() -> Failure.NO_PEERS.exception("no connected peer to answer '" + request.procedure() + "'"));
    relay(command, mailboxes.request(peer.peerId(), request));
  }

  private void requestFromPeer(Message<Object> command) {
    OutgoingRequest request = Commands.request(command, options.getMaxMessageSize());
    relay(command, mailboxes.request(Commands.peerId(command), request));
  }
}
