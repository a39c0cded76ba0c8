package org.peermesh.bench;

import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One peer streams small application messages to another as fast as flow control allows; the receiving node's
 * event-bus consumer counts them. {@code stream} writes them on a {@code PeerStream} (batched per turn, credit-based
 * flow control); {@code stream-acked} sends each with {@code sendToPeer}, acknowledged one by one. The baseline, in
 * the same run, is the least a Vert.x application can do for the same job: {@link BareStream}.
 */
public final class StreamScenario implements Scenario {

  /** Acknowledged messages on their way at once, from the call until the receiver's consumer has them. */
  static final int WINDOW = 1024;
  /** Streamed messages on their way at once: a stream's writes are cheap, so more of them keep the socket busy. */
  static final int STREAM_WINDOW = 8192;
  static final String EVENT = "stream";

  /** How the sender hands a message to its node. */
  private enum Path {
    STREAM("stream", STREAM_WINDOW, SendPath::stream),
    ACKED("stream-acked", WINDOW, SendPath::sendToPeer);

    final String name;
    final int window;
    final SendPath.Factory factory;

    Path(String name, int window, SendPath.Factory factory) {
      this.name = name;
      this.window = window;
      this.factory = factory;
    }
  }

  @Override
  public String name() {
    return "stream";
  }

  @Override
  public String description() {
    return "one peer streams --payload messages to another, on a PeerStream and with sendToPeer; msg/s and MB/s at "
        + "the receiving consumer, against a bare Vert.x NetServer/NetClient pair; nodes on a shared Vert.x, then on "
        + "one event loop each";
  }

  @Override
  public List<Figure> run(BenchOptions options, BenchLog log) throws Exception {
    List<Figure> figures = new ArrayList<>();
    for (Path path : Path.values()) {
      for (NodePair.Layout layout : NodePair.Layout.values()) {
        String name = path.name + layout.suffix;
        double[][] mesh = peerMesh(path, layout, name, options, log);
        figures.add(Figure.rate(name, "msg/s", mesh[0]).against("stream-baseline"));
        figures.add(Figure.rate(name + "-mb", "MB/s", mesh[1]).against("stream-baseline-mb"));
        figures.add(Figure.latency(name + "-p99", "us", mesh[2]));
      }
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

  private static double[][] peerMesh(Path path, NodePair.Layout layout, String name, BenchOptions options,
                                     BenchLog log) throws Exception {
    try (NodePair pair = new NodePair(layout, options.metrics())) {
      double[][] measured = path.factory.create(name, path.window, EVENT, pair.a, pair.vertxA(), pair.b,
          pair.vertxB()).measure(options, log);
      pair.checkNoCloses();
      double[] megabytes = Arrays.stream(measured[0]).map(rate -> rate * options.payload() / 1e6).toArray();
      return new double[][] {measured[0], megabytes, measured[1]};
    }
  }
}
