package org.peermesh.examples;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.PeerEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A service that joins a node's cluster without running a node: it consumes the node's events and issues its
 * commands over the clustered event bus, with the JSON bodies the README documents and nothing else of PeerMesh
 * but the names of the addresses. Every event is printed as {@code event NAME BODY}; every
 * {@value #REPORT_INTERVAL_MS} ms the {@code peers} command is issued and its answer printed as
 * {@code peers CONNECTED connected}, and with a broadcast event name a {@code broadcast} follows, printed as
 * {@code broadcast EVENT reached N peers}. While no node answers, that is said once, and the consumer keeps asking.
 */
public final class ConsumerExample {

  static final long REPORT_INTERVAL_MS = 10_000;

  private ConsumerExample() {
  }

  /** Subscribes and starts the reports; the returned future completes once every consumer is registered. */
  public static Future<Void> run(Vertx vertx, String busPrefix, String broadcastEvent, Consumer<String> out) {
    return run(vertx, busPrefix, broadcastEvent, REPORT_INTERVAL_MS, out);
  }

  static Future<Void> run(Vertx vertx, String busPrefix, String broadcastEvent, long intervalMs,
                          Consumer<String> out) {
    BusAddresses addresses = new BusAddresses(busPrefix);
    List<Future<Void>> registered = new ArrayList<>();
    for (PeerEvent event : PeerEvent.values()) {
      registered.add(vertx.eventBus().<JsonObject>consumer(addresses.event(event),
          message -> out.accept("event " + event.eventName() + " " + message.body().encode())).completion());
    }
    Reports reports = new Reports(vertx, addresses, broadcastEvent, intervalMs, out);
    vertx.setPeriodic(intervalMs / 5, intervalMs, t -> reports.next());
    return Future.all(registered).<Void>mapEmpty()
        .onSuccess(v -> out.accept("consumer ready on bus prefix " + busPrefix));
  }

  /**
   * One round of reports each interval. An answer is printed each round; a failure only when it differs from the
   * last one printed, so that a consumer started before its node says so once rather than every round.
   */
  private static final class Reports {

    private final Vertx vertx;
    private final BusAddresses addresses;
    private final String broadcastEvent;
    private final DeliveryOptions timeout;
    private final Consumer<String> out;
    // Touched on the timer's context only.
    private long round;
    private boolean answered;
    private String lastFailure;

    Reports(Vertx vertx, BusAddresses addresses, String broadcastEvent, long intervalMs, Consumer<String> out) {
      this.vertx = vertx;
      this.addresses = addresses;
      this.broadcastEvent = broadcastEvent;
      this.timeout = new DeliveryOptions().setSendTimeout(intervalMs);
      this.out = out;
    }

    void next() {
      vertx.eventBus().<JsonObject>request(addresses.peers(), new JsonObject(), timeout)
          .onSuccess(reply -> {
            answered = true;
            lastFailure = null;
            out.accept("peers " + reply.body().getJsonArray("connected").size() + " connected");
            // Only a node that answers is asked to broadcast: without one, that would fail the same way.
            if (broadcastEvent != null) {
              broadcast();
            }
          })
          .onFailure(this::failed);
    }

    private void broadcast() {
      JsonObject command = new JsonObject().put("event", broadcastEvent)
          .put("data", new JsonObject().put("from", "consumer").put("round", ++round));
      vertx.eventBus().<JsonObject>request(addresses.broadcast(), command, timeout)
          .onSuccess(reply -> out.accept("broadcast " + broadcastEvent + " reached "
              + reply.body().getJsonArray("peerIds").size() + " peers"))
          .onFailure(err -> out.accept("broadcast failed: " + err.getMessage()));
    }

    private void failed(Throwable err) {
      String failure;
      if (err instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
        failure = answered
            ? "the node on bus prefix " + addresses.prefix() + " no longer answers (it left the cluster); waiting"
            : "no node answers on bus prefix " + addresses.prefix() + " yet (none in this cluster has that prefix);"
            + " waiting for one";
      } else if (err instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT) {
        failure = "the node did not answer 'peers' within " + timeout.getSendTimeout() + " ms; asking again";
      } else {
        failure = "peers failed: " + err.getMessage();
      }
      if (!failure.equals(lastFailure)) {
        out.accept(failure);
        lastFailure = failure;
      }
    }
  }
}
