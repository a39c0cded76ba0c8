package org.peermesh.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import org.peermesh.node.PeerMeshNode;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PeerMesh on lisk-p2p's broadcast3 workload: three nodes in this JVM, A connected to B and C, A broadcasting
 * {@code payload}-character strings as fast as it can with {@link #WINDOW} broadcasts outstanding.
 *
 * <p>The figure, like bench.js's, is messages delivered per second summed over B and C (counted by consumers on
 * their {@code message(event)} addresses): one broadcast that reached both counts twice.
 */
final class PeerMeshBroadcast {

  static final String FIGURE = "broadcast-3";

  private static final String EVENT = "bench";
  /** Broadcasts whose futures have not completed; a completion sends the next. */
  private static final int WINDOW = 256;

  private PeerMeshBroadcast() {
  }

  static Figure measure(BenchOptions options, BenchLog log) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (BenchNodes nodes = new BenchNodes(vertx)) {
      PeerMeshNode broadcaster = nodes.start(nodes.options());
      AtomicLong delivered = new AtomicLong();
      for (PeerMeshNode receiver : List.of(nodes.startConnectedTo(broadcaster), nodes.startConnectedTo(broadcaster))) {
        MessageConsumer<Object> consumer = vertx.eventBus().consumer(receiver.addresses().message(EVENT),
            message -> delivered.incrementAndGet());
        BenchNodes.await(consumer.completion());
      }
      String data = "a".repeat(options.payload());
      double[][] rates = Rounds.measure(options, log, FIGURE, () -> {
        long before = delivered.get();
        InFlightWindow.Result sent = InFlightWindow.round(vertx, options, WINDOW,
            () -> broadcaster.broadcast(EVENT, data).compose(ids -> ids.size() == 2 ? Future.succeededFuture()
                : Future.failedFuture("broadcast reached " + ids + ", not B and C")));
        return new double[] {(delivered.get() - before) * 1e9 / sent.elapsedNanos()};
      });
      nodes.checkNoCloses();
      return Figure.rate(FIGURE, "msg/s", rates[0]);
    } finally {
      BenchNodes.await(vertx.close());
    }
  }
}
