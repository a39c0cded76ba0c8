package org.peermesh.routing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.CommandConsumers;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.mesh.OutgoingMessage;
import org.peermesh.mesh.PeerBacklog;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.peer.PeerInfo;
import org.peermesh.selection.PeerSelection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What every router shares: the directory it selects from, the command consumers whose failures become replies, and
 * the delivery of a fire-and-forget message that paces its caller by the peers it went to.
 */
abstract class Router extends VerticleBase {

  /** How much longer than ackTimeout a remote acknowledgement may take, so the reply's timer counts it missing. */
  private static final long REMOTE_ACK_MARGIN_MS = 1_000;

  protected final BusAddresses addresses;
  protected final PeerDirectory directory;
  protected final PeerSelection selection;
  protected final MeshOptions options;
  protected final PeerMailboxes mailboxes;

  /** How a message goes to a peer another member holds when the caller waits: acknowledged, ackTimeout and more. */
  private final DeliveryOptions remoteDelivery;

  Router(BusAddresses addresses, PeerDirectory directory, PeerSelection selection, MeshOptions options,
         PeerMailboxes mailboxes) {
    this.addresses = addresses;
    this.directory = directory;
    this.selection = selection;
    this.options = options;
    this.mailboxes = mailboxes;
    this.remoteDelivery = new DeliveryOptions().setSendTimeout(options.getAckTimeout() + REMOTE_ACK_MARGIN_MS);
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
   * Sends a fire-and-forget command's message (send, broadcast) to each of {@code peers}, and replies
   * {@code {"peerIds"}} once none of them is backed up, or after ackTimeout with {@code "backedUp"}, those still
   * backed up: a caller that waits for its replies then goes at the pace of its slowest reading peer, where it would
   * grow that peer's outbox until the peer is cut off. A peer that does not read at all is still cut off by its
   * write-queue limit, as a caller goes on after ackTimeout.
   *
   * <p>A peer this JVM holds is waited for through the {@link PeerBacklog}; a peer another member of the node holds
   * is sent the message through its mailbox as a sendToPeer is ({@link PeerMailboxes}), and acknowledged as one, once
   * the peer's socket is not backed up. A caller that asked for no reply is not waited for, and every message goes
   * without one.
   */
  protected void deliver(Message<Object> command, List<PeerInfo> peers, OutgoingMessage message,
                         PeerBacklog backlog) {
    boolean replies = command.replyAddress() != null;
    Set<String> unacknowledged = new HashSet<>();
    List<Future<?>> acknowledgements = new ArrayList<>();
    for (PeerInfo peer : peers) {
      if (!replies || directory.holds(peer.peerId())) {
        vertx.eventBus().send(addresses.peer(peer.peerId()), message);
      } else {
        // The reply's own timer names the peers still unacknowledged at ackTimeout: this one must not beat it.
        unacknowledged.add(peer.peerId());
        acknowledgements.add(mailboxes.send(peer.peerId(), message, message.event(), remoteDelivery)
            .andThen(acknowledged -> unacknowledged.remove(peer.peerId())));
      }
    }
    if (!replies) {
      return;
    }
    Future<Void> drained = backlog.whenDrained(peers, context);
    Future<?> settled = acknowledgements.isEmpty() ? drained
        : Future.join(drained, Future.join(acknowledgements));
    if (settled.isComplete()) {
      command.reply(deliveredTo(peers));
      return;
    }
    Promise<JsonObject> once = Promise.promise();
    long timer = vertx.setTimer(options.getAckTimeout(), t -> {
      JsonArray backedUp = new JsonArray();
      for (PeerInfo peer : peers) {
        if (backlog.isBackedUp(peer.peerId()) || unacknowledged.contains(peer.peerId())) {
          backedUp.add(peer.peerId());
        }
      }
      once.tryComplete(deliveredTo(peers).put("backedUp", backedUp));
    });
    settled.onComplete(v -> {
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
