package org.peermesh.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.peermesh.node.PeerMeshNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One node requests from another, whose consumer answers with the request's data: with 1 request in flight the
 * round trip (p50, p99), with 128 in flight the rate and its p99.
 */
public final class RequestScenario implements Scenario {

  static final String PROCEDURE = "echo";
  static final int MANY_IN_FLIGHT = 128;

  @Override
  public String name() {
    return "request";
  }

  @Override
  public String description() {
    return "requestFromPeer of --payload data, answered by an echoing consumer on the other node: RTT p50/p99 with 1 "
        + "in flight, req/s and p99 with " + MANY_IN_FLIGHT + " in flight; nodes on a shared Vert.x, then on one event "
        + "loop each";
  }

  @Override
  public List<Figure> run(BenchOptions options, BenchLog log) throws Exception {
    List<Figure> figures = new ArrayList<>();
    for (NodePair.Layout layout : NodePair.Layout.values()) {
      figures.addAll(run(layout, options, log));
    }
    return figures;
  }

  private static List<Figure> run(NodePair.Layout layout, BenchOptions options, BenchLog log) throws Exception {
    try (NodePair pair = new NodePair(layout, options.metrics())) {
      PeerMeshNode requester = pair.a;
      MessageConsumer<JsonObject> echo = pair.vertxB().eventBus().consumer(pair.b.addresses().rpc(PROCEDURE),
          request -> request.reply(request.body().getValue("data")));
      BenchNodes.await(echo.completion());
      String data = Payload.of(options.payload());
      String to = pair.b.peerId();
      Vertx vertx = pair.vertxA();
      Supplier<Future<?>> request = () -> requester.requestFromPeer(to, PROCEDURE, data);

      double[][] one = Rounds.measure(options, log, "request-1" + layout.suffix, () -> {
        Latencies latencies = InFlightWindow.round(vertx, options, 1, request).latencies();
        return new double[] {latencies.percentileMicros(50), latencies.percentileMicros(99)};
      });
      double[][] many = Rounds.measure(options, log, "request-" + MANY_IN_FLIGHT + layout.suffix, () -> {
        InFlightWindow.Result result = InFlightWindow.round(vertx, options, MANY_IN_FLIGHT, request);
        return new double[] {result.perSecond(), result.latencies().percentileMicros(99)};
      });
      pair.checkNoCloses();
      return List.of(
          Figure.latency("request-1-p50" + layout.suffix, "us", one[0]),
          Figure.latency("request-1-p99" + layout.suffix, "us", one[1]),
          Figure.rate("request-" + MANY_IN_FLIGHT + layout.suffix, "req/s", many[0]),
          Figure.latency("request-" + MANY_IN_FLIGHT + "-p99" + layout.suffix, "us", many[1]));
    }
  }
}
