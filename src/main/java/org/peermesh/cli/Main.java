package org.peermesh.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.peermesh.bench.Bench;
import org.peermesh.bench.BenchNodes;
import org.peermesh.bench.BenchOptions;
import org.peermesh.bus.ProtocolAddresses;
import org.peermesh.cluster.ClusterOptions;
import org.peermesh.cluster.ClusteredVertx;
import org.peermesh.crypto.NodeKey;
import org.peermesh.crypto.NodeKeyStore;
import org.peermesh.examples.AntelopeWatchExample;
import org.peermesh.examples.Devp2pExample;
import org.peermesh.examples.ConsumerExample;
import org.peermesh.examples.EchoExample;
import org.peermesh.examples.FindCityExample;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar peermesh.jar <command>}: the command line is public API, documented in the README.
 *
 * <pre>
 *   node --conf FILE [--cluster] [--cluster-config FILE]
 *                                 run a node, or one member of a clustered node, until interrupted
 *   keygen [--out FILE]           write a new node key (default data/node.key) and print its peer id
 *   example echo|find-city        run an example mesh of three nodes on 127.0.0.1 and exit when it is done
 *   example antelope-watch        an Antelope relay, a peer feeding it blocks and a watcher syncing them
 *   example devp2p                the go-ethereum seed's MyProtocol, "foo" answered with "bar"
 *   example consumer [...]        join a node's cluster as a service: print its events, issue commands
 *   bench [scenario...] [...]     measure PeerMesh against its baselines on 127.0.0.1 and print a table
 * </pre>
 */
public final class Main {

  static final String DEFAULT_CLUSTER_CONFIG = "conf/cluster.xml";
  static final String USAGE = String.join(System.lineSeparator(),
      "usage: java -jar peermesh.jar <command>",
      "  node --conf FILE         run a node from a JSON config until interrupted (Ctrl-C stops it cleanly)",
      "       [--cluster]         ... as one member of a node clustered over several JVMs",
      "       [--cluster-config FILE]  Hazelcast settings (default " + DEFAULT_CLUSTER_CONFIG + "); implies --cluster",
      "  keygen [--out FILE]      write a new secp256k1 node key (default data/node.key), print its peer id",
      "  example echo             three nodes connect, say \"hi\" to each other and answer \"hi back\"",
      "  example find-city        three nodes move between cities until they all are in the same one",
      "  example antelope-watch   an Antelope relay, a peer feeding it blocks, a watcher that syncs and follows them",
      "  example devp2p           the go-ethereum seed's MyProtocol: a server answers \"foo\" with \"bar\"",
      "  example consumer [--conf FILE] [--cluster-config FILE] [--broadcast EVENT]",
      "                           join a clustered node as a service without peers: print every event,",
      "                           ask 'peers' (and broadcast EVENT) every 10 s; busPrefix and cluster from FILE",
      "  bench [scenario...] [--quick] [--seconds N] [--rounds N] [--payload BYTES] [--peers N] [--json FILE]",
      "                           run the benchmarks (all, or the named ones; --list names them) on 127.0.0.1",
      "                           and print each figure's median, min and max and its ratio to its baseline");

  private static final long EXAMPLE_TIMEOUT_SECONDS = 120;

  private Main() {
  }

  public static void main(String[] args) {
    // Hazelcast logs some 180 INFO lines per start; its warnings (a member lost, a merge) are what matter here.
    if (System.getProperty("org.slf4j.simpleLogger.log.com.hazelcast") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.com.hazelcast", "warn");
    }
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
    // The bench starts and stops hundreds of connections; their INFO lines would bury its table.
    if (args.length > 0 && args[0].equals("bench") && System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
      out.println(USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    try {
      return switch (args.get(0)) {
        case "node" -> node(option(args, "--conf", null), clusterConfig(args), out);
        case "bench" -> Bench.standard().run(BenchOptions.parse(args.subList(1, args.size())), out, err);
        case "keygen" -> keygen(option(args, "--out", "data/node.key"), out);
        case "example" -> args.size() > 1 && args.get(1).equals("consumer")
            ? consumer(option(args, "--conf", null), option(args, "--cluster-config", DEFAULT_CLUSTER_CONFIG),
            option(args, "--broadcast", null), out)
            : example(args.size() > 1 ? args.get(1) : "", out);
        default -> usage(err, "unknown command '" + args.get(0) + "'");
      };
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  /** The Hazelcast file of a clustered run, or null for a node in one JVM. */
  private static Path clusterConfig(List<String> args) {
    String file = option(args, "--cluster-config", null);
    if (file != null) {
      return Path.of(file);
    }
    return args.contains("--cluster") ? Path.of(DEFAULT_CLUSTER_CONFIG) : null;
  }

  private static int node(String confFile, Path clusterConfig, PrintStream out) {
    if (confFile == null) {
      throw new IllegalArgumentException("node needs --conf FILE (conf/node.json is the complete example)");
    }
    NodeOptions options = NodeOptions.fromFile(Path.of(confFile));
    Vertx vertx = clusterConfig == null ? Vertx.vertx() : joinCluster(clusterConfig, options.getCluster(), out);
    PeerMeshNode node = PeerMeshNode.create(vertx, options);
    try {
      await(node.start(), 60);
    } catch (IllegalStateException e) {
      await(vertx.close(), 10);
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
      await(node.stop().eventually(vertx::close), 30);
      stopped.countDown();
    }, "peermesh-shutdown"));
    awaitUninterruptibly(stopped);
    return 0;
  }

  private static Vertx joinCluster(Path clusterConfig, ClusterOptions options, PrintStream out) {
    Vertx vertx = await(ClusteredVertx.start(ClusteredVertx.loadConfig(clusterConfig), options), 120);
    out.println("cluster:   joined with " + clusterConfig + (options.getTls() == null ? "" : ", event bus over TLS"));
    return vertx;
  }

  private static int consumer(String confFile, String clusterConfig, String broadcastEvent, PrintStream out) {
    NodeOptions options = confFile == null ? new NodeOptions() : NodeOptions.fromFile(Path.of(confFile));
    Vertx vertx = joinCluster(Path.of(clusterConfig), options.getCluster(), out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      await(vertx.close(), 30);
      stopped.countDown();
    }, "peermesh-shutdown"));
    await(ConsumerExample.run(vertx, options.getBusPrefix(), broadcastEvent, line -> {
      synchronized (out) {
        out.println(line);
      }
    }), 30);
    awaitUninterruptibly(stopped);
    return 0;
  }

  private static int keygen(String outFile, PrintStream out) {
    Path file = Path.of(outFile);
    if (Files.exists(file)) {
      throw new IllegalStateException("node key file " + file + " exists already; a node key is an identity, "
          + "so keygen never overwrites one");
    }
    NodeKey key = NodeKey.generate();
    NodeKeyStore.write(file, key);
    out.println("wrote " + file + " (owner-only permissions)");
    out.println("peer id: " + key.peerId());
    return 0;
  }

  private static int example(String name, PrintStream out) {
    Vertx vertx = Vertx.vertx();
    Path dataDir = null;
    try {
      dataDir = Files.createTempDirectory("peermesh-example-");
      Future<?> done = switch (name) {
        case "echo" -> EchoExample.run(vertx, dataDir, out::println);
        case "find-city" -> FindCityExample.run(vertx, dataDir, 200, out::println);
        case "antelope-watch" -> AntelopeWatchExample.run(vertx, dataDir, out::println);
        case "devp2p" -> Devp2pExample.run(vertx, dataDir, out::println);
        default -> throw new IllegalArgumentException("unknown example '" + name
            + "' (echo, find-city, antelope-watch or devp2p)");
      };
      await(done, EXAMPLE_TIMEOUT_SECONDS);
      out.println("example " + name + " done");
      return 0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temporary data directory: " + e.getMessage(), e);
    } finally {
      await(vertx.close(), 10);
      // The example nodes' keys are throwaway identities: nothing of them is left behind.
      if (dataDir != null) {
        BenchNodes.deleteTree(dataDir);
      }
    }
  }

  private static String option(List<String> args, String name, String fallback) {
    int at = args.indexOf(name);
    if (at < 0) {
      return fallback;
    }
    if (at + 1 >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args.get(at + 1);
  }

  private static int usage(PrintStream err, String problem) {
    err.println("error: " + problem);
    err.println(USAGE);
    return 2;
  }

  private static <T> T await(Future<T> future, long seconds) {
    return BenchNodes.await(future, Duration.ofSeconds(seconds));
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
