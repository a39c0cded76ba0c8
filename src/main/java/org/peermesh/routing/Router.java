package org.peermesh.routing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.CommandConsumers;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.mesh.PeerBacklog;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.peer.PeerInfo;
import org.peermesh.selection.PeerSelection;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * What every router shares: the directory it selects from, the mailboxes it forwards to, and the translation of a
 * mailbox failure into the failure its caller sees.
 */
abstract class Router extends VerticleBase {

  protected final BusAddresses addresses;
  protected final PeerDirectory directory;
  protected final PeerSelection selection;
  protected final MeshOptions options;

  Router(BusAddresses addresses, PeerDirectory directory, PeerSelection selection, MeshOptions options) {
    this.addresses = addresses;
    this.directory = directory;
    this.selection = selection;
    this.options = options;
  }

  @Override
  public final Future<?> start() {
    return serveCommands();
  }

  /** Registers the consumers of this router's commands. */
  protected abstract Future<?> serveCommands();

  /** Registers a command consumer whose failures, thrown or asynchronous, become replies to the caller. */
  protected Future<Void> serve(String address, Consumer<Message<Object>> handler) {
    return CommandConsumers.register(vertx.eventBus(), addresses, address, (Message<Object> command) -> {
      try {
        handler.accept(command);
      } catch (RuntimeException e) {
        Commands.fail(command, e);
      }
    });
  }

  /** Relays what a peer's mailbox answered, or the reason it did not, to the caller. */
  protected static void relay(Message<Object> caller, Future<?> answered) {
    answered.onSuccess(caller::reply).onFailure(error -> Commands.fail(caller, error));
  }

  /**
   * Replies {@code {"peerIds"}} to a fire-and-forget command (send, broadcast) once none of the peers it went to is
   * backed up, or after ackTimeout with {@code "backedUp"}, the peers still backed up: a caller that waits for its
   * replies then goes at the pace of its slowest reading peer, where it would grow that peer's outbox until the peer
   * is cut off. A peer that does not read at all is still cut off by its write-queue limit, as a caller goes on after
   * ackTimeout. A caller that asked for no reply is not waited for.
   */
  protected void replyWhenDrained(Message<Object> command, List<PeerInfo> peers, PeerBacklog backlog) {
    if (command.replyAddress() == null) {
      return;
    }
    Future<Void> drained = backlog.whenDrained(peers, context);
    if (drained.isComplete()) {
      command.reply(deliveredTo(peers));
      return;
    }
    Promise<JsonObject> once = Promise.promise();
    long timer = vertx.setTimer(options.getAckTimeout(), t -> once.tryComplete(deliveredTo(peers)
        .put("backedUp", new JsonArray(peers.stream().map(PeerInfo::peerId).filter(backlog::isBackedUp).toList()))));
    drained.onComplete(v -> {
      vertx.cancelTimer(timer);
      once.tryComplete(deliveredTo(peers));
    });
    once.future().onSuccess(command::reply);
  }

  protected static JsonObject deliveredTo(Collection<PeerInfo> peers) {
    JsonArray ids = new JsonArray();
    peers.forEach(p -> ids.add(p.peerId()));
    return new JsonObject().put("peerIds", ids);
  }
}
