package org.peermesh.examples;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
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
 * {@code broadcast EVENT reached N peers}.
 */
public final class ConsumerExample {

  static final long REPORT_INTERVAL_MS = 10_000;

  private ConsumerExample() {
  }

  /** Subscribes and starts the reports; the returned future completes once every consumer is registered. */
  public static Future<Void> run(Vertx vertx, String busPrefix, String broadcastEvent, Consumer<String> out) {
    BusAddresses addresses = new BusAddresses(busPrefix);
    List<Future<Void>> registered = new ArrayList<>();
    for (PeerEvent event : PeerEvent.values()) {
      registered.add(vertx.eventBus().<JsonObject>consumer(addresses.event(event),
          message -> out.accept("event " + event.eventName() + " " + message.body().encode())).completion());
    }
    long[] round = {0};
    vertx.setPeriodic(REPORT_INTERVAL_MS / 5, REPORT_INTERVAL_MS, t -> {
      DeliveryOptions timeout = new DeliveryOptions().setSendTimeout(REPORT_INTERVAL_MS);
      vertx.eventBus().<JsonObject>request(addresses.peers(), new JsonObject(), timeout)
          .onSuccess(reply -> out.accept("peers " + reply.body().getJsonArray("connected").size() + " connected"))
          .onFailure(err -> out.accept("peers failed: " + err.getMessage()));
      if (broadcastEvent != null) {
        JsonObject command = new JsonObject().put("event", broadcastEvent)
            .put("data", new JsonObject().put("from", "consumer").put("round", ++round[0]));
        vertx.eventBus().<JsonObject>request(addresses.broadcast(), command, timeout)
            .onSuccess(reply -> out.accept("broadcast " + broadcastEvent + " reached "
                + reply.body().getJsonArray("peerIds").size() + " peers"))
            .onFailure(err -> out.accept("broadcast failed: " + err.getMessage()));
      }
    });
    return Future.all(registered).<Void>mapEmpty()
        .onSuccess(v -> out.accept("consumer ready on bus prefix " + busPrefix));
  }
}
