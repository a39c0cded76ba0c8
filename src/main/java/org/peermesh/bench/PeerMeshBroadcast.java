package org.peermesh.bench;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import org.peermesh.node.PeerMeshNode;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
  /** Broadcasts whose futures have not completed; a completion sends the next, so the window never grows. */
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
      Broadcasting broadcasting = new Broadcasting(broadcaster, "a".repeat(options.payload()));
      vertx.runOnContext(started -> broadcasting.start());
      try {
        double[][] rates = Rounds.measure(options, log, FIGURE, () -> {
          long before = delivered.get();
          long start = System.nanoTime();
          Thread.sleep(options.roundMillis());
          double seconds = (System.nanoTime() - start) / 1e9;
          broadcasting.throwIfFailed();
          return new double[] {(delivered.get() - before) / seconds};
        });
        return Figure.rate(FIGURE, "msg/s", rates[0]);
      } finally {
        broadcasting.stop();
      }
    } finally {
      BenchNodes.await(vertx.close());
    }
  }

  /** Keeps {@link #WINDOW} broadcasts outstanding on one event loop until stopped or until one fails. */
  private static final class Broadcasting {

    private final PeerMeshNode node;
    private final String data;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Broadcasting(PeerMeshNode node, String data) {
      this.node = node;
      this.data = data;
    }

    void start() {
      for (int i = 0; i < WINDOW; i++) {
        next();
      }
    }

    private void next() {
      if (!running.get()) {
        return;
      }
      node.broadcast(EVENT, data).onComplete(done -> {
        if (done.failed()) {
          fail(done.cause());
        } else if (done.result().size() != 2) {
          fail(new IllegalStateException("broadcast reached " + done.result() + ", not B and C"));
        } else {
          next();
        }
      });
    }

    private void fail(Throwable cause) {
      failure.compareAndSet(null, cause);
      running.set(false);
    }

    void throwIfFailed() {
      Throwable cause = failure.get();
      if (cause != null) {
        throw new IllegalStateException("broadcast failed: " + cause.getMessage(), cause);
      }
    }

    void stop() {
      running.set(false);
    }
  }
}
