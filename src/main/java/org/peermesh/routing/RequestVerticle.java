package org.peermesh.routing;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.Failure;
import org.peermesh.node.PeerInfo;
import org.peermesh.peer.OutgoingRequest;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.selection.PeerSelection;

/**
 * {@code request}: one peer chosen by the request selection answers; {@code requestFromPeer}: the named peer
 * answers. The reply is the peer's answer; the peer's verticle correlates it and enforces {@code ackTimeout}.
 */
public final class RequestVerticle extends Router {

  /** The peer verticle times the request out itself; this margin only covers a verticle that vanished. */
  private static final long MAILBOX_MARGIN_MS = 2_000;

  private final long ackTimeoutMs;

  public RequestVerticle(BusAddresses addresses, PeerDirectory directory, PeerSelection selection, long ackTimeoutMs) {
    super(addresses, directory, selection);
    this.ackTimeoutMs = ackTimeoutMs;
  }

  @Override
  public Future<?> start() {
    return Future.all(serve(addresses.request(), this::request),
        serve(addresses.requestFromPeer(), this::requestFromPeer));
  }

  private void request(Message<Object> command) {
    OutgoingRequest request = Commands.request(command);
    PeerInfo peer = selection.request().select(directory.connectedPeers(), request.procedure())
        .orElseThrow(() -> Failure.NO_PEERS.exception("no connected peer to answer '" + request.procedure() + "'"));
    forward(command, peer, request, ackTimeoutMs + MAILBOX_MARGIN_MS, answer -> answer);
  }

  private void requestFromPeer(Message<Object> command) {
    OutgoingRequest request = Commands.request(command);
    forward(command, namedPeer(command), request, ackTimeoutMs + MAILBOX_MARGIN_MS, answer -> answer);
  }
}
