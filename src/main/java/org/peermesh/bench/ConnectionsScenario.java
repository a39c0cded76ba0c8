package org.peermesh.bench;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.DoubleStream;

/**
 * One node holding N peers: how fast it admits them, what each costs it in heap and RSS, and whether it still
 * answers a request as fast while it holds them.
 *
 * <p>The node runs in a child JVM with a 1 GiB heap, so its memory is its own ({@link NodeProcess}); the N peers are
 * {@link LightPeer}s in this JVM, and a full node Q here, connected to it first, times {@code requestFromPeer} on it.
 *
 * <p>One child JVM per N, and each round opens N connections and closes them again: every figure then has rounds,
 * and every round measures the idle request latency and the memory "before" just ahead of its own N connections, so
 * the comparison is within one JVM in one state. What a round leaves behind (the node remembers the last 1,000
 * disconnected peers; the heap G1 grew may stay committed) is in both "before" and "after" of the next round, so
 * the per-peer figures count what the N connected peers add, not what earlier rounds left. The warm-up round of
 * {@link Rounds} runs the whole cycle once, so handshakes are timed with the node's code compiled.
 */
public final class ConnectionsScenario implements Scenario {

  /**
   * Handshakes under way at once; below the node's maxPendingHandshakesPerIP and maxPendingHandshakes (all peers come
   * from 127.0.0.1).
   */
  static final int HANDSHAKES_IN_FLIGHT = 128;
  /**
   * The target's 1 GiB heap, committed and touched at start: G1 otherwise grows and shrinks the committed heap at
   * every full GC by tens of MB, which the RSS would follow whatever the peers cost. So the heap is resident from
   * the start, the heap figure says what the peers take of it, and the RSS figure what they take outside it (Netty,
   * native buffers, malloc).
   */
  private static final List<String> CHILD_JVM_OPTIONS = List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");
  private static final String IDLE_P99 = "connections-idle-request-p99";

  @Override
  public String name() {
    return "connections";
  }

  @Override
  public String description() {
    return "N peers connected to one node (1 GiB heap): handshakes/s, heap and RSS per peer, p99 of --payload "
        + "requests while held";
  }

  @Override
  public List<Figure> run(BenchOptions options, BenchLog log) throws Exception {
    List<Integer> sizes = options.peerCounts(List.of(1_000, 10_000), List.of(200));
    List<Figure> figures = new ArrayList<>();
    DoubleStream idle = DoubleStream.empty();
    Vertx vertx = Vertx.vertx();
    try {
      for (int n : sizes) {
        double[][] rounds = measure(vertx, n, options, log);
        idle = DoubleStream.concat(idle, DoubleStream.of(rounds[0]));
        figures.add(Figure.rate("connections-" + n + "-handshakes", "hs/s", rounds[1]));
        figures.add(Figure.latency("connections-" + n + "-heap-per-peer", "KiB", rounds[2]));
        figures.add(Figure.latency("connections-" + n + "-rss-per-peer", "KiB", rounds[3]));
        figures.add(Figure.latency("connections-" + n + "-request-p99", "us", rounds[4]).against(IDLE_P99));
      }
    } finally {
      BenchNodes.await(vertx.close());
    }
    // The idle latency is the same state, a node with Q alone, measured ahead of every round of every size.
    figures.add(0, Figure.latency(IDLE_P99, "us", idle.toArray()));
    return figures;
  }

  /** Rounds of N connections to one child node: {idle p99, handshakes/s, heap KiB/peer, RSS KiB/peer, held p99}. */
  private static double[][] measure(Vertx vertx, int n, BenchOptions options, BenchLog log) throws Exception {
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000).setTcpNoDelay(true));
    try (NodeUnderTest child = NodeUnderTest.start(CHILD_JVM_OPTIONS, n + 1);
         BenchNodes nodes = new BenchNodes(vertx)) {
      NodeOptions qOptions = nodes.options();
      qOptions.getMesh().setSeedPeers(List.of(child.address()));
      PeerMeshNode q = nodes.start(qOptions);
      BenchNodes.awaitConnected(q, child.peerId());
      String data = Payload.of(options.payload());
      // One request at a time, each sent from the previous answer's callback on one context.
      Supplier<Latencies> requests = () -> InFlightWindow.round(vertx, options, 1,
          () -> q.requestFromPeer(child.peerId(), NodeProcess.ECHO, data)).latencies();
      return Rounds.measure(options, log, "connections " + n, () -> {
        LightPeerCrowd crowd = new LightPeerCrowd(n);
        NodeUnderTest.Memory before = child.memoryAfterGc();
        Latencies idle = requests.get();

        long start = System.nanoTime();
        BenchNodes.await(crowd.connect(vertx, client, child.address(), HANDSHAKES_IN_FLIGHT));
        child.awaitPeers(n + 1);
        double handshakesPerSecond = n / ((System.nanoTime() - start) / 1e9);

        NodeUnderTest.Memory after = child.memoryAfterGc();
        Latencies held = requests.get();
        if (crowd.closedByNode() > 0) {
          throw new IllegalStateException("the node closed " + crowd.closedByNode() + " of " + n + " light peers");
        }
        log.line(String.format("connections %d: p50 %.0f µs idle, %.0f µs held; heap %,d -> %,d, RSS %,d -> %,d bytes",
            n, idle.percentileMicros(50), held.percentileMicros(50), before.heapBytes(), after.heapBytes(),
            before.rssBytes(), after.rssBytes()));
        BenchNodes.await(crowd.close());
        child.awaitPeers(1);
        return new double[] {
            idle.percentileMicros(99),
            handshakesPerSecond,
            (after.heapBytes() - before.heapBytes()) / 1024.0 / n,
            (after.rssBytes() - before.rssBytes()) / 1024.0 / n,
            held.percentileMicros(99)};
      });
    } finally {
      BenchNodes.await(client.close());
    }
  }
}
