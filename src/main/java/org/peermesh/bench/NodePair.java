package org.peermesh.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.metrics.MetricsOptions;
import org.peermesh.metrics.VertxMetrics;
import org.peermesh.node.PeerMeshNode;

/**
 * Two connected nodes, {@code b} having dialed {@code a}, laid out one of two ways. {@link Layout#SHARED} is what
 * a user gets by default: both nodes on one Vert.x with its default event loops (twice the cores), over which each
 * node spreads its verticles, so a message changes threads at every verticle it passes.
 * {@link Layout#ONE_LOOP_EACH} gives each node a Vert.x of its own with one event loop, as a lisk-p2p node runs
 * on one thread: nothing inside a node changes threads, only the TCP hop between them does.
 */
final class NodePair implements AutoCloseable {

  enum Layout {
    SHARED(""), ONE_LOOP_EACH("-one-loop");

    /** Appended to a figure's name. */
    final String suffix;

    Layout(String suffix) {
      this.suffix = suffix;
    }
  }

  private final Vertx vertxA;
  private final Vertx vertxB;
  private final BenchNodes nodesA;
  private final BenchNodes nodesB;
  final PeerMeshNode a;
  final PeerMeshNode b;

  /**
   * @param metrics whether the nodes keep metrics as the node command's do with an {@code http} section: Vert.x's own
   *                (event bus, net) and the node's
   */
  NodePair(Layout layout, boolean metrics) {
    MetricsOptions vertxMetrics = metrics ? VertxMetrics.options() : new MetricsOptions();
    vertxA = Vertx.vertx(vertxOptions(layout).setMetricsOptions(vertxMetrics));
    vertxB = layout == Layout.SHARED ? vertxA : Vertx.vertx(vertxOptions(layout).setMetricsOptions(vertxMetrics));
    nodesA = new BenchNodes(vertxA).servingMetrics(metrics);
    nodesB = layout == Layout.SHARED ? nodesA : new BenchNodes(vertxB).servingMetrics(metrics);
    a = nodesA.start(nodesA.options());
    b = nodesB.startConnectedTo(a);
  }

  private static VertxOptions vertxOptions(Layout layout) {
    return layout == Layout.SHARED ? new VertxOptions() : new VertxOptions().setEventLoopPoolSize(1);
  }

  Vertx vertxA() {
    return vertxA;
  }

  Vertx vertxB() {
    return vertxB;
  }

  void checkNoCloses() {
    nodesA.checkNoCloses();
    nodesB.checkNoCloses();
  }

  @Override
  public void close() {
    try {
      nodesA.close();
      if (nodesB != nodesA) {
        nodesB.close();
      }
    } finally {
      BenchNodes.await(vertxA.close());
      if (vertxB != vertxA) {
        BenchNodes.await(vertxB.close());
      }
    }
  }
}
