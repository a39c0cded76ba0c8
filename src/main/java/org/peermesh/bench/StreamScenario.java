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
          Figure.latency("stream-p99", "us", mesh[2]),
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
      double[][] measured = SendPath.sendToPeer("stream", WINDOW, EVENT, sender, vertx, receiver, vertx)
          .measure(options, log);
      nodes.checkNoCloses();
      double[] megabytes = java.util.Arrays.stream(measured[0]).map(rate -> rate * options.payload() / 1e6).toArray();
      return new double[][] {measured[0], megabytes, measured[1]};
    }
  }
}
