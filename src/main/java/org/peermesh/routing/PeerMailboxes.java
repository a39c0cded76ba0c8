package org.peermesh.routing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.Failure;
import org.peermesh.bus.PeerEvent;
import org.peermesh.peer.PeerDirectory;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The way to a named mesh peer: straight to its mailbox ({@code <prefix>.peer.<peerId>}), wherever in the cluster
 * its connection is, with no router between. A command's failure becomes the one its caller sees (a peer that is
 * unknown, gone or silent), and what waits on the peers of a cluster member that left fails at once rather than at
 * its timeout. Usable from any thread.
 */
public final class PeerMailboxes {

  /** The peer's session times a request out itself; this margin only covers a mailbox that vanished. */
  private static final long REQUEST_MARGIN_MS = 2_000;

  private final Vertx vertx;
  private final BusAddresses addresses;
  private final PeerDirectory directory;
  private final DeliveryOptions requestDelivery;
  private final DeliveryOptions sendDelivery;
  /** Answers waiting on peers, by peer id. */
  private final Map<String, Set<Promise<Object>>> inFlight = new ConcurrentHashMap<>();

  /** @param ackTimeout the mesh's: how long a sent message's acknowledgement and a request's answer may take */
  public PeerMailboxes(Vertx vertx, BusAddresses addresses, PeerDirectory directory, long ackTimeout) {
    this.vertx = vertx;
    this.addresses = addresses;
    this.directory = directory;
    this.requestDelivery = new DeliveryOptions().setSendTimeout(ackTimeout + REQUEST_MARGIN_MS);
    this.sendDelivery = new DeliveryOptions().setSendTimeout(ackTimeout);
    directory.onPeersLost(this::failInFlight);
  }

  /**
   * A request ({@code OutgoingRequest}) to the peer: completes with its answer; fails with 404 at once if no such peer
   * is connected, 502 if it went away, 504 if it did not answer within ackTimeout.
   */
  public Future<Object> request(String peerId, Object request) {
    return command(peerId, request, requestDelivery);
  }

  /**
   * Messages to the peer ({@code OutgoingMessage} or {@code OutgoingBatch}): completes once they are queued and the
   * peer's socket is not backed up, fails as {@link #request} does (504: still backed up after ackTimeout). A failure
   * is also published as {@code failedToSendMessage}, naming the first message's event.
   */
  public Future<Object> send(String peerId, Object messages, String event) {
    return send(peerId, messages, event, sendDelivery);
  }

  /** As {@link #send(String, Object, String)}, with its own timeout: a router's, which outlasts its reply's timer. */
  Future<Object> send(String peerId, Object messages, String event, DeliveryOptions delivery) {
    return command(peerId, messages, delivery).onFailure(error -> vertx.eventBus().publish(
        addresses.event(PeerEvent.FAILED_TO_SEND_MESSAGE), new JsonObject()
            .put("peerId", peerId)
            .put("event", event)
            .put("error", error.getMessage())));
  }

  private Future<Object> command(String peerId, Object command, DeliveryOptions delivery) {
    if (directory.get(peerId).isEmpty()) {
      return Future.failedFuture(Failure.UNKNOWN_PEER.exception("no connected peer " + peerId));
    }
    Future<Object> answered = vertx.eventBus().request(addresses.peer(peerId), command, delivery)
        .transform(ar -> ar.succeeded() ? Future.succeededFuture(ar.result().body())
            : Future.failedFuture(mailboxFailure(peerId, ar.cause())));
    return directory.canLosePeers() ? tracked(peerId, answered) : answered;
  }

  /** What waits on a peer another member holds fails at once if that member leaves, not at its timeout. */
  private Future<Object> tracked(String peerId, Future<Object> answered) {
    Promise<Object> answer = Promise.promise();
    // Added and removed inside compute, so that a set emptied and dropped is never added to again.
    inFlight.compute(peerId, (id, waiting) -> {
      Set<Promise<Object>> set = waiting == null ? new HashSet<>() : waiting;
      set.add(answer);
      return set;
    });
    answered.onComplete(ar -> {
      if (ar.succeeded()) {
        answer.tryComplete(ar.result());
      } else {
        answer.tryFail(ar.cause());
      }
    });
    return answer.future().onComplete(done -> inFlight.computeIfPresent(peerId, (id, waiting) -> {
      waiting.remove(answer);
      return waiting.isEmpty() ? null : waiting;
    }));
  }

  private void failInFlight(Collection<String> lostPeerIds) {
    for (String peerId : lostPeerIds) {
      Set<Promise<Object>> waiting = inFlight.remove(peerId);
      if (waiting != null) {
        List.copyOf(waiting).forEach(answer -> answer.tryFail(Failure.PEER_DISCONNECTED.exception(
            "peer " + peerId + " is gone: the cluster member holding it left")));
      }
    }
  }

  private static Throwable mailboxFailure(String peerId, Throwable error) {
    if (error instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return Failure.PEER_DISCONNECTED.exception("peer " + peerId + " is no longer connected");
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return Failure.TIMEOUT.exception("peer " + peerId + " did not answer in time");
      }
    }
    return error;
  }
}
