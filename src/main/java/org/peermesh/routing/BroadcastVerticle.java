package org.peermesh.routing;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import org.peermesh.bus.BusAddresses;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.mesh.PeerBacklog;
import org.peermesh.mesh.OutgoingMessage;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.peer.PeerInfo;
import org.peermesh.selection.PeerSelection;

import java.util.List;

/** {@code broadcast}: a message to every connected peer, encoded once; replies {@code {"peerIds": [...]}}. */
public final class BroadcastVerticle extends Router {

  private final PeerBacklog backlog;

  public BroadcastVerticle(BusAddresses addresses, PeerDirectory directory, PeerSelection selection,
                           MeshOptions options, PeerBacklog backlog, PeerMailboxes mailboxes) {
    super(addresses, directory, selection, options, mailboxes);
    this.backlog = backlog;
  }

  @Override
  protected Future<?> serveCommands() {
    return serve(addresses.broadcast(), this::broadcast);
  }

  private void broadcast(Message<Object> command) {
    OutgoingMessage message = Commands.message(command, options.getMaxMessageSize());
    List<PeerInfo> peers = directory.connectedPeers();
    deliver(command, peers, message, backlog);
  }
}
