package org.peermesh.bench;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One peer streams small application messages to another as fast as flow control allows; the receiving node's
 * event-bus consumer counts them. The baseline, in the same run, is the least a Vert.x application can do for the
 * same job: {@link BareStream}.
 */
public final class StreamScenario implements Scenario {

  /** Messages on their way at once, from the call until the receiver's consumer has them. */
  static final int WINDOW = 1024;
  static final String EVENT = "stream";

  @Override
  public String name() {
    return "stream";
  }

  @Override
  public String description() {
    return "one peer streams --payload-byte messages (default 100) to another; msg/s and MB/s at the receiving "
        + "consumer, against a bare Vert.x NetServer/NetClient pair; nodes on a shared Vert.x, then on one event loop each";
  }

  @Override
  public List<Figure> run(BenchOptions options, BenchLog log) throws Exception {
    List<Figure> figures = new ArrayList<>();
    for (NodePair.Layout layout : NodePair.Layout.values()) {
      String name = "stream" + layout.suffix;
      double[][] mesh = peerMesh(layout, name, options, log);
      figures.add(Figure.rate(name, "msg/s", mesh[0]).against("stream-baseline"));
      figures.add(Figure.rate(name + "-mb", "MB/s", mesh[1]).against("stream-baseline-mb"));
      figures.add(Figure.latency(name + "-p99", "us", mesh[2]));
    }
    Vertx vertx = Vertx.vertx();
    try {
      double[][] bare = BareStream.measure(vertx, options, log);
      figures.add(Figure.rate("stream-baseline", "msg/s", bare[0]));
      figures.add(Figure.rate("stream-baseline-mb", "MB/s", bare[1]));
      return figures;
    } finally {
      BenchNodes.await(vertx.close());
    }
  }

  /** A JSON string whose encoding is {@code bytes} long: the quotes count. */
  static String payload(int bytes) {
    return "x".repeat(Math.max(0, bytes - 2));
  }

  private static double[][] peerMesh(NodePair.Layout layout, String name, BenchOptions options, BenchLog log)
      throws Exception {
    try (NodePair pair = new NodePair(layout)) {
      double[][] measured = SendPath.sendToPeer(name, WINDOW, EVENT, pair.a, pair.vertxA(), pair.b, pair.vertxB())
          .measure(options, log);
      pair.checkNoCloses();
      double[] megabytes = Arrays.stream(measured[0]).map(rate -> rate * options.payload() / 1e6).toArray();
      return new double[][] {measured[0], megabytes, measured[1]};
    }
  }
}
