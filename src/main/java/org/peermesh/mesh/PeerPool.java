package org.peermesh.mesh;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.LocalConsumers;
import org.peermesh.bus.PeerEvent;
import org.peermesh.bus.ProtocolAddresses;
import org.peermesh.crypto.NodeKey;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.net.Blacklist;
import org.peermesh.net.MemoryBudget;
import org.peermesh.net.NetGroups;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.Backoff;
import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.InboundAdmission;
import org.peermesh.peer.PeerConnection;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.peer.PeerGroup;
import org.peermesh.peer.PeerInfo;
import org.peermesh.peer.PeerLink;
import org.peermesh.peer.PeerListener;
import org.peermesh.peer.PeerMetrics;
import org.peermesh.peer.PeerSocket;
import org.peermesh.peer.PeerState;
import org.peermesh.peer.PoolBans;
import org.peermesh.peer.PoolCommands;
import org.peermesh.peer.Refusal;
import org.peermesh.reputation.BanList;
import org.peermesh.reputation.Reputation;
import org.peermesh.selection.InboundEviction;
import org.peermesh.storage.LruMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The mesh connections of one node: it accepts inbound sockets and dials outbound ones, deploys one
 * {@link PeerConnection} of the {@link MeshProtocol} per connection, admits a peer once it has proven its identity, and enforces what must hold whatever the
 * selection functions choose: slot limits, one connection per peer, at most one connection per IP and three
 * outbound per netgroup (for routable addresses), inbound eviction, penalties and bans. Which addresses to dial
 * comes from {@link Hooks} (peer discovery); fixed peers are kept connected here.
 *
 * <p>The pool is a verticle: the listener accepts on its context and its timers live there. Peer verticles call in
 * from their own event loops, so the bookkeeping is guarded by this object's lock; only connects, disconnects and
 * penalties take it, never a message.
 */
public final class PeerPool extends VerticleBase implements PeerGroup<WireMessage, MeshHandshake> {

  /** What peer discovery learns from the pool and gives it. Called from any thread. */
  public interface Hooks {

    Hooks NONE = new Hooks() {
    };

    /** An address we dialed proved to be this peer. */
    default void outboundConnected(PeerAddress dialed, PeerInfo peer) {
    }

    /** A connection to an address we dialed ended; {@code wasAdmitted} if it got past the handshake. */
    default void outboundClosed(PeerAddress dialed, boolean wasAdmitted) {
    }

    default void inboundConnected(PeerInfo peer) {
    }

    /**
     * A peer was banned: forget its addresses, every one of its host if {@code wholeAddress} (a ban by IP), else
     * the peer's own (a ban by peer id, for a peer on an exempt local address).
     */
    default void banned(String host, PeerInfo peer, boolean wholeAddress) {
    }

    /** The addresses to answer a peer's getPeers with. */
    default List<PeerAddress> sampleForGetPeers() {
      return List.of();
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(PeerPool.class);
  private static final String PROTOCOL = "protocol";
  /** The config key of the port the pool listens on, which a failure to bind it names. */
  private static final String LISTEN_KEY = "mesh.listen.port";
  /** The kind of the refusal of a nodeInfo update larger than maxPeerInfoSize. */
  static final String NODE_INFO_UPDATE_TOO_LARGE = "node_info_update_too_large";
  private static final int DISCONNECTED_PEERS_KEPT = 1_000;
  /** LIP 0004: at most this many outbound connections into one netgroup, so one subnet cannot eclipse the node. */
  public static final int MAX_OUTBOUND_PER_NETGROUP = 3;

  private final MemoryBudget memoryBudget;
  private final MeshOptions options;
  private final NodeKey nodeKey;
  private final BusAddresses addresses;
  private final ProtocolAddresses meshAddresses;
  private final MeshProtocol protocol = new MeshProtocol(this);
  private final PeerDirectory directory;
  private final Reputation reputation;
  private final AtomicLong connectionIds = new AtomicLong();
  private final Blacklist blacklist;
  private final Set<PeerAddress> seeds;
  private final PeerBacklog backlog = new PeerBacklog();
  /** Who listens, so that a session publishes the messageReceived firehose only when someone does. */
  private LocalConsumers consumers;
  private final Random random = new Random();
  private volatile Hooks hooks = Hooks.NONE;
  private volatile PeerMetrics metrics = PeerMetrics.NONE;
  private volatile JsonPayload nodeInfo;
  private volatile PeerAddress listenAddress;

  private PoolBans bans;
  private PeerListener listener;
  private NetClient client;

  // Guarded by this.
  private boolean running;
  private final Map<PeerConnection<WireMessage, MeshHandshake>, Tracked> connections = new HashMap<>();
  private final Map<String, PeerConnection<WireMessage, MeshHandshake>> connectedById = new HashMap<>();
  /** Inbound peers chosen for eviction and not closed yet: each makes room for one newcomer only. */
  private final Set<String> evicting = new HashSet<>();
  private final InboundAdmission inbound;
  private final Map<String, Integer> connectionsByIp = new HashMap<>();
  private final Map<String, Integer> outboundByNetgroup = new HashMap<>();
  private final Set<PeerAddress> outboundTargets = new HashSet<>();
  private final Set<PeerAddress> connectedAddresses = new HashSet<>();
  private final Map<PeerAddress, Backoff> backoffs = new HashMap<>();
  /** Which peer an address we dialed turned out to be: a seed named by host name is known by id, not by IP. */
  private final Map<PeerAddress, String> dialedIds = new HashMap<>();
  private final Map<String, PeerInfo> disconnected = new LruMap<>(DISCONNECTED_PEERS_KEPT);
  /** Outbound connections that take a slot: fixed peers are kept whatever the limit. */
  private int outboundSlotsUsed;

  public PeerPool(MeshOptions options, NodeKey nodeKey, BusAddresses addresses, PeerDirectory directory,
                  BanList bans, MemoryBudget memoryBudget) {
    this.options = options;
    this.memoryBudget = memoryBudget;
    this.nodeKey = nodeKey;
    this.addresses = addresses;
    this.meshAddresses = addresses.protocol(BusAddresses.MESH);
    this.directory = directory;
    this.reputation = new Reputation(bans, options.isExemptLocalAddresses(), options.getPeerBanTime());
    this.nodeInfo = JsonPayload.of(options.getNodeInfo());
    this.blacklist = new Blacklist(options.getBlacklistedIPs());
    this.seeds = options.getSeedPeers().stream().map(PeerPool::canonical).collect(Collectors.toUnmodifiableSet());
    this.inbound = new InboundAdmission(options, blacklist, reputation, new InboundAdmission.Rules() {
      @Override
      public boolean isPrivileged(String ip) {
        return isWhitelisted(ip) || isFixedHost(ip);
      }

      @Override
      public boolean makeRoom(PeerAddress newcomer) {
        return PeerPool.this.makeRoom(newcomer);
      }
    });
  }

  /** Set before the pool is deployed. */
  public void hooks(Hooks hooks) {
    this.hooks = hooks;
  }

  /** Where the pool and its connections report to the node's metrics; set before the pool is deployed. */
  public void metrics(PeerMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public PeerMetrics metrics() {
    return metrics;
  }

  // ------------------------------------------------------------------------------------------------- node side

  /** Listens and dials the fixed peers; completes once every first dial has connected or failed. */
  @Override
  public Future<PeerAddress> start() {
    consumers = LocalConsumers.of(vertx);
    bans = new PoolBans(vertx, meshAddresses, reputation, options.getPeerBanTime(), deploymentID());
    Future<Void> adoptingBans = bans.start(this::onOtherMemberBan, ban -> {
      LOG.info("Ban of {} expired", ban.key());
      publish(PeerEvent.UNBAN_PEER, ban.toJson());
    });
    Future<PeerListener> listening =
        adoptingBans.compose(v -> PeerListener.listen(vertx, options.getListen(), LISTEN_KEY, this::accept));
    return listening.compose(bound -> {
      listener = bound;
      listenAddress = bound.address();
      NetClientOptions clientOptions = PeerSocket.clientOptions(options);
      if (!isWildcard(options.getListen().host())) {
        // Dial from the address we listen on: peers then see the address they can dial back.
        clientOptions.setLocalAddress(options.getListen().host());
      }
      client = vertx.createNetClient(clientOptions);
      synchronized (this) {
        running = true;
      }
      Future<Void> commands = PoolCommands.register(vertx, addresses, this, this::connect);
      vertx.setPeriodic(options.getPopulatorInterval(), t -> keepFixedPeers());
      return commands.compose(v -> Future.join(keepFixedPeers())
          .transform(done -> Future.succeededFuture(listenAddress)));
    });
  }

  /**
   * Stops listening and disconnects every peer with NODE_SHUTDOWN; completes when all their sockets are closed.
   * The peer verticles are this verticle's children, so undeploying the pool alone would also close them, but
   * without telling the peers why.
   */
  @Override
  public Future<Void> shutdown() {
    Map<PeerConnection<WireMessage, MeshHandshake>, Tracked> open;
    synchronized (this) {
      if (!running) {
        return Future.succeededFuture();
      }
      running = false;
      open = new HashMap<>(connections);
    }
    List<Future<Void>> closing = new ArrayList<>();
    open.forEach((peer, tracked) -> closing.add(tracked.deployment
        .compose(id -> peer.disconnect(DisconnectReason.NODE_SHUTDOWN, "node is stopping"))
        .recover(err -> Future.succeededFuture())));
    // The listener closes last: closing a Vert.x 5 server closes the sockets it accepted, Disconnect sent or not.
    return Future.join(closing).transform(closed -> listener.close());
  }

  @Override
  public Future<?> stop() {
    return shutdown().transform(done -> client.close());
  }

  @Override
  public PeerAddress listenAddress() {
    return listenAddress;
  }

  /**
   * The connections of this JVM, in every state, and the connected ones the other members of a clustered node hold,
   * as the layer describes them.
   */
  @Override
  public List<JsonObject> peers() {
    List<JsonObject> all;
    synchronized (this) {
      all = new ArrayList<>(connections.keySet().stream().map(PeerConnection::info).toList());
    }
    all.addAll(directory.entriesElsewhere(BusAddresses.MESH));
    return all;
  }

  /** The mesh's connected peers are the directory's: in a clustered node, every member's. */
  @Override
  public int connectedPeers() {
    return directory.size();
  }

  /** Which peers of this JVM are backed up, for the routers to pace their callers by. */
  public PeerBacklog backlog() {
    return backlog;
  }

  public JsonPayload nodeInfo() {
    return nodeInfo;
  }

  /** Replaces this node's nodeInfo; the caller pushes it to the connected peers. */
  public void nodeInfo(JsonPayload newNodeInfo) {
    this.nodeInfo = newNodeInfo;
  }

  public Reputation reputation() {
    return reputation;
  }

  public synchronized List<PeerInfo> disconnectedPeers() {
    Map<PeerAddress, PeerInfo> byAddress = new LinkedHashMap<>();
    disconnected.values().forEach(p -> byAddress.put(p.address(), p));
    for (PeerAddress configured : configuredPeers()) {
      byAddress.putIfAbsent(configured,
          PeerInfo.disconnected(null, configured, null, isFixed(configured), isWhitelisted(configured.host())));
    }
    byAddress.keySet().removeAll(connectedAddresses);
    return List.copyOf(byAddress.values());
  }

  /** Outbound slots not taken, for discovery to fill. */
  public synchronized int freeOutboundSlots() {
    return running ? Math.max(0, options.getMaxOutbound() - outboundSlotsUsed) : 0;
  }

  /** Whether an address is one of the seeds, however either spells its IP. */
  public boolean isSeed(PeerAddress address) {
    return seeds.contains(canonical(address));
  }

  // ------------------------------------------------------------------------------------------------------ inbound

  /**
   * Runs on the event loop that accepted the socket, which stays the peer's. The socket is paused before any byte is
   * read, and from here on only the peer verticle it is handed to touches it; a socket refused here never gets a
   * verticle, so this is its only writer.
   */
  private void accept(NetSocket socket) {
    Context acceptContext = Vertx.currentContext();
    socket.pause();
    PeerAddress remote = new PeerAddress(socket.remoteAddress().hostAddress(), socket.remoteAddress().port());
    Refusal refusal;
    synchronized (this) {
      refusal = inbound.accept(remote, running);
      if (refusal == null) {
        connectionsByIp.merge(remote.host(), 1, Integer::sum);
        track(PeerConnection.inbound(this, socket, acceptContext, remote));
      }
    }
    if (refusal != null) {
      refuseSocket(socket, remote, refusal);
    }
  }

  /**
   * The inbound slots are full and {@code newcomer} has proven its key: chooses a peer to evict for it, if one is not
   * protected.
   */
  private boolean makeRoom(PeerAddress newcomer) {
    Optional<PeerInfo> victim = evictionCandidate();
    victim.ifPresent(chosen -> {
      evicting.add(chosen.peerId());
      // Out of the admission's lock: evicting publishes and hops to the victim's context.
      context.runOnContext(v -> evict(chosen, newcomer));
    });
    return victim.isPresent();
  }

  /** LIP 0004's eviction: an inbound peer that is not protected by netgroup, latency, responsiveness or age. */
  private Optional<PeerInfo> evictionCandidate() {
    List<PeerInfo> inbound = new ArrayList<>();
    connectedById.forEach((peerId, peer) -> {
      if (peer.direction() == Direction.INBOUND && !evicting.contains(peerId)) {
        directory.get(peerId).ifPresent(inbound::add);
      }
    });
    return InboundEviction.select(inbound, NetGroups::of, random);
  }

  private void evict(PeerInfo victim, PeerAddress newcomer) {
    PeerConnection<WireMessage, MeshHandshake> peer;
    synchronized (this) {
      peer = connectedById.get(victim.peerId());
    }
    if (peer != null) {
      LOG.info("Evicting inbound peer {} at {} to admit {}", victim.peerId(), victim.address(), newcomer);
      publish(PeerEvent.EVICTED_PEER, victim.toJson().put("reason", "inbound slots full").put("admitting",
          newcomer.host()));
      peer.disconnect(DisconnectReason.EVICTED, "evicted to make room for a new inbound peer");
    }
  }

  private void refuseSocket(NetSocket socket, PeerAddress remote, Refusal refusal) {
    LOG.debug("Refused inbound connection from {}: {}", remote, refusal.detail());
    metrics.handshakeRefused(Direction.INBOUND, refusal.kind());
    publish(PeerEvent.FAILED_TO_ADD_INBOUND_PEER, new JsonObject()
        .put("host", remote.host())
        .put("port", remote.port())
        .put("code", refusal.reason().code())
        .put("reason", refusal.detail()));
    PeerConnection.refuseSocket(socket, protocol, refusal);
  }

  // ----------------------------------------------------------------------------------------------------- outbound

  /** Dials the fixed peers that are neither connected nor backing off; they never wait for a free slot. */
  private List<Future<PeerInfo>> keepFixedPeers() {
    List<Future<PeerInfo>> dials = new ArrayList<>();
    synchronized (this) {
      long now = System.nanoTime();
      for (PeerAddress fixed : options.getConnect()) {
        if (running && dialable(fixed, now, false)) {
          dials.add(handshakeResult(prepareDial(fixed)));
        }
      }
    }
    return dials;
  }

  /**
   * Dials candidates, in order, into the free outbound slots, skipping any that breaks a rule: connected or being
   * dialed already, backing off, banned or blacklisted, a second connection to one IP, or a fourth outbound into
   * one netgroup (the last two for routable addresses, or all when local addresses are not exempt).
   *
   * @return the handshakes of the dials started
   */
  public synchronized List<Future<PeerInfo>> dial(List<PeerAddress> candidates) {
    return dial(candidates, options.getMaxOutbound());
  }

  /**
   * Dials the first of {@code candidates} that breaks no rule, as {@link #dial}, into one slot more than are used
   * now, whatever {@code maxOutbound}: the outbound shuffle drops the peer it replaces only once this one is
   * established, so for that while the node may hold one outbound connection over the limit.
   *
   * @return the handshake of the dial, or empty when no candidate may be dialed
   */
  public synchronized Optional<Future<PeerInfo>> dialReplacement(List<PeerAddress> candidates) {
    return dial(candidates, outboundSlotsUsed + 1).stream().findFirst();
  }

  /** Dials candidates while fewer than {@code slotLimit} outbound slots are used; the caller holds the lock. */
  private List<Future<PeerInfo>> dial(List<PeerAddress> candidates, int slotLimit) {
    List<Future<PeerInfo>> dials = new ArrayList<>();
    long now = System.nanoTime();
    for (PeerAddress candidate : candidates) {
      if (!running || outboundSlotsUsed >= slotLimit) {
        break;
      }
      if (dialable(candidate, now, true)) {
        dials.add(handshakeResult(prepareDial(candidate)));
      }
    }
    return dials;
  }

  private boolean dialable(PeerAddress address, long nowNanos, boolean applyLimits) {
    String host = address.host();
    // A fixed peer is dialed whatever the bans, as accept() admits a fixed host whatever the bans.
    boolean fixed = isFixed(address);
    if (outboundTargets.contains(address) || connectedAddresses.contains(address) || address.equals(listenAddress)
        || blacklist.contains(host) || (!fixed && reputation.isHostBanned(host))) {
      return false;
    }
    if (directory.isTaken(address)) {
      return false;
    }
    String knownId = dialedIds.get(address);
    if (knownId != null && (connectedById.containsKey(knownId) || (!fixed && reputation.isBanned(host, knownId)))) {
      return false;
    }
    if (applyLimits && isLimited(host) && (connectionsByIp.getOrDefault(host, 0) > 0
        || outboundByNetgroup.getOrDefault(NetGroups.of(host), 0) >= MAX_OUTBOUND_PER_NETGROUP)) {
      return false;
    }
    Backoff backoff = backoffs.get(address);
    return backoff == null || backoff.elapsed(nowNanos);
  }

  private PeerConnection<WireMessage, MeshHandshake> prepareDial(PeerAddress target) {
    return prepareDial(target, options.getProxy());
  }

  private PeerConnection<WireMessage, MeshHandshake> prepareDial(PeerAddress target, PeerAddress proxy) {
    outboundTargets.add(target);
    if (!isFixed(target)) {
      outboundSlotsUsed++;
    }
    connectionsByIp.merge(target.host(), 1, Integer::sum);
    outboundByNetgroup.merge(NetGroups.of(target.host()), 1, Integer::sum);
    PeerConnection<WireMessage, MeshHandshake> peer = PeerConnection.outbound(this, target, proxy);
    track(peer);
    return peer;
  }

  /**
   * The layer's connect command: the connection to {@code target} there is, or a dial as a user asks for one, into an
   * outbound slot whatever the limit, unless the address is ours, blacklisted or banned.
   */
  private Future<JsonObject> connect(PeerAddress target, PeerAddress proxy) {
    PeerConnection<WireMessage, MeshHandshake> peer;
    synchronized (this) {
      for (Map.Entry<PeerConnection<WireMessage, MeshHandshake>, Tracked> open : connections.entrySet()) {
        PeerInfo admitted = open.getValue().info;
        if (open.getKey().remote().equals(target) || (admitted != null && admitted.address().equals(target))) {
          return open.getKey().established();
        }
      }
      if (!running) {
        return Future.failedFuture("node is stopping");
      }
      if (target.equals(listenAddress)) {
        return Future.failedFuture("it is this node");
      }
      if (blacklist.contains(target.host())) {
        return Future.failedFuture("address " + target.host() + " is blacklisted");
      }
      if (!isFixed(target) && reputation.isHostBanned(target.host())) {
        return Future.failedFuture("address " + target.host() + " is banned");
      }
      peer = prepareDial(target, proxy);
    }
    return peer.established();
  }

  /** The info a peer is admitted with, once its handshake is established. */
  private Future<PeerInfo> handshakeResult(PeerConnection<WireMessage, MeshHandshake> peer) {
    return peer.established().map(established -> admitted(peer));
  }

  private void track(PeerConnection<WireMessage, MeshHandshake> peer) {
    Tracked tracked = new Tracked(connectionIds.incrementAndGet());
    connections.put(peer, tracked);
    tracked.deployment = peer.deploy(vertx)
        .onFailure(err -> LOG.warn("Could not deploy the verticle of {}", peer, err));
  }

  /** Disconnects a connected peer, if it still is. */
  public void disconnect(String peerId, DisconnectReason reason, String detail) {
    PeerConnection<WireMessage, MeshHandshake> peer;
    synchronized (this) {
      peer = connectedById.get(peerId);
    }
    if (peer != null) {
      peer.disconnect(reason, detail);
    }
  }

  /** The peers this JVM holds: in a cluster, the directory lists those of the other members too. */
  public synchronized List<String> connectedPeerIds() {
    return List.copyOf(connectedById.keySet());
  }

  /** The connected outbound peers, for discovery's shuffle and seed release. */
  public synchronized List<OutboundPeer> outboundPeers() {
    List<OutboundPeer> outbound = new ArrayList<>();
    connectedById.forEach((peerId, peer) -> {
      if (peer.direction() == Direction.OUTBOUND) {
        outbound.add(new OutboundPeer(peerId, peer.remote(), isFixed(peer.remote())));
      }
    });
    return outbound;
  }

  /** A connected outbound peer and the address it was dialed at. */
  public record OutboundPeer(String peerId, PeerAddress dialed, boolean fixed) {
  }

  // ------------------------------------------------------------------------------------------- connection side

  @Override
  public MeshProtocol protocol() {
    return protocol;
  }

  @Override
  public MeshOptions options() {
    return options;
  }

  @Override
  public ProtocolAddresses addresses() {
    return meshAddresses;
  }

  @Override
  public NetClient netClient() {
    return client;
  }

  @Override
  public MemoryBudget memoryBudget() {
    return memoryBudget;
  }

  /**
   * Reserves a remote peer that is proving itself for this JVM's connection; see {@link PeerDirectory#claim}. A claim
   * granted to a connection that ended meanwhile is released at once.
   */
  @Override
  public Future<Boolean> claimIdentity(PeerConnection<WireMessage, MeshHandshake> peer, String peerId) {
    return directory.claim(peerId).map(granted -> {
      if (granted && peer.isTerminated()) {
        directory.release(peerId);
      }
      return granted;
    });
  }

  /**
   * The peer proved its key; admission decides whether it is connected. One connection per peer: when two nodes
   * dial each other at once, both keep the connection dialed by the node with the lower peer id, so the two ends
   * agree without a further message; a second connection in the same direction replaces the first, which is what a
   * peer that restarted needs.
   */
  @Override
  public synchronized Refusal admit(PeerConnection<WireMessage, MeshHandshake> peer, MeshHandshake handshake) {
    if (!running) {
      return Refusal.of(DisconnectReason.NODE_SHUTDOWN, "node_stopping", "node is stopping");
    }
    String peerId = handshake.peerId().toString();
    PeerAddress remote = peer.remote();
    // An outbound peer is where we dialed it; an inbound one listens where its Hello says, if anywhere.
    int port = peer.direction() == Direction.OUTBOUND ? remote.port() : handshake.hello().listenPort();
    PeerAddress address = new PeerAddress(remote.host(), port);
    if (peer.direction() == Direction.OUTBOUND) {
      dialedIds.put(remote, peerId);
    }
    boolean privileged = isWhitelisted(remote.host()) || isFixed(address);
    if (blacklist.contains(remote.host())) {
      return Refusal.of(DisconnectReason.BLACKLISTED, "blacklisted", "address " + remote.host() + " is blacklisted");
    }
    if (!privileged && reputation.isBanned(remote.host(), peerId)) {
      return Refusal.of(DisconnectReason.BANNED, "banned", "peer " + peerId + " is banned");
    }
    PeerConnection<WireMessage, MeshHandshake> existing = connectedById.get(peerId);
    if (existing != null) {
      Direction preferred = nodeKey.peerId().toString().compareTo(peerId) < 0 ? Direction.OUTBOUND : Direction.INBOUND;
      if (existing.direction() != peer.direction() && existing.direction() == preferred) {
        return Refusal.of(DisconnectReason.DUPLICATE_CONNECTION, "duplicate_connection",
            "already connected to " + peerId);
      }
    }
    if (peer.direction() == Direction.INBOUND) {
      // The last refusal: a peer evicted for this one is only chosen once nothing else can refuse it.
      Refusal slot = inbound.admit(remote);
      if (slot != null) {
        return slot;
      }
    }
    if (existing != null) {
      existing.disconnect(DisconnectReason.DUPLICATE_CONNECTION, "replaced by another connection to the same peer");
      connectedAddresses.remove(directory.get(peerId).map(PeerInfo::address).orElse(null));
    }
    int score = reputation.keyOf(remote.host(), peerId).map(reputation::score).orElse(PeerInfo.INITIAL_REPUTATION);
    PeerInfo admitted = new PeerInfo(peerId, remote.host(), port, peer.direction(), PeerState.CONNECTED, -1,
        (JsonObject) handshake.nodeInfo().value(), isFixed(address), isWhitelisted(remote.host()),
        System.currentTimeMillis(), 1, score);
    connections.get(peer).info = admitted;
    connectedById.put(peerId, peer);
    evicting.remove(peerId);
    if (admitted.port() > 0) {
      // A peer that does not listen has no address to dial or to keep from dialing.
      connectedAddresses.add(admitted.address());
    }
    disconnected.remove(peerId);
    backoffs.remove(remote);
    directory.put(admitted);
    return null;
  }

  /** The info {@code peer} was admitted with; for its session. */
  PeerInfo admitted(PeerLink<WireMessage> peer) {
    return tracked(peer).info;
  }

  /** What the pool keeps of a connection; null once it closed. */
  private synchronized Tracked tracked(PeerLink<WireMessage> peer) {
    return connections.get(peer);
  }

  @Override
  public void peerEstablished(PeerConnection<WireMessage, MeshHandshake> peer) {
    PeerInfo info = admitted(peer);
    directory.putEntry(peer.info());
    LOG.debug("Connected {} peer {} at {}", info.direction().jsonName(), info.peerId(), info.address());
    publish(info.direction() == Direction.INBOUND ? PeerEvent.NEW_INBOUND_PEER : PeerEvent.CONNECT_OUTBOUND,
        info.toJson().put("connectionId", tracked(peer).id).put("deploymentId", peer.deploymentID()));
    if (info.direction() == Direction.OUTBOUND) {
      hooks.outboundConnected(peer.remote(), info);
    } else {
      hooks.inboundConnected(info);
    }
  }

  /**
   * Latency, responsiveness or nodeInfo changed; the directory keeps it only while this is the peer's connection,
   * with the peer's current score (penalties come from elsewhere too).
   */
  synchronized void sessionUpdated(PeerLink<WireMessage> peer, PeerInfo info) {
    Tracked tracked = connections.get(peer);
    if (tracked != null) {
      tracked.info = info;
    }
    if (connectedById.get(info.peerId()) == peer) {
      directory.put(info.withReputation(currentScore(info.host(), info.peerId())));
    }
  }

  /** A connection ended, admitted or not. */
  @Override
  public void peerClosed(PeerConnection<WireMessage, MeshHandshake> peer, boolean wasEstablished) {
    String claimed = peer.peerId();
    JsonObject body = describe(peer)
        .put("code", peer.closeCode().code())
        .put("reason", peer.closeReason())
        .put("initiator", peer.closedByRemote() ? "remote" : "local");
    PeerInfo last;
    boolean removed = false;
    long redialDelayMs = -1;
    synchronized (this) {
      Tracked tracked = connections.remove(peer);
      last = tracked == null ? null : tracked.info;
      String host = peer.remote().host();
      decrement(connectionsByIp, host);
      if (peer.direction() == Direction.INBOUND) {
        inbound.closed(host, last != null);
      } else {
        if (!isFixed(peer.remote())) {
          outboundSlotsUsed--;
        }
        decrement(outboundByNetgroup, NetGroups.of(host));
        outboundTargets.remove(peer.remote());
        redialDelayMs = backoffs.computeIfAbsent(peer.remote(), a -> Backoff.startingAt(options.getReconnectInterval()))
            .closed(last != null);
      }
      if (last != null && connectedById.remove(last.peerId(), peer)) {
        evicting.remove(last.peerId());
        removed = true;
        directory.remove(last.peerId());
        connectedAddresses.remove(last.address());
        disconnected.put(last.peerId(), last.withState(PeerState.CLOSED));
      }
    }
    if (wasEstablished) {
      directory.removeEntry(BusAddresses.MESH, peer.name());
    }
    if (claimed != null) {
      // After the directory entry is gone: no member may take the peer while this one still lists it.
      directory.release(claimed);
    }
    if (last != null) {
      LOG.debug("Disconnected {} peer {} at {}: {}", last.direction().jsonName(), last.peerId(), last.address(),
          peer.closeReason());
      publish(peer.direction() == Direction.INBOUND ? PeerEvent.CLOSE_INBOUND : PeerEvent.CLOSE_OUTBOUND, body);
      if (removed) {
        publish(PeerEvent.REMOVE_PEER, new JsonObject().put("peerId", last.peerId()).put("host", last.host())
            .put("port", last.port()));
      }
    } else {
      LOG.debug("Could not connect {} {}: {}", peer.direction().jsonName(), peer.remote(), peer.closeReason());
      publish(peer.direction() == Direction.INBOUND ? PeerEvent.FAILED_TO_ADD_INBOUND_PEER
          : PeerEvent.CONNECT_ABORT_OUTBOUND, body);
    }
    if (peer.direction() == Direction.OUTBOUND) {
      hooks.outboundClosed(peer.remote(), last != null);
    }
    if (redialDelayMs > 0 && isFixed(peer.remote())) {
      // On the pool's context: a timer set on the closing peer's context would be cancelled with its undeployment.
      long delay = redialDelayMs;
      context.runOnContext(v -> vertx.setTimer(delay, t -> keepFixedPeers()));
    }
  }

  /** A socket error, inbound or outbound, or a dial that failed: lisk-p2p's socket error events. */
  @Override
  public void error(PeerConnection<WireMessage, MeshHandshake> peer, String kind, String detail) {
    if (kind.equals(PeerConnection.SOCKET_ERROR) || kind.equals(PeerConnection.CONNECT_ERROR)) {
      publish(peer.direction() == Direction.INBOUND ? PeerEvent.INBOUND_SOCKET_ERROR
          : PeerEvent.OUTBOUND_SOCKET_ERROR, describe(peer).put("error", detail));
    }
  }

  /** The peer's penalty, charged to its proven id once it is admitted, else to its address. */
  @Override
  public boolean penalize(PeerConnection<WireMessage, MeshHandshake> peer, int penalty, String reason) {
    Tracked tracked = tracked(peer);
    PeerInfo admitted = tracked == null ? null : tracked.info;
    return penalize(peer.remote().host(), admitted == null ? null : admitted.peerId(), penalty, reason)
        .map(Reputation.Outcome::banned).orElse(false);
  }

  /**
   * A broken protocol, in the words the node's events and reputation log have always used: a signature that does
   * not verify, a nodeInfo too large, or a malformed frame for anything else a peer sends out of the protocol.
   */
  @Override
  public boolean misbehaved(PeerConnection<WireMessage, MeshHandshake> peer, Refusal violation) {
    String reason;
    switch (violation.kind()) {
      case MeshHandshaker.Kind.INVALID_SIGNATURE -> reason = "invalid handshake signature";
      case MeshHandshaker.Kind.INVALID_NODE_INFO -> {
        publish(PeerEvent.FAILED_TO_COLLECT_PEER_DETAILS_ON_CONNECT, describe(peer).put("error", violation.detail()));
        reason = "handshake nodeInfo too large";
      }
      case NODE_INFO_UPDATE_TOO_LARGE -> reason = "nodeInfo update too large";
      default -> {
        publish(PeerEvent.INVALID_MESSAGE_RECEIVED, describe(peer).put("error", violation.detail()));
        reason = "malformed frame: " + violation.detail();
      }
    }
    return penalize(peer, violation.penalty(), reason);
  }

  /** The body common to every event about a connection. */
  JsonObject describe(PeerLink<WireMessage> link) {
    PeerConnection<WireMessage, MeshHandshake> peer = (PeerConnection<WireMessage, MeshHandshake>) link;
    Tracked tracked = tracked(peer);
    PeerInfo admitted = tracked == null ? null : tracked.info;
    return new JsonObject()
        .put("peerId", admitted != null ? admitted.peerId() : peer.peerId())
        .put("host", peer.remote().host())
        .put("port", admitted != null ? admitted.port() : peer.remote().port())
        .put("direction", peer.direction().jsonName())
        .put("connectionId", tracked == null ? 0 : tracked.id)
        .put("deploymentId", peer.deploymentID());
  }

  // -------------------------------------------------------------------------------------------------- reputation

  /**
   * Penalises a peer: {@code provenPeerId} is its id if it has proven it, else null (then only a routable address,
   * or any address when local ones are not exempt, can be scored). At 0 the peer is banned, disconnected and
   * forgotten by discovery; whitelisted and fixed peers lose score but are never banned.
   */
  public Optional<Reputation.Outcome> penalize(String host, String provenPeerId, int penalty, String reason) {
    Optional<String> key = reputation.keyOf(host, provenPeerId);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    PeerInfo peer = provenPeerId == null ? null : directory.get(provenPeerId).orElse(null);
    boolean privileged = isWhitelisted(host) || (peer != null && peer.fixed());
    Reputation.Outcome outcome = reputation.penalize(key.get(), provenPeerId, penalty, reason, !privileged);
    metrics.penalized(outcome.banned());
    if (peer != null) {
      synchronized (this) {
        if (connectedById.containsKey(provenPeerId)) {
          directory.put(peer.withReputation(outcome.score()));
        }
      }
    }
    publish(PeerEvent.PEER_PENALIZED, new JsonObject()
        .put("peerId", provenPeerId)
        .put("host", host)
        .put("penalty", penalty)
        .put("reputation", outcome.score())
        .put("reason", reason));
    if (outcome.banned()) {
      banned(host, provenPeerId, peer, outcome.ban());
    }
    return Optional.of(outcome);
  }

  private void banned(String host, String peerId, PeerInfo peer, BanList.Ban ban) {
    LOG.info("Banned {} until {}: {}", peerId == null ? host : peerId + " at " + host, ban.until(), ban.reason());
    publish(PeerEvent.BAN_PEER, ban.toJson().put("host", host).put("port", peer == null ? 0 : peer.port()));
    // The other members of a clustered node refuse the peer too: the node is one identity with one ban list.
    bans.announce(ban, new JsonObject().put("host", host));
    enforce(ban, host, peerId, peer);
  }

  /** A ban another member of the cluster decided: kept in this member's list and enforced on its connections. */
  private void onOtherMemberBan(BanList.Ban ban, JsonObject announcement) {
    String peerId = ban.peerId();
    enforce(ban, announcement.getString("host"), peerId, peerId == null ? null : directory.get(peerId).orElse(null));
  }

  /** Forgets a banned peer's addresses and ends its connections, and every connection from a banned IP. */
  private void enforce(BanList.Ban ban, String host, String peerId, PeerInfo peer) {
    hooks.banned(host, peer, ban.key().equals(host));
    List<PeerConnection<WireMessage, MeshHandshake>> targets = new ArrayList<>();
    synchronized (this) {
      connections.forEach((candidate, tracked) -> {
        String candidateId = tracked.info == null ? candidate.peerId() : tracked.info.peerId();
        // A ban by IP ends every connection from that IP but a privileged one: a whitelisted host or a fixed peer.
        boolean byIp = ban.key().equals(candidate.remote().host()) && !isPrivileged(candidate, tracked.info);
        boolean byId = peerId != null && peerId.equals(candidateId);
        if (byIp || byId) {
          targets.add(candidate);
        }
      });
    }
    targets.forEach(p -> p.disconnect(DisconnectReason.BANNED, "banned: " + ban.reason()));
  }

  /** Whitelisted hosts and fixed peers lose score but are never banned, nor cut off by another peer's IP ban. */
  private boolean isPrivileged(PeerConnection<WireMessage, MeshHandshake> peer, PeerInfo admitted) {
    if (isWhitelisted(peer.remote().host())) {
      return true;
    }
    if (peer.direction() == Direction.OUTBOUND && isFixed(peer.remote())) {
      return true;
    }
    return admitted != null && admitted.fixed();
  }

  private int currentScore(String host, String peerId) {
    return reputation.keyOf(host, peerId).map(reputation::score).orElse(PeerInfo.INITIAL_REPUTATION);
  }

  /**
   * Publishes the event a peer's every message or request raises ({@code messageReceived}, {@code requestReceived})
   * only while something in this JVM consumes it (always, clustered): unheard, it would cost a delivery per message
   * for nothing. {@code body} names its protocol already.
   */
  void publishPerMessage(PeerEvent event, JsonObject body, DeliveryOptions delivery) {
    String address = addresses.event(event);
    if (consumers.heard(address)) {
      vertx.eventBus().publish(address, body, delivery);
    }
  }

  /**
   * Publishes a mesh event; its body names the protocol, as every protocol's events do. A body that names it already
   * (a peer's message, published on its own address too) is not written to again: a consumer may be copying it.
   */
  public void publish(PeerEvent event, JsonObject body) {
    if (!body.containsKey(PROTOCOL)) {
      body.put(PROTOCOL, BusAddresses.MESH);
    }
    vertx.eventBus().publish(addresses.event(event), body);
  }

  // ------------------------------------------------------------------------------------------------------ helpers

  NodeKey nodeKey() {
    return nodeKey;
  }

  BusAddresses busAddresses() {
    return addresses;
  }

  Hooks hooks() {
    return hooks;
  }

  /** Whether the per-IP and per-netgroup limits apply to this host. */
  private boolean isLimited(String host) {
    return !options.isExemptLocalAddresses() || !NetGroups.isLocal(host);
  }

  private List<PeerAddress> configuredPeers() {
    List<PeerAddress> all = new ArrayList<>(options.getConnect());
    all.addAll(options.getSeedPeers());
    all.addAll(options.getWhitelistedPeers());
    return all;
  }

  private boolean isFixed(PeerAddress address) {
    return options.getConnect().contains(address);
  }

  private boolean isFixedHost(String ip) {
    return options.getConnect().stream().anyMatch(p -> p.host().equals(ip));
  }


  private boolean isWhitelisted(String ip) {
    return options.getWhitelistedPeers().stream().anyMatch(p -> p.host().equals(ip));
  }

  private static PeerAddress canonical(PeerAddress address) {
    return new PeerAddress(NetGroups.canonicalHost(address.host()), address.port());
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
  }

  private static void decrement(Map<String, Integer> counts, String key) {
    counts.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
  }

  /** What the pool keeps of one connection; its map is guarded by the pool, its info read from any thread. */
  private static final class Tracked {
    /** A number for the connection, unique in this JVM, as lisk-p2p's events carry one. */
    final long id;
    /** Completes once the connection's verticle is deployed. */
    Future<String> deployment;
    /** What the peer was admitted with, then as its session updates it; null until it is admitted. */
    volatile PeerInfo info;

    Tracked(long id) {
      this.id = id;
    }
  }
}
