package org.peermesh.node;

import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BridgeOptions;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.EventBusBridge;
import org.peermesh.bus.PeerEvent;
import org.peermesh.bus.SharedJsonCodec;
import org.peermesh.cluster.ClusterPeerDirectory;
import org.peermesh.crypto.NodeKey;
import org.peermesh.crypto.NodeKeyStore;
import org.peermesh.discovery.PeerBook;
import org.peermesh.http.HttpEndpoint;
import org.peermesh.http.HttpOptions;
import org.peermesh.http.NodeStatus;
import org.peermesh.metrics.NodeMetrics;
import org.peermesh.discovery.PeerDiscovery;
import org.peermesh.mesh.OutgoingMessage;
import org.peermesh.mesh.OutgoingRequest;
import org.peermesh.mesh.PeerCommands;
import org.peermesh.mesh.PeerPool;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.net.MemoryBudget;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.ConnectionPool;
import org.peermesh.peer.LocalPeerDirectory;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.peer.PeerGroup;
import org.peermesh.peer.PeerInfo;
import org.peermesh.peer.PeerMetrics;
import org.peermesh.peer.PoolOptions;
import org.peermesh.peer.PoolView;
import org.peermesh.peer.ProtocolProvider;
import org.peermesh.peer.WireProtocol;
import org.peermesh.reputation.BanList;
import org.peermesh.routing.BroadcastVerticle;
import org.peermesh.routing.Commands;
import org.peermesh.routing.PeerMailboxes;
import org.peermesh.routing.PeerStream;
import org.peermesh.routing.RequestVerticle;
import org.peermesh.routing.SendVerticle;
import org.peermesh.selection.PeerSelection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The node of one JVM: its key, its peer pool, and the verticles behind its event-bus commands.
 */
final class DefaultPeerMeshNode implements PeerMeshNode {

  private static final Logger LOG = LoggerFactory.getLogger(DefaultPeerMeshNode.class);
  /** Peer verticles enforce ackTimeout themselves; this only bounds the local hops around them. */
  private static final long LOCAL_HOP_MARGIN_MS = 5_000;
  /** The file next to the node key that keeps bans across restarts. */
  public static final String BAN_LIST_FILE = "bans.json";
  /**
   * A protocol's bans are kept apart from the mesh's, in {@code <protocol>-bans.json}: an address banned as a Bitcoin
   * peer may be an honest mesh peer.
   */
  public static final String BAN_FILE_SUFFIX = "-bans.json";

  private final Vertx vertx;
  private final NodeOptions options;
  private final PeerSelection selection;
  private final BusAddresses addresses;
  /** What every pool's connections buffer, together: one budget for the node's protocols. */
  private final MemoryBudget memoryBudget;
  /** How the Java API's commands go to this JVM's routers: a router answers within ackTimeout, and a margin. */
  private final DeliveryOptions routerDelivery;
  private volatile PeerDirectory directory = new LocalPeerDirectory();

  private enum Phase { NEW, STARTING, ACTIVE, STOPPING, STOPPED }

  private Phase phase = Phase.NEW;
  private NodeKey nodeKey;
  /** Whether this start created the key file, which a failed start then deletes. */
  private boolean keyCreated;
  private PeerPool pool;
  /** How sendToPeer and requestFromPeer reach a peer: straight to its mailbox. */
  private volatile PeerMailboxes mailboxes;
  /** The pools of the protocols beside the mesh, by protocol name. */
  private final Map<String, PeerGroup<?, ?>> protocolPools = new ConcurrentHashMap<>();
  private EventBusBridge bridge;
  private volatile HttpEndpoint http;
  /** The node's metrics, kept while it has an http section to serve them; null otherwise. */
  private volatile NodeMetrics metrics;
  private final List<String> deployments = new ArrayList<>();
  private String clusterDeployment;

  DefaultPeerMeshNode(Vertx vertx, NodeOptions options, PeerSelection selection) {
    this.vertx = vertx;
    this.options = new NodeOptions(options).validate();
    this.selection = selection;
    this.addresses = new BusAddresses(this.options.getBusPrefix());
    this.memoryBudget = MemoryBudget.shareOfHeap(this.options.getMemoryBudgetPercent());
    this.routerDelivery = new DeliveryOptions().setSendTimeout(
        this.options.getMesh() == null ? DeliveryOptions.DEFAULT_TIMEOUT
            : this.options.getMesh().getAckTimeout() + LOCAL_HOP_MARGIN_MS);
  }

  @Override
  public synchronized Future<Void> start() {
    if (phase != Phase.NEW) {
      return Future.failedFuture(new IllegalStateException("the node was started already (" + phase + ")"));
    }
    phase = Phase.STARTING;
    if (options.getHttp() != null) {
      metrics = NodeMetrics.create(vertx, memoryBudget);
    }
    PeerCommands.registerCodecs(vertx.eventBus());
    SharedJsonCodec.registerOn(vertx.eventBus());
    return (options.getMesh() != null ? startMesh() : Future.<Void>succeededFuture())
        .compose(v -> startProtocols())
        .compose(v -> deployAll(List.of(
            new PeerListVerticle(addresses, directory, pool, options.getMesh(), protocolPools, memoryBudget,
                () -> bridge == null ? new JsonObject() : bridge.dropped()))))
        .compose(v -> startBridge())
        .compose(v -> startHttp())
        .onSuccess(v -> {
          synchronized (this) {
            phase = Phase.ACTIVE;
          }
          if (pool != null) {
            LOG.info("Node {} listening on {} (network {}, bus prefix {})", nodeKey.peerId(), pool.listenAddress(),
                options.getMesh().getNetworkId(), addresses.prefix());
            pool.publish(PeerEvent.NETWORK_READY, new JsonObject()
                .put("peerId", peerId())
                .put("host", pool.listenAddress().host())
                .put("port", pool.listenAddress().port())
                .put("connectedPeers", directory.size()));
          }
        })
        // Not logged here: the caller reports the failure it is given, and the command line printed it twice.
        .recover(err -> teardown().transform(ignored -> forgetCreatedKey()).transform(ignored ->
            Future.<Void>failedFuture(err)));
  }

  /**
   * After a failed start, deletes the node key file this start created: the key is made before the pool binds (the
   * file is where the members of a clustered node agree on one key, so it cannot wait for the ports), and a start
   * that failed leaves no identity behind. A clustered member keeps it: another member may have loaded it already.
   */
  private Future<Void> forgetCreatedKey() {
    if (!keyCreated || vertx.isClustered()) {
      return Future.succeededFuture();
    }
    Path file = options.keyFilePath();
    return vertx.executeBlocking(() -> {
      Files.deleteIfExists(file);
      LOG.info("Deleted node key file {}, which the failed start had created", file);
      return null;
    });
  }

  /** The mesh protocol: the node key and stored state, the peer pool, discovery and the routers. */
  private Future<Void> startMesh() {
    Path banFile = Path.of(options.getDataDir()).resolve(BAN_LIST_FILE);
    return vertx.executeBlocking(() -> new StoredState(
            BanList.load(banFile, Clock.systemUTC()),
            PeerBook.loadOrCreate(PeerDiscovery.bookFile(Path.of(options.getDataDir())), Clock.systemUTC())))
        // The key after what is only read: a ban list or peer book that does not load leaves no new key behind.
        .compose(stored -> vertx.executeBlocking(() -> NodeKeyStore.open(options.keyFilePath())).map(opened -> {
          nodeKey = opened.key();
          keyCreated = opened.created();
          return stored;
        }))
        .compose(stored -> joinCluster().map(stored))
        .compose(stored -> {
          pool = new PeerPool(options.getMesh(), nodeKey, addresses, directory, stored.bans(), memoryBudget);
          pool.metrics(metricsOf(BusAddresses.MESH));
          PeerDiscovery discovery = new PeerDiscovery(options.getMesh(), Path.of(options.getDataDir()), addresses, pool,
              directory, selection, stored.book());
          pool.hooks(discovery);
          mailboxes = new PeerMailboxes(vertx, addresses, directory, options.getMesh().getAckTimeout());
          return deployAll(List.of(
              new SendVerticle(addresses, directory, selection, options.getMesh(), pool.backlog(), mailboxes),
              new BroadcastVerticle(addresses, directory, selection, options.getMesh(), pool.backlog(), mailboxes),
              new RequestVerticle(addresses, directory, selection, options.getMesh(), mailboxes),
              new NodeApiVerticle(addresses, directory, pool, options.getMesh()),
              pool,
              discovery));
        })
        .onSuccess(deployed -> {
          if (directory instanceof ClusterPeerDirectory clustered) {
            clustered.advertise(pool.listenAddress());
          }
        });
  }

  /**
   * The peers of each installed protocol whose section the config has, beside the mesh or instead of it, each in a
   * {@link ConnectionPool} of its own with its bans in {@code <dataDir>/<protocol>-bans.json}.
   */
  private Future<Void> startProtocols() {
    Map<String, PoolOptions<?>> sections = options.getProtocols();
    List<ProtocolProvider<?>> configured = ProtocolProvider.installed().stream()
        .filter(provider -> sections.containsKey(provider.name())).toList();
    if (configured.isEmpty()) {
      return Future.succeededFuture();
    }
    // A node without the mesh joins its cluster here: its peers are claimed in the cluster's directory.
    Future<Void> chain = options.getMesh() != null ? Future.succeededFuture() : joinCluster();
    for (ProtocolProvider<?> provider : configured) {
      PoolOptions<?> section = sections.get(provider.name());
      Path dataDir = Path.of(options.getDataDir());
      chain = chain.compose(v -> vertx.executeBlocking(() -> protocolOf(provider, section, dataDir)))
          .compose(protocol -> startProtocol(provider.name(), protocol, section));
    }
    return chain;
  }

  /** The provider's protocol for its section, which the node's options bound to the provider's own options class. */
  @SuppressWarnings("unchecked")
  private static <O extends PoolOptions<O>> WireProtocol<?, ?> protocolOf(ProtocolProvider<O> provider,
                                                                          PoolOptions<?> section, Path dataDir) {
    return provider.protocol((O) section, dataDir);
  }

  private <M, R> Future<Void> startProtocol(String name, WireProtocol<M, R> protocol, PoolOptions<?> section) {
    Path banFile = Path.of(options.getDataDir()).resolve(name + BAN_FILE_SUFFIX);
    return vertx.executeBlocking(() -> BanList.load(banFile, Clock.systemUTC())).compose(bans -> {
      ConnectionPool<M, R> pool = new ConnectionPool<>(protocol, section, addresses, bans, directory, memoryBudget)
          .metrics(metricsOf(name));
      return deployAll(List.of(pool)).onSuccess(v -> protocolPools.put(name, pool));
    });
  }

  /** What the pool of {@code protocol} reports to: nothing unless the node keeps metrics. */
  private PeerMetrics metricsOf(String protocol) {
    NodeMetrics kept = metrics;
    return kept == null ? PeerMetrics.NONE : kept.protocol(protocol);
  }

  /**
   * On a clustered Vert.x this JVM is one member of the node: the directory it routes over is the cluster's, and is
   * deployed before anything can connect. It is undeployed last, once this member's peers are closed.
   */
  private Future<Void> joinCluster() {
    if (!vertx.isClustered()) {
      return Future.succeededFuture();
    }
    ClusterPeerDirectory clustered = new ClusterPeerDirectory(addresses, options.getCluster(),
        nodeKey == null ? null : nodeKey.peerId().toString());
    directory = clustered;
    return vertx.deployVerticle(clustered).map(id -> {
      synchronized (this) {
        clusterDeployment = id;
      }
      NodeMetrics kept = metrics;
      if (kept != null) {
        kept.bindCluster(() -> clustered.members().size(), clustered::size);
      }
      return null;
    });
  }

  /** What a node keeps in its data directory beside its key, loaded before anything connects. */
  private record StoredState(BanList bans, PeerBook book) {
  }

  private Future<Void> deployAll(List<Deployable> verticles) {
    Future<Void> chain = Future.succeededFuture();
    for (Deployable verticle : verticles) {
      chain = chain.compose(v -> vertx.deployVerticle(verticle).map(id -> {
        synchronized (this) {
          deployments.add(id);
        }
        return null;
      }));
    }
    return chain;
  }

  private Future<Void> startBridge() {
    BridgeOptions bridgeOptions = options.getBridge();
    if (bridgeOptions == null) {
      return Future.succeededFuture();
    }
    // The mesh's layer commands and events beside its lisk-p2p addresses, and every installed protocol's.
    List<String> protocols = new ArrayList<>();
    if (options.getMesh() != null) {
      protocols.add(BusAddresses.MESH);
    }
    ProtocolProvider.installed().forEach(provider -> protocols.add(provider.name()));
    return EventBusBridge.start(vertx, addresses, protocols, bridgeOptions, memoryBudget).map(started -> {
      bridge = started;
      NodeMetrics kept = metrics;
      if (kept != null) {
        kept.bindBridge(started::connections, started::droppedTotal);
      }
      LOG.info("Event-bus bridge listening on {}", bridgeOptions.listenAddress());
      return null;
    });
  }

  /** The http section's server, last: /health says the node is ready only once everything it checks runs. */
  private Future<Void> startHttp() {
    HttpOptions httpOptions = options.getHttp();
    if (httpOptions == null) {
      return Future.succeededFuture();
    }
    HttpEndpoint endpoint = new HttpEndpoint(httpOptions, new Status(), metrics);
    return deployAll(List.of(endpoint)).onSuccess(v -> {
      http = endpoint;
      LOG.info("HTTP (/metrics, /health, mesh view) listening on {}", endpoint.listenAddress());
    });
  }

  /** The node as its HTTP routes read it. */
  private final class Status implements NodeStatus {

    @Override
    public boolean isActive() {
      return DefaultPeerMeshNode.this.isActive();
    }

    @Override
    public String peerId() {
      return DefaultPeerMeshNode.this.peerId();
    }

    @Override
    public BusAddresses addresses() {
      return addresses;
    }

    @Override
    public Map<String, PoolView> pools() {
      Map<String, PoolView> pools = new LinkedHashMap<>();
      if (pool != null) {
        pools.put(BusAddresses.MESH, pool);
      }
      pools.putAll(protocolPools);
      return pools;
    }

    @Override
    public boolean isClustered() {
      return vertx.isClustered();
    }

    @Override
    public List<String> clusterMembers() {
      return directory instanceof ClusterPeerDirectory clustered ? clustered.members() : List.of();
    }

    @Override
    public String memberId() {
      return directory instanceof ClusterPeerDirectory clustered ? clustered.memberId() : null;
    }
  }

  @Override
  public synchronized Future<Void> stop() {
    if (phase != Phase.ACTIVE) {
      return phase == Phase.STOPPED || phase == Phase.STOPPING
          ? Future.succeededFuture()
          : Future.failedFuture(new IllegalStateException("the node is not running (" + phase + ")"));
    }
    phase = Phase.STOPPING;
    LOG.info("Node {} stopping", nodeKey == null ? addresses.prefix() : nodeKey.peerId());
    return teardown();
  }

  /** Undoes whatever start did, in reverse; also what a failed start runs. */
  private Future<Void> teardown() {
    http = null;
    Future<Void> bridgeClosed = bridge == null ? Future.succeededFuture() : bridge.close();
    List<Future<Void>> shutdowns = new ArrayList<>();
    if (pool != null) {
      shutdowns.add(pool.shutdown());
    }
    protocolPools.values().forEach(protocolPool -> shutdowns.add(protocolPool.shutdown()));
    Future<Void> peersClosed = Future.join(shutdowns).mapEmpty();
    List<String> ids;
    String clusterId;
    synchronized (this) {
      ids = new ArrayList<>(deployments);
      deployments.clear();
      clusterId = clusterDeployment;
      clusterDeployment = null;
    }
    return Future.join(bridgeClosed, peersClosed)
        .transform(done -> Future.join(ids.stream().map(vertx::undeploy).toList()))
        .transform(done -> clusterId == null ? Future.succeededFuture() : vertx.undeploy(clusterId))
        .transform(done -> {
          NodeMetrics kept = metrics;
          metrics = null;
          if (kept != null) {
            kept.close();
          }
          synchronized (this) {
            phase = Phase.STOPPED;
          }
          return Future.succeededFuture();
        });
  }

  @Override
  public synchronized boolean isActive() {
    return phase == Phase.ACTIVE;
  }

  @Override
  public NodeOptions config() {
    return new NodeOptions(options);
  }

  @Override
  public String peerId() {
    return nodeKey == null ? null : nodeKey.peerId().toString();
  }

  @Override
  public PeerAddress listenAddress() {
    return pool == null ? null : pool.listenAddress();
  }

  @Override
  public PeerAddress httpAddress() {
    HttpEndpoint endpoint = http;
    return endpoint == null ? null : endpoint.listenAddress();
  }

  @Override
  public PeerAddress listenAddress(String protocol) {
    PoolView view = poolOf(protocol);
    return view == null ? null : view.listenAddress();
  }

  @Override
  public List<JsonObject> peers(String protocol) {
    PoolView view = poolOf(protocol);
    return view == null ? List.of() : view.peers();
  }

  /** The pool of {@code protocol}, the mesh's included; null when the node does not run it. */
  private PoolView poolOf(String protocol) {
    return BusAddresses.MESH.equals(protocol) ? pool : protocolPools.get(protocol);
  }

  @Override
  public BusAddresses addresses() {
    return addresses;
  }

  @Override
  public JsonObject nodeInfo() {
    return pool == null ? new JsonObject() : (JsonObject) pool.nodeInfo().value();
  }

  @Override
  public Future<Void> applyNodeInfo(JsonObject nodeInfo) {
    return command(addresses.applyNodeInfo(), () -> nodeInfo).mapEmpty();
  }

  @Override
  public Future<List<PeerInfo>> getConnectedPeers() {
    return Future.succeededFuture(directory.connectedPeers());
  }

  @Override
  public Future<List<PeerInfo>> getDisconnectedPeers() {
    return pool == null ? Future.succeededFuture(List.of()) : Future.succeededFuture(pool.disconnectedPeers());
  }

  @Override
  public Future<List<String>> send(String event, Object data) {
    return command(addresses.send(), () -> new OutgoingMessage(event, JsonPayload.of(data)))
        .map(DefaultPeerMeshNode::peerIds);
  }

  @Override
  public Future<List<String>> broadcast(String event, Object data) {
    return command(addresses.broadcast(), () -> new OutgoingMessage(event, JsonPayload.of(data)))
        .map(DefaultPeerMeshNode::peerIds);
  }

  @Override
  public Future<Object> request(String procedure, Object data) {
    return command(addresses.request(), () -> new OutgoingRequest(procedure, JsonPayload.of(data)));
  }

  @Override
  public Future<Void> sendToPeer(String peerId, String event, Object data) {
    // Straight to the peer's mailbox, wherever it is: no router between.
    return issue(() -> Commands.fitting(new OutgoingMessage(event, JsonPayload.of(data)), maxMessageSize()),
        message -> mailboxes.send(peerId, message, event)).mapEmpty();
  }

  @Override
  public Future<Object> requestFromPeer(String peerId, String procedure, Object data) {
    return issue(() -> Commands.fitting(new OutgoingRequest(procedure, JsonPayload.of(data)), maxMessageSize()),
        request -> mailboxes.request(peerId, request));
  }

  @Override
  public PeerStream streamToPeer(String peerId) {
    if (!isActive()) {
      throw new IllegalStateException("the node is not running");
    }
    return new PeerStream(vertx, mailboxes, peerId, maxMessageSize(), options.getMesh().getMaxWriteQueueSize());
  }

  private int maxMessageSize() {
    return options.getMesh().getMaxMessageSize();
  }

  /** A command to the router at {@code address}. */
  private Future<Object> command(String address, Supplier<Object> bodyFactory) {
    return issue(bodyFactory, body -> vertx.eventBus().request(addresses.local(address), body, routerDelivery)
        .map(reply -> reply.body()));
  }

  /**
   * Builds a command's body and sends it; a body that cannot be built (bad name, data that is not JSON, a frame over
   * maxMessageSize) fails the future, as 400.
   */
  private <T> Future<Object> issue(Supplier<T> bodyFactory, Function<T, Future<Object>> send) {
    if (!isActive()) {
      return Future.failedFuture(new IllegalStateException("the node is not running"));
    }
    T body;
    try {
      body = bodyFactory.get();
    } catch (IllegalArgumentException | EncodeException e) {
      return Future.failedFuture(Commands.badRequest(e.getMessage()));
    } catch (ReplyException refused) {
      return Future.failedFuture(refused);
    }
    return send.apply(body);
  }

  private static List<String> peerIds(Object reply) {
    JsonArray ids = ((JsonObject) reply).getJsonArray("peerIds");
    List<String> out = new ArrayList<>(ids.size());
    ids.forEach(id -> out.add((String) id));
    return out;
  }
}
