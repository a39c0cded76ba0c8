package org.peermesh.devp2p.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.config.ConfigBinder;
import org.peermesh.config.ConfigException;
import org.peermesh.crypto.NodeKeyStore;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.discovery.EnodeUrl;
import org.peermesh.devp2p.discovery.NodeId;
import org.peermesh.net.MemoryBudget;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.ConnectionPool;
import org.peermesh.peer.LocalPeerDirectory;
import org.peermesh.reputation.BanList;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A devp2p node for a Java application, as go-ethereum's {@code p2p.Server}: {@link Devp2pOptions} hold MaxPeers,
 * Name, the listen address, bootnodes and discovery; the key is {@code <dataDir>/devp2p.key} (go-ethereum's
 * {@code nodekey} form, created owner-only on first start); the protocols are the application's. Its peers' events and
 * commands are on the event bus as a node's ({@code peermesh.devp2p.*}), so other services can watch and drive it.
 *
 * <pre>{@code
 * Devp2pServer server = Devp2pServer.create(vertx,
 *     new Devp2pOptions().setMaxPeers(10).setName("my-node").setListen(new PeerAddress("0.0.0.0", 30303)),
 *     Path.of("data"), myProtocol);
 * server.start().onSuccess(s -> System.out.println(s.enode()));
 * }</pre>
 */
public final class Devp2pServer {

  /** The share of the heap its peers' buffers may take, as a node's default. */
  private static final int MEMORY_BUDGET_PERCENT = 25;

  private final Vertx vertx;
  private final Devp2pOptions options;
  private final Path dataDir;
  private final List<Devp2pProtocol> protocols;
  private final BusAddresses addresses;
  private RlpxProtocol protocol;
  private ConnectionPool<RlpxMessage, Devp2pHandshake> pool;
  private String deployment;

  private Devp2pServer(Vertx vertx, Devp2pOptions options, Path dataDir, List<Devp2pProtocol> protocols,
                       String busPrefix) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = options.copy();
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    this.protocols = List.copyOf(protocols);
    this.addresses = new BusAddresses(busPrefix);
  }

  /** A server with the bus prefix {@code peermesh}, not started. */
  public static Devp2pServer create(Vertx vertx, Devp2pOptions options, Path dataDir, Devp2pProtocol... protocols) {
    return create(vertx, options, dataDir, BusAddresses.DEFAULT_PREFIX, Arrays.asList(protocols));
  }

  /**
   * A server whose events and commands are below {@code busPrefix}, not started.
   *
   * @throws ConfigException naming every option that breaks a rule
   */
  public static Devp2pServer create(Vertx vertx, Devp2pOptions options, Path dataDir, String busPrefix,
                                    List<Devp2pProtocol> protocols) {
    List<String> problems = new ArrayList<>();
    ConfigBinder.check(options, RlpxProtocol.NAME, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Devp2pServer(vertx, options, dataDir, protocols, busPrefix);
  }

  /**
   * Loads or creates the key, listens, starts discovery if configured and dials the static nodes; completes once the
   * node listens, or fails naming what could not be done.
   */
  public Future<Devp2pServer> start() {
    return vertx.executeBlocking(() -> {
      byte[] key = NodeKeyStore.loadOrCreate(dataDir.resolve(Devp2pProvider.KEY_FILE)).privateKeyBytes();
      try {
        protocol = new RlpxProtocol(options, key, protocols);
      } finally {
        Arrays.fill(key, (byte) 0);
      }
      return BanList.load(dataDir.resolve(RlpxProtocol.NAME + "-bans.json"), Clock.systemUTC());
    }).compose(bans -> {
      pool = new ConnectionPool<>(protocol, options, addresses, bans, new LocalPeerDirectory(),
          MemoryBudget.shareOfHeap(MEMORY_BUDGET_PERCENT));
      return vertx.deployVerticle(pool);
    }).map(id -> {
      deployment = id;
      return this;
    });
  }

  /** Disconnects every peer with 0x08 (client quitting), stops discovery and listening. */
  public Future<Void> stop() {
    return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
  }

  /** The node's id, its public key; known once started. */
  public NodeId id() {
    return protocol.nodeId();
  }

  /** {@code enode://<id>@host:port}; known once started. */
  public String enode() {
    return protocol.enode();
  }

  /**
   * Who the node is, as the {@code nodeInfo} command says: id, enode, name, capabilities, listen address and, with
   * discovery, its UDP port, record and table size.
   */
  public JsonObject nodeInfo() {
    return protocol.nodeInfo();
  }

  /** Where peers connect, with the port bound; null when it does not listen. */
  public PeerAddress listenAddress() {
    return pool.listenAddress();
  }

  /** The peers in every state, each as the {@code peers} command lists it. */
  public List<JsonObject> peers() {
    return pool.peers();
  }

  /**
   * Dials the node of {@code enode}; completes with the peer's info once its Hello is accepted.
   *
   * @throws IllegalArgumentException if {@code enode} is not an enode URL
   */
  public Future<JsonObject> connect(String enode) {
    return pool.connect(protocol.expect(EnodeUrl.parse(enode)));
  }

  /** The addresses of its events and commands. */
  public BusAddresses addresses() {
    return addresses;
  }
}
