package org.peermesh.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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

  NodePair(Layout layout) {
    vertxA = layout == Layout.SHARED ? Vertx.vertx() : Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    vertxB = layout == Layout.SHARED ? vertxA : Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    nodesA = new BenchNodes(vertxA);
    nodesB = layout == Layout.SHARED ? nodesA : new BenchNodes(vertxB);
    a = nodesA.start(nodesA.options());
    b = nodesB.startConnectedTo(a);
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
