package org.peermesh.bench;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.peermesh.node.PeerMeshNode;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One peer streams small application messages to another as fast as flow control allows; the receiving node's
 * event-bus consumer counts them. The baseline, in the same run, is the least a Vert.x application can do for the
 * same job: {@link BareStream}.
 */
public final class StreamScenario implements Scenario {

  /** Messages a sender keeps unacknowledged: enough to cover the acknowledgement's round trip. */
  static final int WINDOW = 1024;
  static final String EVENT = "stream";

  @Override
  public String name() {
    return "stream";
  }

  @Override
  public String description() {
    return "one peer streams --payload-byte messages (default 100) to another; msg/s and MB/s at the receiving "
        + "consumer, against a bare Vert.x NetServer/NetClient pair";
  }

  @Override
  public List<Figure> run(BenchOptions options, BenchLog log) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      double[][] mesh = peerMesh(vertx, options, log);
      double[][] bare = BareStream.measure(vertx, options, log);
      return List.of(
          Figure.rate("stream", "msg/s", mesh[0]).against("stream-baseline"),
          Figure.rate("stream-mb", "MB/s", mesh[1]).against("stream-baseline-mb"),
          Figure.rate("stream-baseline", "msg/s", bare[0]),
          Figure.rate("stream-baseline-mb", "MB/s", bare[1]));
    } finally {
      BenchNodes.await(vertx.close());
    }
  }

  /** A JSON string whose encoding is {@code bytes} long: the quotes count. */
  static String payload(int bytes) {
    return "x".repeat(Math.max(0, bytes - 2));
  }

  private static double[][] peerMesh(Vertx vertx, BenchOptions options, BenchLog log) throws Exception {
    try (BenchNodes nodes = new BenchNodes(vertx)) {
      PeerMeshNode sender = nodes.start(nodes.options());
      PeerMeshNode receiver = nodes.startConnectedTo(sender);
      AtomicLong received = new AtomicLong();
      MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(receiver.addresses().message(EVENT),
          message -> received.incrementAndGet());
      BenchNodes.await(consumer.completion());
      String data = payload(options.payload());
      String to = receiver.peerId();
      return Rounds.measure(options, log, "stream", () -> {
        long before = received.get();
        InFlightWindow.Result sent = BenchNodes.await(InFlightWindow.run(vertx, WINDOW, options.roundMillis(),
            () -> sender.sendToPeer(to, EVENT, data)));
        nodes.checkNoCloses();
        double perSecond = (received.get() - before) * 1e9 / sent.elapsedNanos();
        return new double[] {perSecond, perSecond * options.payload() / 1e6};
      });
    }
  }
}
