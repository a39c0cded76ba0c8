package org.peermesh.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.peermesh.node.PeerMeshNode;

import java.util.List;

/**
 * PeerMesh on lisk-p2p's broadcast3 workload: three nodes in this JVM, A connected to B and C, A broadcasting
 * {@linkplain Payload payload}-sized messages as fast as it can with at most {@link #WINDOW} broadcasts on their
 * way, a {@link SendPath} to two receivers. A broadcast is on its way until both B's and C's consumers have it, not
 * only until its future completes: the future says the router has handed it to A's peers, and behind that a queue
 * could grow for as long as the round lasts.
 *
 * <p>The figure, like bench.js's, is messages delivered per second summed over B and C (counted by consumers on
 * their {@code message(event)} addresses): one broadcast that reached both counts twice. A round fails if a broadcast
 * fails or its reply does not list both B and C; the scenario fails if a connection closed or a node penalised a
 * peer, so that {@code bench lisk --seconds 60 --rounds 1} shows a minute of broadcasting flat out costs neither.
 */
final class PeerMeshBroadcast {

  static final String FIGURE = "broadcast-3";

  private static final String EVENT = "bench";
  /** Broadcasts on their way at once. */
  private static final int WINDOW = 256;

  private PeerMeshBroadcast() {
  }

  static Figure measure(BenchOptions options, BenchLog log) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (BenchNodes nodes = new BenchNodes(vertx)) {
      PeerMeshNode a = nodes.start(nodes.options());
      PeerMeshNode b = nodes.startConnectedTo(a);
      PeerMeshNode c = nodes.startConnectedTo(a);
      List<String> both = List.of(b.peerId(), c.peerId());
      SendPath broadcast = new SendPath(FIGURE, WINDOW, vertx,
          data -> a.broadcast(EVENT, data).compose(ids -> ids.containsAll(both) ? Future.succeededFuture()
              : Future.failedFuture("broadcast reached " + ids + ", not B and C " + both)),
          List.of(SendPath.Receiver.of(b, vertx, EVENT), SendPath.Receiver.of(c, vertx, EVENT)), SendPath::dataOf);
      double[][] measured = broadcast.measure(options, log);
      nodes.checkNoCloses();
      nodes.checkNoPenalties();
      return Figure.rate(FIGURE, "msg/s", measured[0]);
    } finally {
      BenchNodes.await(vertx.close());
    }
  }
}
