package org.peermesh.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.PeerEvent;
import org.peermesh.http.HttpOptions;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.PeerInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * PeerMesh nodes on 127.0.0.1 for one scenario, on one Vert.x instance, each with its own bus prefix and a
 * throwaway key in a temporary directory; {@link #close} stops them and deletes the directory.
 *
 * <p>The options are the defaults except where a benchmark would measure a policy instead of the code: lisk-p2p's
 * limit of 100 messages per second per peer is lifted, and connection limits and the handshake timeout are raised
 * for the fan-out sizes.
 */
public final class BenchNodes implements AutoCloseable {

  public static final String NETWORK = "peermesh-bench";
  public static final Duration DEADLINE = Duration.ofSeconds(60);

  private final Vertx vertx;
  private final Path dir;
  private final List<PeerMeshNode> nodes = new ArrayList<>();
  private final List<String> unexpectedCloses = new CopyOnWriteArrayList<>();
  private volatile boolean stopping;
  private int created;
  /** Whether each node has an http section, on a port of its own, and so keeps metrics. */
  private boolean servingMetrics;

  public BenchNodes(Vertx vertx) {
    this.vertx = vertx;
    try {
      this.dir = Files.createTempDirectory("peermesh-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for the bench nodes", e);
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Gives every node an http section from now on, if {@code serving}: the node then keeps metrics. */
  public BenchNodes servingMetrics(boolean serving) {
    this.servingMetrics = serving;
    return this;
  }

  /** A file in this scenario's temporary directory, for what several nodes share (a cluster's key), deleted on close. */
  public Path file(String name) {
    return dir.resolve(name);
  }

  /** Options for a fresh node: an ephemeral port, its own prefix and key, no message-rate limit. */
  public NodeOptions options() {
    int n = ++created;
    return new NodeOptions()
        .setHttp(servingMetrics ? new HttpOptions().setPort(0) : null)
        .setBusPrefix("bench" + n)
        .setDataDir(dir.resolve("node" + n).toString())
        .setMesh(new MeshOptions()
            .setListen(new PeerAddress("127.0.0.1", 0))
            .setNetworkId(NETWORK)
            .setNodeInfo(new JsonObject().put("name", "bench" + n))
            // A stream is a flood in lisk-p2p's terms and far past the default pace: the receiver allows it.
            .setWsMaxMessageRate(Integer.MAX_VALUE)
            .setMaxMessageRate(Integer.MAX_VALUE)
            // Thousands of handshakes at once queue behind each other's signatures on two cores.
            .setHandshakeTimeout(30_000)
            .setMaxInbound(20_000)
            .setMaxPendingHandshakesPerIP(1_000)
            .setMaxPendingHandshakes(1_000));
  }

  public PeerMeshNode start(NodeOptions options) {
    PeerMeshNode node = PeerMeshNode.create(vertx, options);
    nodes.add(node);
    BusAddresses addresses = new BusAddresses(options.getBusPrefix());
    for (PeerEvent close : List.of(PeerEvent.CLOSE_INBOUND, PeerEvent.CLOSE_OUTBOUND)) {
      await(vertx.eventBus().<JsonObject>consumer(addresses.event(close), m -> {
        if (!stopping) {
          unexpectedCloses.add(options.getBusPrefix() + ": " + m.body().encode());
        }
      }).completion());
    }
    await(node.start());
    return node;
  }

  /**
   * Fails if a connection closed while the nodes ran: a benchmark that lost a peer measured something else, such
   * as a penalty or a full write queue, and says so rather than print a figure.
   */
  public void checkNoCloses() {
    if (!unexpectedCloses.isEmpty()) {
      throw new IllegalStateException("connections closed during the run: " + unexpectedCloses);
    }
  }

  /**
   * Fails if a node penalised a peer while the nodes ran: a penalty below a ban closes nothing, so
   * {@link #checkNoCloses} would not see it, yet it says a node took healthy traffic for misbehaviour. Every node's
   * view of each peer it holds must still have the score every peer starts with (scores do not recover).
   */
  public void checkNoPenalties() {
    List<String> penalised = new ArrayList<>();
    for (PeerMeshNode node : nodes) {
      for (PeerInfo peer : await(node.getConnectedPeers())) {
        if (peer.reputation() != PeerInfo.INITIAL_REPUTATION) {
          penalised.add(node.peerId() + " scores " + peer.peerId() + " " + peer.reputation());
        }
      }
    }
    if (!penalised.isEmpty()) {
      throw new IllegalStateException("peers penalised during the run (each starts at "
          + PeerInfo.INITIAL_REPUTATION + "): " + penalised);
    }
  }

  /** Starts a node that dials {@code seed}, and waits until both list each other. */
  public PeerMeshNode startConnectedTo(PeerMeshNode seed) {
    NodeOptions options = options();
    options.getMesh().setSeedPeers(List.of(seed.listenAddress()));
    PeerMeshNode node = start(options);
    awaitConnected(seed, node);
    awaitConnected(node, seed);
    return node;
  }

  public static void awaitConnected(PeerMeshNode node, PeerMeshNode peer) {
    awaitConnected(node, peer.peerId());
  }

  /** Waits until {@code node} lists {@code peerId}, a peer that need not be a node of this JVM. */
  public static void awaitConnected(PeerMeshNode node, String peerId) {
    awaitCondition("node " + node.peerId() + " connected to " + peerId, () -> await(node.getConnectedPeers())
        .stream().anyMatch(p -> p.peerId().equals(peerId)));
  }

  /** Polls {@code condition} until it holds, failing after {@link #DEADLINE}. */
  public static void awaitCondition(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not within " + DEADLINE + ": " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      }
    }
  }

  public static <T> T await(Future<T> future) {
    return await(future, DEADLINE);
  }

  /** Blocks for {@code future}'s result, failing with its cause's message or after {@code deadline}. */
  public static <T> T await(Future<T> future, Duration deadline) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(deadline.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no result within " + deadline.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Deletes {@code root} and everything below it, as far as it can. */
  public static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + root, e);
    }
  }

  @Override
  public void close() {
    stopping = true;
    try {
      await(Future.join(nodes.stream().map(PeerMeshNode::stop).toList()));
    } finally {
      nodes.clear();
      try {
        deleteTree(dir);
      } catch (UncheckedIOException ignored) {
        // a temporary directory left behind is harmless
      }
    }
  }
}
