package org.peermesh.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * One node with 16, 100 and 1,000 connected peers sends a 1 KiB message to 16 of them ({@code send}) or to all
 * ({@code broadcast}). The peers are {@link LightPeer}s in this JVM; a message counts as delivered when the last
 * peer it went to has decoded it. Latency (p50, p99) is taken with one message at a time, the rate with
 * {@value #WINDOW} messages in flight.
 */
public final class FanOutScenario implements Scenario {

  /** The broadcast target is for 1 KiB messages, so fan-out uses that size whatever --payload says. */
  static final int PAYLOAD = 1024;
  static final int WINDOW = 8;
  private static final int CONNECTS_IN_FLIGHT = 64;
  /** A message not delivered by then is reported as lost, with how far it got, rather than stall the round. */
  private static final long DELIVERY_DEADLINE_MS = 10_000;

  @Override
  public String name() {
    return "fanout";
  }

  @Override
  public String description() {
    return "send (to 16) and broadcast (to all) of a 1 KiB message from a node with 16, 100 and 1,000 peers: "
        + "time until the last peer has it (p50, p99) and messages/s";
  }

  @Override
  public List<Figure> run(BenchOptions options, BenchLog log) throws Exception {
    List<Figure> figures = new ArrayList<>();
    for (int peers : options.peerCounts(List.of(16, 100, 1_000), List.of(16, 100))) {
      figures.addAll(run(options, log, peers));
    }
    return figures;
  }

  private List<Figure> run(BenchOptions options, BenchLog log, int peerCount) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (BenchNodes nodes = new BenchNodes(vertx)) {
      NodeOptions hubOptions = nodes.options();
      hubOptions.getMesh().setMaxInbound(peerCount + 16);
      PeerMeshNode hub = nodes.start(hubOptions);
      Deliveries deliveries = new Deliveries();
      // Held until the end and closed there: Vert.x 5 closes a client that becomes unreachable, and its sockets.
      NetClient client = vertx.createNetClient();
      connect(vertx, client, hub, peerCount, deliveries, log);

      List<Figure> figures = new ArrayList<>();
      try {
        figures.addAll(measure(vertx, options, log, "send16-" + peerCount, deliveries,
            Math.min(hubOptions.getMesh().getSendPeerLimit(), peerCount), hub::send));
        figures.addAll(measure(vertx, options, log, "broadcast-" + peerCount, deliveries, peerCount, hub::broadcast));
      } finally {
        // A lost peer explains a failed round better than the round's own error does.
        nodes.checkNoCloses();
        BenchNodes.await(client.close());
      }
      return figures;
    } finally {
      BenchNodes.await(vertx.close());
    }
  }

  private static void connect(Vertx vertx, NetClient client, PeerMeshNode hub, int count, Deliveries deliveries,
                              BenchLog log) {
    log.line("fanout: connecting " + count + " peers");
    LightPeerCrowd crowd = new LightPeerCrowd(count).onMessage(app -> deliveries.delivered(app.data().value()));
    BenchNodes.await(crowd.connect(vertx, client, hub.listenAddress(), CONNECTS_IN_FLIGHT));
    BenchNodes.awaitCondition("the hub lists " + count + " peers",
        () -> BenchNodes.await(hub.getConnectedPeers()).size() == count);
  }

  private static List<Figure> measure(Vertx vertx, BenchOptions options, BenchLog log, String name,
                                      Deliveries deliveries, int recipients,
                                      BiFunction<String, Object, Future<List<String>>> fanOut) throws Exception {
    String padding = "x".repeat(PAYLOAD - 20);
    Supplier<Future<?>> message =
        () -> deliveries.track(recipients, seq -> fanOut.apply("fanout", seq + ":" + padding));
    double[][] latency = Rounds.measure(options, log, name + " one at a time", () -> {
      Latencies latencies = InFlightWindow.round(vertx, options, 1, message).latencies();
      return new double[] {latencies.percentileMicros(50) / 1000, latencies.percentileMicros(99) / 1000};
    });
    double[][] rate = Rounds.measure(options, log, name + " " + WINDOW + " in flight",
        () -> new double[] {InFlightWindow.round(vertx, options, WINDOW, message).perSecond()});
    return List.of(
        Figure.rate(name, "msg/s", rate[0]),
        Figure.latency(name + "-p50", "ms", latency[0]),
        Figure.latency(name + "-p99", "ms", latency[1]));
  }

  /** Messages on their way, each completed on its sender's context when its last recipient has it. */
  private static final class Deliveries {

    private final AtomicLong sequence = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    private record Pending(AtomicInteger remaining, Context context, Promise<Void> done) {
    }

    Future<Void> track(int recipients, LongFunction<Future<List<String>>> send) {
      long seq = sequence.incrementAndGet();
      Pending entry = new Pending(new AtomicInteger(recipients), Vertx.currentContext(), Promise.promise());
      pending.put(seq, entry);
      long timer = entry.context().owner().setTimer(DELIVERY_DEADLINE_MS, t -> {
        if (pending.remove(seq) != null) {
          entry.done().tryFail("message " + seq + " reached " + (recipients - entry.remaining().get()) + " of "
              + recipients + " peers within " + DELIVERY_DEADLINE_MS + " ms");
        }
      });
      entry.done().future().onComplete(done -> entry.context().owner().cancelTimer(timer));
      send.apply(seq).onComplete(sent -> {
        if (sent.failed()) {
          pending.remove(seq);
          entry.done().tryFail(sent.cause());
        } else if (sent.result().size() != recipients) {
          pending.remove(seq);
          entry.done().tryFail("sent to " + sent.result().size() + " peers, expected " + recipients);
        }
      });
      return entry.done().future();
    }

    /** Called by a peer's event loop with the message data, {@code "<seq>:<padding>"}. */
    void delivered(Object data) {
      String text = (String) data;
      long seq = Long.parseLong(text, 0, text.indexOf(':'), 10);
      Pending entry = pending.get(seq);
      if (entry != null && entry.remaining().decrementAndGet() == 0) {
        pending.remove(seq);
        entry.context().runOnContext(v -> entry.done().tryComplete());
      }
    }
  }
}
