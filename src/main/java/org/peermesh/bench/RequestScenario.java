package org.peermesh.bench;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.peermesh.node.PeerMeshNode;

import java.util.List;

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
    return "requestFromPeer answered by an echoing consumer on the other node: RTT p50/p99 with 1 in flight, "
        + "req/s and p99 with " + MANY_IN_FLIGHT + " in flight";
  }

  @Override
  public List<Figure> run(BenchOptions options, BenchLog log) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (BenchNodes nodes = new BenchNodes(vertx)) {
      PeerMeshNode requester = nodes.start(nodes.options());
      PeerMeshNode answerer = nodes.startConnectedTo(requester);
      MessageConsumer<JsonObject> echo = vertx.eventBus().consumer(answerer.addresses().rpc(PROCEDURE),
          request -> request.reply(request.body().getValue("data")));
      BenchNodes.await(echo.completion());
      String data = StreamScenario.payload(options.payload());
      String to = answerer.peerId();

      double[][] one = Rounds.measure(options, log, "request-1", () -> {
        InFlightWindow.Result result = BenchNodes.await(InFlightWindow.run(vertx, 1, options.roundMillis(),
            () -> requester.requestFromPeer(to, PROCEDURE, data)));
        return new double[] {result.latencies().percentileMicros(50), result.latencies().percentileMicros(99)};
      });
      double[][] many = Rounds.measure(options, log, "request-" + MANY_IN_FLIGHT, () -> {
        InFlightWindow.Result result = BenchNodes.await(InFlightWindow.run(vertx, MANY_IN_FLIGHT,
            options.roundMillis(), () -> requester.requestFromPeer(to, PROCEDURE, data)));
        return new double[] {result.perSecond(), result.latencies().percentileMicros(99)};
      });
      nodes.checkNoCloses();
      return List.of(
          Figure.latency("request-1-p50", "us", one[0]),
          Figure.latency("request-1-p99", "us", one[1]),
          Figure.rate("request-" + MANY_IN_FLIGHT, "req/s", many[0]),
          Figure.latency("request-" + MANY_IN_FLIGHT + "-p99", "us", many[1]));
    } finally {
      BenchNodes.await(vertx.close());
    }
  }
}
