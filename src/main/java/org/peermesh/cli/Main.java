package org.peermesh.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.peermesh.crypto.NodeKey;
import org.peermesh.crypto.NodeKeyStore;
import org.peermesh.examples.EchoExample;
import org.peermesh.examples.FindCityExample;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * {@code java -jar peermesh.jar <command>}: the command line is public API, documented in the README.
 *
 * <pre>
 *   node --conf FILE              run a node until interrupted
 *   keygen [--out FILE]           write a new node key (default data/node.key) and print its peer id
 *   example echo|find-city        run an example mesh of three nodes on 127.0.0.1 and exit when it is done
 * </pre>
 */
public final class Main {

  static final String USAGE = String.join(System.lineSeparator(),
      "usage: java -jar peermesh.jar <command>",
      "  node --conf FILE         run a node from a JSON config until interrupted (Ctrl-C stops it cleanly)",
      "  keygen [--out FILE]      write a new secp256k1 node key (default data/node.key), print its peer id",
      "  example echo             three nodes connect, say \"hi\" to each other and answer \"hi back\"",
      "  example find-city        three nodes move between cities until they all are in the same one");
  private static final long EXAMPLE_TIMEOUT_SECONDS = 120;

  private Main() {
  }

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.out, System.err));
  }

  static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
      out.println(USAGE);
      return args.isEmpty() ? 2 : 0;
    }
    try {
      return switch (args.get(0)) {
        case "node" -> node(option(args, "--conf", null), out);
        case "keygen" -> keygen(option(args, "--out", "data/node.key"), out);
        case "example" -> example(args.size() > 1 ? args.get(1) : "", out);
        default -> usage(err, "unknown command '" + args.get(0) + "'");
      };
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  private static int node(String confFile, PrintStream out) {
    if (confFile == null) {
      throw new IllegalArgumentException("node needs --conf FILE (conf/node.json is the complete example)");
    }
    NodeOptions options = NodeOptions.fromFile(Path.of(confFile));
    Vertx vertx = Vertx.vertx();
    PeerMeshNode node = PeerMeshNode.create(vertx, options);
    try {
      await(node.start(), 60);
    } catch (IllegalStateException e) {
      await(vertx.close(), 10);
      throw e;
    }
    out.println("peer id:   " + node.peerId());
    out.println("listening: " + node.listenAddress());
    if (options.getBridge() != null) {
      out.println("bridge:    " + options.getBridge());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      await(node.stop().eventually(vertx::close), 30);
      stopped.countDown();
    }, "peermesh-shutdown"));
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
        default -> throw new IllegalArgumentException("unknown example '" + name + "' (echo or find-city)");
      };
      await(done, EXAMPLE_TIMEOUT_SECONDS);
      out.println("example " + name + " done");
      return 0;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temporary data directory: " + e.getMessage(), e);
    } finally {
      await(vertx.close(), 10);
      deleteTree(dataDir);
    }
  }

  /** The example nodes' keys are throwaway identities: nothing of them is left behind. */
  private static void deleteTree(Path root) {
    if (root == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + root, e);
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
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no result within " + seconds + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
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
