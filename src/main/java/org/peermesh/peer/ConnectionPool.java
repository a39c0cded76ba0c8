package org.peermesh.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.ProtocolAddresses;
import org.peermesh.net.Blacklist;
import org.peermesh.net.MemoryBudget;
import org.peermesh.net.PeerAddress;
import org.peermesh.reputation.BanList;
import org.peermesh.reputation.Reputation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The peers of one wire protocol: the pool listens, admits inbound sockets, keeps its {@code connect} peers
 * connected with back-off, claims the peers it holds in the node's directory (one connection per remote peer across
 * a cluster), scores misbehaviour and bans, and serves the protocol's commands. Each connection is a
 * {@link PeerConnection}, which runs the protocol's codec, handshake and session.
 *
 * <p>Peers are scored and banned by IP: a peer that has proven nothing is known by its address, and an address
 * costs an attacker more than a port or a key. Local addresses are not exempt.
 *
 * @param <M> the protocol's message type
 * @param <R> what its handshake establishes
 */
public final class ConnectionPool<M, R> extends VerticleBase implements PeerGroup<M, R>, PoolHandle {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);

  private final WireProtocol<M, R> protocol;
  private final PoolOptions<?> options;
  private final BusAddresses busAddresses;
  private final ProtocolAddresses addresses;
  private final Reputation reputation;
  private final Blacklist blacklist;
  /** Guarded by itself: accepts and closes come from many event loops. */
  private final InboundAdmission admission;
  /** Where peers are claimed: in a cluster, the directory every member shares. */
  private final PeerDirectory directory;
  private final MemoryBudget memoryBudget;
  private final Map<String, PeerConnection<M, R>> peers = new ConcurrentHashMap<>();
  /** The claims each connection holds, released once when it closes. */
  private final Map<PeerConnection<M, R>, List<String>> claims = new ConcurrentHashMap<>();
  /**
   * Every claim a connection of this pool holds: a second connection of this JVM to one peer is refused here, as a
   * member's directory grants its own member a claim it already holds.
   */
  private final Set<String> claimedHere = ConcurrentHashMap.newKeySet();
  private volatile PeerMetrics metrics = PeerMetrics.NONE;
  private PoolBans bans;
  private PeerListener listener;
  private NetClient client;
  private volatile PeerAddress listenAddress;
  private volatile boolean running;

  /**
   * @param bans      the protocol's ban list, loaded from its file in the node's data directory
   * @param directory where peers are claimed; in a cluster, the one all members share
   * @param memoryBudget the node's, shared by every pool
   */
  public ConnectionPool(WireProtocol<M, R> protocol, PoolOptions<?> options, BusAddresses busAddresses, BanList bans,
                        PeerDirectory directory, MemoryBudget memoryBudget) {
    this.memoryBudget = memoryBudget;
    this.protocol = protocol;
    this.options = options.copy();
    this.busAddresses = busAddresses;
    this.addresses = busAddresses.protocol(protocol.name());
    this.directory = directory;
    this.blacklist = new Blacklist(options.getBlacklistedIPs());
    this.reputation = new Reputation(bans, options.isExemptLocalAddresses(), options.getPeerBanTime());
    this.admission = new InboundAdmission(options, blacklist, reputation, InboundAdmission.Rules.NONE);
  }

  @Override
  public WireProtocol<M, R> protocol() {
    return protocol;
  }

  @Override
  public PoolOptions<?> options() {
    return options;
  }

  @Override
  public ProtocolAddresses addresses() {
    return addresses;
  }

  @Override
  public NetClient netClient() {
    return client;
  }

  @Override
  public PeerMetrics metrics() {
    return metrics;
  }

  /** Reports to {@code metrics} from now on; set before the pool is deployed. */
  public ConnectionPool<M, R> metrics(PeerMetrics metrics) {
    this.metrics = metrics;
    return this;
  }

  @Override
  public MemoryBudget memoryBudget() {
    return memoryBudget;
  }

  @Override
  public PeerAddress listenAddress() {
    return listenAddress;
  }

  /** The peers this JVM holds, in every state, and the connected ones the other members of a clustered node hold. */
  @Override
  public List<JsonObject> peers() {
    List<JsonObject> all = new ArrayList<>(localPeers());
    all.addAll(directory.entriesElsewhere(protocol.name()));
    return all;
  }

  @Override
  public int connectedPeers() {
    return (int) peers.values().stream().filter(PeerConnection::isConnected).count()
        + directory.entriesElsewhere(protocol.name()).size();
  }

  @Override
  public String stateName(PeerState state) {
    return protocol.stateName(state);
  }

  /** The peers this JVM holds, in every state. */
  public List<JsonObject> localPeers() {
    return peers.values().stream().map(PeerConnection::info).toList();
  }

  // ---------------------------------------------------------------------------------------------------- lifecycle

  @Override
  public Future<?> start() {
    running = true;
    client = vertx.createNetClient(PeerSocket.clientOptions(options));
    bans = new PoolBans(vertx, addresses, reputation, options.getPeerBanTime(), deploymentID());
    Future<Void> adoptingBans = bans.start((ban, announcement) -> enforce(ban), ban -> LOG.info(
        "Ban of {} peer address {} expired", protocol.name(), ban.key()));
    Future<Void> commands = PoolCommands.register(vertx, busAddresses, this, this::connect);
    return Future.all(adoptingBans, commands).compose(v -> listen()).compose(v -> protocol.start(this)).onSuccess(v -> {
      options.getConnect().forEach(target -> keepConnected(target, Backoff.startingAt(options.getReconnectInterval())));
      LOG.info("{} peers: listening on {}, dialing {}{}", protocol.name(),
          listenAddress == null ? "nothing" : listenAddress, options.getConnect(),
          options.getProxy() == null ? "" : " through SOCKS5 proxy " + options.getProxy());
    });
  }

  private Future<Void> listen() {
    PeerAddress listen = options.getListen();
    if (listen == null) {
      return Future.succeededFuture();
    }
    return PeerListener.listen(vertx, listen, protocol.name() + ".listen.port", this::accept).map(bound -> {
      listener = bound;
      listenAddress = bound.address();
      return null;
    });
  }

  /** Disconnects every peer; completes once their sockets are closed. */
  @Override
  public Future<?> stop() {
    return shutdown().eventually(() -> client.close());
  }

  /** Disconnects every peer, then closes the listener, which in Vert.x 5 would cut the peers' last words short. */
  @Override
  public Future<Void> shutdown() {
    running = false;
    Future<Void> protocolStopped = protocol.stop();
    List<Future<Void>> closing = peers.values().stream().map(p -> p.disconnect(DisconnectReason.NODE_SHUTDOWN,
        "node stopping")).toList();
    return Future.join(closing).transform(closed -> protocolStopped.otherwiseEmpty())
        .transform(closed -> listener == null ? Future.succeededFuture() : listener.close());
  }

  /**
   * Accepts a socket as pending or refuses it before a byte of it is read, on the event loop that accepted it, which
   * stays the peer's. A refused socket is closed at once and the refusal published as an error event: a protocol has
   * no message to say why before its handshake.
   */
  private void accept(NetSocket socket) {
    socket.pause();
    PeerAddress remote = new PeerAddress(socket.remoteAddress().hostAddress(), socket.remoteAddress().port());
    Refusal refusal;
    synchronized (admission) {
      refusal = admission.accept(remote, running);
    }
    if (refusal != null) {
      LOG.debug("Refused inbound {} peer {}: {}", protocol.name(), remote, refusal.detail());
      metrics.handshakeRefused(Direction.INBOUND, refusal.kind());
      publishError(remote, Direction.INBOUND, refusal.kind(), refusal.detail());
      PeerConnection.refuseSocket(socket, protocol, refusal);
      return;
    }
    deploy(PeerConnection.inbound(this, socket, vertx.getOrCreateContext(), remote));
  }

  /**
   * Dials {@code target}, and dials again whenever the connection fails or ends, after the {@link Backoff} of
   * {@code reconnectInterval} (up to 64 times it while the connections fail). A banned target is not dialed until
   * its ban ends.
   */
  private void keepConnected(PeerAddress target, Backoff backoff) {
    if (!running) {
      return;
    }
    if (blacklist.contains(target.host())) {
      LOG.warn("{} peer {} is not dialed: its IP is blacklisted", protocol.name(), target);
      return;
    }
    if (reputation.isHostBanned(target.host())) {
      vertx.setTimer(options.getReconnectInterval(), t -> keepConnected(target, backoff));
      return;
    }
    PeerConnection<M, R> peer = PeerConnection.outbound(this, target, options.getProxy());
    deploy(peer).transform(deployed -> deployed.succeeded() ? peer.closed() : Future.succeededFuture())
        // On the pool's context: the peer's own context is gone with it, and its timers too.
        .onComplete(ended -> context.runOnContext(v -> vertx.setTimer(
            backoff.closed(peer.established().succeeded()), t -> keepConnected(target, backoff))));
  }

  /**
   * Deploys a peer's verticle. A peer we dial is claimed first in the node's directory by its address, so that of
   * the members of a clustered node only one holds a connection to it; an inbound peer is known only by the address
   * it came from, which says nothing across members, and claims what its handshake proves, if anything.
   */
  private Future<String> deploy(PeerConnection<M, R> peer) {
    PeerConnection<M, R> existing = peers.putIfAbsent(peer.name(), peer);
    if (existing != null) {
      return Future.failedFuture("already connected to " + peer.name());
    }
    if (peer.direction() == Direction.INBOUND) {
      return peer.deploy(vertx).onFailure(err -> peers.remove(peer.name(), peer));
    }
    return claim(peer, "address/" + peer.name()).compose(granted -> {
      if (!granted) {
        String detail = "another member of this node is connected to " + peer.name();
        publishError(peer.remote(), Direction.OUTBOUND, "duplicate_connection", detail);
        return Future.<String>failedFuture(detail);
      }
      return peer.deploy(vertx).onFailure(err -> releaseClaims(peer));
    }).onFailure(err -> peers.remove(peer.name(), peer));
  }

  /**
   * Reserves {@code what} ({@code address/<host:port>} of a peer we dial, {@code id/<identity>} of a peer whose
   * handshake names one) for {@code peer}: false when another connection of the node holds it, in this JVM or, in
   * a cluster, on another member. A granted claim is released when the peer closes.
   */
  private Future<Boolean> claim(PeerConnection<M, R> peer, String what) {
    String key = protocol.name() + "/" + what;
    if (!claimedHere.add(key)) {
      return Future.succeededFuture(false);
    }
    return directory.claim(key).map(granted -> {
      if (granted) {
        claims.computeIfAbsent(peer, p -> new CopyOnWriteArrayList<>()).add(key);
        if (peer.isTerminated()) {
          // Granted after the peer closed, when its claims were released already.
          releaseClaims(peer);
        }
      } else {
        claimedHere.remove(key);
      }
      return granted;
    }).onFailure(err -> claimedHere.remove(key));
  }

  private void releaseClaims(PeerConnection<M, R> peer) {
    List<String> held = claims.remove(peer);
    if (held != null) {
      held.forEach(key -> {
        claimedHere.remove(key);
        directory.release(key);
      });
    }
  }

  @Override
  public Future<Boolean> claimIdentity(PeerConnection<M, R> peer, String identity) {
    return claim(peer, "id/" + identity);
  }

  /**
   * An inbound peer's handshake is established: it leaves the pending handshakes and takes an inbound slot, or is
   * refused when every slot is taken.
   */
  @Override
  public Refusal admit(PeerConnection<M, R> peer, R established) {
    if (peer.direction() != Direction.INBOUND) {
      return null;
    }
    synchronized (admission) {
      return admission.admit(peer.remote());
    }
  }

  @Override
  public void peerEstablished(PeerConnection<M, R> peer) {
    directory.putEntry(peer.info());
  }

  @Override
  public void peerClosed(PeerConnection<M, R> peer, boolean wasEstablished) {
    peers.remove(peer.name(), peer);
    if (wasEstablished) {
      directory.removeEntry(protocol.name(), peer.name());
    }
    releaseClaims(peer);
    if (peer.direction() == Direction.INBOUND) {
      synchronized (admission) {
        admission.closed(peer.remote().host(), wasEstablished);
      }
    }
  }

  // -------------------------------------------------------------------------------------------------- misbehaviour

  /**
   * Scores a peer's misbehaviour against its IP. When the score is used up the IP is banned for
   * {@code peerBanTime}: the ban is saved in the ban file, every connection from that IP is closed, and the other
   * members of a clustered node are told, so that the node bans it as one.
   */
  @Override
  public boolean penalize(PeerConnection<M, R> peer, int penalty, String reason) {
    String host = peer.remote().host();
    Reputation.Outcome outcome = reputation.penalize(host, null, penalty, reason, true);
    metrics.penalized(outcome.banned());
    if (!outcome.banned()) {
      return false;
    }
    BanList.Ban ban = outcome.ban();
    LOG.info("Banned {} peer address {} until {}: {}", protocol.name(), host, ban.until(), ban.reason());
    publishError(peer.remote(), peer.direction(), "banned", "address " + host + " banned until "
        + Instant.ofEpochMilli(ban.until()) + ": " + ban.reason());
    bans.announce(ban, new JsonObject());
    enforce(ban);
    return true;
  }

  /** Ends every connection from a banned IP. */
  private void enforce(BanList.Ban ban) {
    for (PeerConnection<M, R> other : peers.values()) {
      if (other.remote().host().equals(ban.key())) {
        other.disconnect(DisconnectReason.BANNED, "banned: " + ban.reason());
      }
    }
  }

  /** An error event about a peer that has no verticle: a refused socket, a ban, a claim another member holds. */
  private void publishError(PeerAddress remote, Direction direction, String kind, String detail) {
    vertx.eventBus().publish(addresses.error(), new JsonObject()
        .put("peer", remote.toString())
        .put("protocol", protocol.name())
        .put("host", remote.host())
        .put("port", remote.port())
        .put("direction", direction.jsonName())
        .put("error", kind)
        .put("message", detail));
  }

  // ---------------------------------------------------------------------------------------------------- commands

  /** The connect command: the connection to {@code target} there is, or a new one. */
  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public Future<JsonObject> connect(PeerAddress target) {
    return connect(target, options.getProxy());
  }

  private Future<JsonObject> connect(PeerAddress target, PeerAddress proxy) {
    PeerConnection<M, R> existing = peers.get(target.toString());
    return existing != null ? existing.established() : dial(target, proxy);
  }

  private Future<JsonObject> dial(PeerAddress target, PeerAddress proxy) {
    if (blacklist.contains(target.host())) {
      return Future.failedFuture("address " + target.host() + " is blacklisted");
    }
    if (reputation.isHostBanned(target.host())) {
      return Future.failedFuture("address " + target.host() + " is banned");
    }
    PeerConnection<M, R> peer = PeerConnection.outbound(this, target, proxy);
    return deploy(peer).compose(id -> peer.established());
  }
}
