package org.peermesh.routing;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.Failure;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerInfo;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.selection.PeerSelection;

import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What every router shares: the directory it selects from, the mailboxes it forwards to, and the translation of a
 * mailbox failure into the failure its caller sees.
 */
abstract class Router extends VerticleBase {

  protected final BusAddresses addresses;
  protected final PeerDirectory directory;
  protected final PeerSelection selection;
  protected final NodeOptions options;

  Router(BusAddresses addresses, PeerDirectory directory, PeerSelection selection, NodeOptions options) {
    this.addresses = addresses;
    this.directory = directory;
    this.selection = selection;
    this.options = options;
  }

  /** Registers a command consumer whose failures, thrown or asynchronous, become replies to the caller. */
  protected Future<Void> serve(String address, Consumer<Message<Object>> handler) {
    return vertx.eventBus().<Object>consumer(address, command -> {
      try {
        handler.accept(command);
      } catch (RuntimeException e) {
        Commands.fail(command, e);
      }
    }).completion();
  }

  protected PeerInfo namedPeer(Message<Object> command) {
    String peerId = Commands.peerId(command);
    return directory.get(peerId).orElseThrow(() -> Failure.UNKNOWN_PEER.exception("no connected peer " + peerId));
  }

  /**
   * Sends to a peer's mailbox and relays its answer, or the reason there was none, to the caller; completes with
   * that failure too, for routers that report it as an event.
   */
  protected Future<Object> forward(Message<Object> caller, PeerInfo peer, Object body, long timeoutMs,
                                   Function<Object, Object> answer) {
    return vertx.eventBus().request(addresses.peer(peer.peerId()), body, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(reply -> answer.apply(reply.body()))
        .recover(error -> Future.failedFuture(mailboxFailure(peer, error)))
        .onSuccess(caller::reply)
        .onFailure(error -> Commands.fail(caller, error));
  }

  private static Throwable mailboxFailure(PeerInfo peer, Throwable error) {
    if (error instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return Failure.PEER_DISCONNECTED.exception("peer " + peer.peerId() + " is no longer connected");
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return Failure.TIMEOUT.exception("peer " + peer.peerId() + " did not answer in time");
      }
    }
    return error;
  }

  protected static JsonObject deliveredTo(Collection<PeerInfo> peers) {
    JsonArray ids = new JsonArray();
    peers.forEach(p -> ids.add(p.peerId()));
    return new JsonObject().put("peerIds", ids);
  }
}
