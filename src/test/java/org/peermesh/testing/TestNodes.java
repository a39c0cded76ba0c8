package org.peermesh.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.PeerEvent;
import org.peermesh.cluster.ClusteredVertx;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.selection.PeerSelection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Nodes on 127.0.0.1 sharing one Vert.x instance, each with its own bus prefix, key and data directory; all of
 * them stopped by {@link #close}.
 */
public final class TestNodes implements AutoCloseable {

  public static final String NETWORK = "peermesh-test";
  public static final Duration DEADLINE = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final Path dir;
  private final List<PeerMeshNode> nodes = new CopyOnWriteArrayList<>();
  private int created;

  public TestNodes(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  /** Options for a fresh node: ephemeral port, its own prefix and data directory, test-sized timeouts. */
  public synchronized NodeOptions options() {
    int n = ++created;
    return new NodeOptions()
        .setBusPrefix("n" + n)
        .setDataDir(dir.resolve("node" + n).toString())
        .setMesh(testMesh().setNodeInfo(new JsonObject().put("name", "node" + n)));
  }

  /** Options for a fresh node, its mesh section changed by {@code change}. */
  public NodeOptions options(UnaryOperator<MeshOptions> change) {
    return withMesh(options(), change);
  }

  /** The mesh section of a test node: on 127.0.0.1, an ephemeral port, the test network, test-sized timeouts. */
  public static MeshOptions testMesh() {
    return new MeshOptions()
        .setListen(new PeerAddress("127.0.0.1", 0))
        .setNetworkId(NETWORK)
        .setConnectTimeout(5_000)
        .setHandshakeTimeout(5_000)
        .setAckTimeout(5_000);
  }

  /** {@code options}, its mesh section changed by {@code change}. */
  public static NodeOptions withMesh(NodeOptions options, UnaryOperator<MeshOptions> change) {
    change.apply(options.getMesh());
    return options;
  }

  public PeerMeshNode start(NodeOptions options) {
    return start(options, PeerSelection.defaults());
  }

  public PeerMeshNode start(NodeOptions options, PeerSelection selection) {
    PeerMeshNode node = PeerMeshNode.create(vertx, options, selection);
    nodes.add(node);
    await(node.start());
    return node;
  }

  /**
   * Starts a node whose first dial goes to {@code listener}: its start waits for that handshake, which {@code raw}
   * answers on this thread. {@link #close} stops it, even when the answer failed.
   */
  public PeerMeshNode startDialing(NodeOptions options, RawPeer raw, ServerSocket listener) throws IOException {
    PeerMeshNode node = PeerMeshNode.create(vertx, options);
    nodes.add(node);
    Future<Void> started = node.start();
    try {
      raw.accept(listener).respondHandshake(NETWORK);
    } finally {
      // Settled either way (the dial times out), so that close finds the node active and stops it.
      await(started.transform(ar -> Future.<Void>succeededFuture()));
    }
    await(started);
    return node;
  }

  /** Starts the nodes at the same time, as nodes of a mesh that know each other's addresses in advance. */
  public List<PeerMeshNode> startAll(NodeOptions... options) {
    List<PeerMeshNode> started = Arrays.stream(options).map(o -> PeerMeshNode.create(vertx, o)).toList();
    nodes.addAll(started);
    await(Future.all(started.stream().map(PeerMeshNode::start).toList()));
    return started;
  }

  public PeerMeshNode start() {
    return start(options());
  }

  /** Starts a node seeded with the given ones and waits until each of them counts it as connected. */
  public PeerMeshNode startConnectedTo(PeerMeshNode... seeds) {
    NodeOptions options = options(mesh -> mesh
        .setSeedPeers(Arrays.stream(seeds).map(PeerMeshNode::listenAddress).toList()));
    PeerMeshNode node = start(options);
    for (PeerMeshNode seed : seeds) {
      awaitConnected(seed, node);
      awaitConnected(node, seed);
    }
    return node;
  }

  public static void awaitConnected(PeerMeshNode node, PeerMeshNode peer) {
    Awaitility.await().atMost(DEADLINE).until(() -> await(node.getConnectedPeers()).stream()
        .anyMatch(p -> p.peerId().equals(peer.peerId())));
  }

  public static PeerAddress address(PeerMeshNode node) {
    return node.listenAddress();
  }

  /** Collects every body published or sent to an address, in arrival order. */
  public <T> List<T> collect(String address) {
    List<T> bodies = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().<T>consumer(address, message -> bodies.add(message.body())).completion());
    return bodies;
  }

  public List<JsonObject> events(PeerMeshNode node, PeerEvent event) {
    return collect(node.addresses().event(event));
  }

  /** Events of a node not started yet, so that none is missed. */
  public List<JsonObject> events(NodeOptions options, PeerEvent event) {
    return collect(new BusAddresses(options.getBusPrefix()).event(event));
  }

  /** A port free at the moment of the call, for nodes that must know each other's address before they start. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@link ClusteredVertx#reservedPort()}: a free port below the ephemeral range, for a listener started later. */
  public static int reservedPort() {
    return ClusteredVertx.reservedPort();
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + DEADLINE, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The failure a future ends with; an assertion error if it succeeds. */
  public static Throwable awaitFailure(Future<?> future) {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + DEADLINE, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public List<PeerMeshNode> nodes() {
    return new ArrayList<>(nodes);
  }

  @Override
  public void close() {
    List<Future<Void>> stopping = new ArrayList<>();
    for (PeerMeshNode node : nodes) {
      if (node.isActive()) {
        stopping.add(node.stop());
      }
    }
    await(Future.join(stopping));
  }
}
