package org.peermesh.cli;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.metrics.MetricsOptions;
import org.peermesh.bus.ProtocolAddresses;
import org.peermesh.cluster.ClusterOptions;
import org.peermesh.cluster.ClusteredVertx;
import org.peermesh.metrics.VertxMetrics;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code node}: a node, or one member of a clustered node, until the process is told to stop. */
@Command(name = "node", sortOptions = false,
    description = "Run a node from a JSON config until interrupted (Ctrl-C stops it cleanly).")
final class NodeCommand implements Callable<Integer> {

  static final String DEFAULT_CLUSTER_CONFIG = "conf/cluster.xml";

  private final PrintStream out;

  @Option(names = "--conf", paramLabel = "FILE", required = true,
      description = "The node's JSON config; conf/node.json is the complete example.")
  private Path conf;

  @Option(names = "--cluster",
      description = "Run as one member of a node clustered over several JVMs, with the Hazelcast settings of "
          + DEFAULT_CLUSTER_CONFIG + ".")
  private boolean cluster;

  @Option(names = "--cluster-config", paramLabel = "FILE",
      description = "The Hazelcast settings of a clustered node; implies --cluster.")
  private Path clusterConfig;

  @Mixin
  private HelpOption help;

  NodeCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    NodeOptions options = NodeOptions.fromFile(conf);
    Path hazelcast = clusterConfig != null ? clusterConfig : cluster ? Path.of(DEFAULT_CLUSTER_CONFIG) : null;
    // With an http section, /metrics carries Vert.x's own figures (event bus, net, JVM) beside the node's.
    MetricsOptions metrics = options.getHttp() == null ? new MetricsOptions() : VertxMetrics.options();
    Vertx vertx = hazelcast == null ? Vertx.vertx(new VertxOptions().setMetricsOptions(metrics))
        : joinCluster(hazelcast, options.getCluster(), metrics, out);
    PeerMeshNode node = PeerMeshNode.create(vertx, options);
    try {
      Main.await(node.start(), 60);
    } catch (IllegalStateException e) {
      Main.await(vertx.close(), 10);
      throw e;
    }
    if (options.getMesh() != null) {
      out.println("peer id:   " + node.peerId());
      out.println("listening: " + node.listenAddress());
    }
    options.getProtocols().forEach((name, section) -> {
      PeerAddress listen = node.listenAddress(name);
      ProtocolAddresses bus = node.addresses().protocol(name);
      out.println(name + ":" + " ".repeat(Math.max(1, 10 - name.length())) + section.summary()
          + (listen == null ? "" : ", listening on " + listen)
          + (section.getConnect().isEmpty() ? "" : ", connecting to " + section.getConnect())
          + (section.getProxy() == null ? "" : " through SOCKS5 proxy " + section.getProxy()));
      out.println("events:    " + bus.message("<type>") + ", " + bus.raw() + ", " + bus.stateChange());
    });
    if (options.getBridge() != null) {
      out.println("bridge:    " + options.getBridge().listenAddress());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Main.await(node.stop().eventually(vertx::close), 30);
      stopped.countDown();
    }, "peermesh-shutdown"));
    Main.awaitUninterruptibly(stopped);
    return 0;
  }

  /** Joins the cluster, keeping the metrics {@code metrics} enables. */
  static Vertx joinCluster(Path clusterConfig, ClusterOptions options, MetricsOptions metrics, PrintStream out) {
    Vertx vertx = Main.await(ClusteredVertx.start(ClusteredVertx.loadConfig(clusterConfig), options, metrics), 120);
    out.println("cluster:   joined with " + clusterConfig + (options.getTls() == null ? "" : ", event bus over TLS"));
    return vertx;
  }
}
