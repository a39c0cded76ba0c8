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

  /** The peer verticle times the request out itself; this margin only covers a verticle that vanished. */
  private static final long MAILBOX_MARGIN_MS = 2_000;

  public RequestVerticle(BusAddresses addresses, PeerDirectory directory, PeerSelection selection,
                         MeshOptions options) {
    super(addresses, directory, selection, options);
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
    forward(command, peer, request, options.getAckTimeout() + MAILBOX_MARGIN_MS, answer -> answer);
  }

  private void requestFromPeer(Message<Object> command) {
    OutgoingRequest request = Commands.request(command, options.getMaxMessageSize());
    forward(command, namedPeer(command), request, options.getAckTimeout() + MAILBOX_MARGIN_MS, answer -> answer);
  }
}
