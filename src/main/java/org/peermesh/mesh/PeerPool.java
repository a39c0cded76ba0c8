package org.peermesh.mesh;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.OtherMembers;
import org.peermesh.bus.PeerEvent;
import org.peermesh.crypto.NodeKey;
import org.peermesh.mesh.wire.Disconnect;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.WireCodec;
import org.peermesh.net.Blacklist;
import org.peermesh.net.NetGroups;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.Backoff;
import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.InboundAdmission;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.peer.PeerInfo;
import org.peermesh.peer.PeerSocket;
import org.peermesh.peer.PeerState;
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
 * The connections of one node: it accepts inbound sockets and dials outbound ones, deploys one {@link PeerVerticle}
 * per connection, admits a peer once it has proven its identity, and enforces what must hold whatever the
 * selection functions choose: slot limits, one connection per peer, at most one connection per IP and three
 * outbound per netgroup (for routable addresses), inbound eviction, penalties and bans. Which addresses to dial
 * comes from {@link Hooks} (peer discovery); fixed peers are kept connected here.
 *
 * <p>The pool is a verticle: the listener accepts on its context and its timers live there. Peer verticles call in
 * from their own event loops, so the bookkeeping is guarded by this object's lock; only connects, disconnects and
 * penalties take it, never a message.
 */
public final class PeerPool extends VerticleBase {

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
  private static final long BAN_EXPIRY_CHECK_MS = 60_000;
  private static final int DISCONNECTED_PEERS_KEPT = 1_000;
  /** LIP 0004: at most this many outbound connections into one netgroup, so one subnet cannot eclipse the node. */
  public static final int MAX_OUTBOUND_PER_NETGROUP = 3;

  private final MeshOptions options;
  private final NodeKey nodeKey;
  private final BusAddresses addresses;
  private final PeerDirectory directory;
  private final Reputation reputation;
  private final AtomicLong connectionIds = new AtomicLong();
  private final Blacklist blacklist;
  private final Set<PeerAddress> seeds;
  private final Random random = new Random();
  private volatile Hooks hooks = Hooks.NONE;
  private volatile JsonPayload nodeInfo;
  private volatile PeerAddress listenAddress;

  private NetServer server;
  private NetClient client;

  // Guarded by this.
  private boolean running;
  private final Map<Long, Connection> connections = new HashMap<>();
  private final Map<String, PeerVerticle> connectedById = new HashMap<>();
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
                  BanList bans) {
    this.options = options;
    this.nodeKey = nodeKey;
    this.addresses = addresses;
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

  // ------------------------------------------------------------------------------------------------- node side

  /** Listens and dials the fixed peers; completes once every first dial has connected or failed. */
  @Override
  public Future<PeerAddress> start() {
    server = vertx.createNetServer(new NetServerOptions()
        .setHost(options.getListen().host())
        .setPort(options.getListen().port())
        .setTcpNoDelay(true));
    server.connectHandler(this::accept);
    OtherMembers.consumer(vertx.eventBus(), addresses.clusterBan(), deploymentID(), this::onOtherMemberBan);
    return server.listen().compose(listening -> {
      listenAddress = new PeerAddress(options.getListen().host(), listening.actualPort());
      NetClientOptions clientOptions = PeerSocket.clientOptions(options);
      if (!isWildcard(options.getListen().host())) {
        // Dial from the address we listen on: peers then see the address they can dial back.
        clientOptions.setLocalAddress(options.getListen().host());
      }
      client = vertx.createNetClient(clientOptions);
      synchronized (this) {
        running = true;
      }
      vertx.setPeriodic(options.getPopulatorInterval(), t -> keepFixedPeers());
      // Checked at least as often as a ban lasts, so that a short ban ends near its time.
      vertx.setPeriodic(Math.min(BAN_EXPIRY_CHECK_MS, options.getPeerBanTime()), t -> expireBans());
      return Future.join(keepFixedPeers()).transform(done -> Future.succeededFuture(listenAddress));
    });
  }

  /**
   * Stops listening and disconnects every peer with NODE_SHUTDOWN; completes when all their sockets are closed.
   * The peer verticles are this verticle's children, so undeploying the pool alone would also close them, but
   * without telling the peers why.
   */
  public Future<Void> shutdown() {
    List<Connection> open;
    synchronized (this) {
      if (!running) {
        return Future.succeededFuture();
      }
      running = false;
      open = new ArrayList<>(connections.values());
    }
    List<Future<Void>> closing = new ArrayList<>();
    closing.add(server.close());
    for (Connection connection : open) {
      closing.add(connection.deployment
          .compose(id -> connection.peer.disconnect(DisconnectReason.NODE_SHUTDOWN, "node is stopping"))
          .recover(err -> Future.succeededFuture()));
    }
    return Future.join(closing).mapEmpty();
  }

  @Override
  public Future<?> stop() {
    return shutdown().transform(done -> client.close());
  }

  public PeerAddress listenAddress() {
    return listenAddress;
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
   * Runs on the server's context. The socket is paused before any byte is read, and from here on only the peer
   * verticle it is handed to touches it; a socket refused here never gets a verticle, so this is its only writer.
   */
  private void accept(NetSocket socket) {
    Context acceptContext = Vertx.currentContext();
    socket.pause();
    PeerAddress remote = new PeerAddress(socket.remoteAddress().hostAddress(), socket.remoteAddress().port());
    Refusal refusal;
    synchronized (this) {
      refusal = inbound.admit(remote, running);
      if (refusal == null) {
        connectionsByIp.merge(remote.host(), 1, Integer::sum);
        track(PeerVerticle.inbound(this, connectionIds.incrementAndGet(), socket, acceptContext, remote));
      }
    }
    if (refusal != null) {
      refuseSocket(socket, remote, refusal.reason(), refusal.detail());
    }
  }

  /** The inbound slots are full: chooses a peer to evict for {@code newcomer}, if one is not protected. */
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
    for (PeerVerticle peer : connectedById.values()) {
      if (peer.direction() == Direction.INBOUND && !evicting.contains(peer.peerId())) {
        directory.get(peer.peerId()).ifPresent(inbound::add);
      }
    }
    return InboundEviction.select(inbound, NetGroups::of, random);
  }

  private void evict(PeerInfo victim, PeerAddress newcomer) {
    PeerVerticle peer;
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

  private void refuseSocket(NetSocket socket, PeerAddress remote, DisconnectReason reason, String detail) {
    LOG.debug("Refused inbound connection from {}: {}", remote, detail);
    publish(PeerEvent.FAILED_TO_ADD_INBOUND_PEER, new JsonObject()
        .put("host", remote.host())
        .put("port", remote.port())
        .put("code", reason.code())
        .put("reason", detail));
    Buffer frame = WireCodec.encode(Disconnect.of(reason.code(), detail));
    socket.write(frame).eventually(socket::close);
  }

  // ----------------------------------------------------------------------------------------------------- outbound

  /** Dials the fixed peers that are neither connected nor backing off; they never wait for a free slot. */
  private List<Future<PeerInfo>> keepFixedPeers() {
    List<Future<PeerInfo>> dials = new ArrayList<>();
    synchronized (this) {
      long now = System.nanoTime();
      for (PeerAddress fixed : options.getConnect()) {
        if (running && dialable(fixed, now, false)) {
          dials.add(prepareDial(fixed).handshakeResult());
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
  public List<Future<PeerInfo>> dial(List<PeerAddress> candidates) {
    List<Future<PeerInfo>> dials = new ArrayList<>();
    synchronized (this) {
      long now = System.nanoTime();
      for (PeerAddress candidate : candidates) {
        if (!running || outboundSlotsUsed >= options.getMaxOutbound()) {
          break;
        }
        if (dialable(candidate, now, true)) {
          dials.add(prepareDial(candidate).handshakeResult());
        }
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

  private PeerVerticle prepareDial(PeerAddress target) {
    outboundTargets.add(target);
    if (!isFixed(target)) {
      outboundSlotsUsed++;
    }
    connectionsByIp.merge(target.host(), 1, Integer::sum);
    outboundByNetgroup.merge(NetGroups.of(target.host()), 1, Integer::sum);
    PeerVerticle peer = PeerVerticle.outbound(this, connectionIds.incrementAndGet(), target);
    track(peer);
    return peer;
  }

  private void track(PeerVerticle peer) {
    Future<String> deployment = vertx.deployVerticle(peer);
    connections.put(peer.connectionId(), new Connection(peer, deployment));
    deployment
        .onSuccess(id -> {
          if (peer.isTerminated()) {
            // It ended before Vert.x had registered it, when undeploying it was not yet possible.
            vertx.undeploy(id);
          }
        })
        .onFailure(err -> LOG.warn("Could not deploy the verticle of {}", peer, err));
  }

  /** Disconnects a connected peer, if it still is. */
  public void disconnect(String peerId, DisconnectReason reason, String detail) {
    PeerVerticle peer;
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
    for (PeerVerticle peer : connectedById.values()) {
      if (peer.direction() == Direction.OUTBOUND) {
        outbound.add(new OutboundPeer(peer.peerId(), peer.remote(), isFixed(peer.remote())));
      }
    }
    return outbound;
  }

  /** A connected outbound peer and the address it was dialed at. */
  public record OutboundPeer(String peerId, PeerAddress dialed, boolean fixed) {
  }

  // ------------------------------------------------------------------------------------------ peer verticle side

  /** The answer to a peer that has proven its identity: the info it is admitted with, or why it is refused. */
  record Admission(PeerInfo info, DisconnectReason refusal, String detail) {

    static Admission refused(DisconnectReason reason, String detail) {
      return new Admission(null, reason, detail);
    }

    boolean admitted() {
      return refusal == null;
    }
  }

  /**
   * One connection per peer. When two nodes dial each other at once, both keep the connection dialed by the node
   * with the lower peer id, so the two ends agree without a further message; a second connection in the same
   * direction replaces the first, which is what a peer that restarted needs.
   */
  synchronized Admission admit(PeerVerticle peer, PeerInfo candidate) {
    if (!running) {
      return Admission.refused(DisconnectReason.NODE_SHUTDOWN, "node is stopping");
    }
    String peerId = candidate.peerId();
    if (peer.direction() == Direction.OUTBOUND) {
      dialedIds.put(peer.remote(), peerId);
    }
    boolean privileged = isWhitelisted(candidate.host()) || isFixed(candidate.address());
    if (blacklist.contains(candidate.host())) {
      return Admission.refused(DisconnectReason.BLACKLISTED, "address " + candidate.host() + " is blacklisted");
    }
    if (!privileged && reputation.isBanned(candidate.host(), peerId)) {
      return Admission.refused(DisconnectReason.BANNED, "peer " + peerId + " is banned");
    }
    PeerVerticle existing = connectedById.get(peerId);
    if (existing != null) {
      Direction preferred = nodeKey.peerId().toString().compareTo(peerId) < 0 ? Direction.OUTBOUND : Direction.INBOUND;
      if (existing.direction() != peer.direction() && existing.direction() == preferred) {
        return Admission.refused(DisconnectReason.DUPLICATE_CONNECTION, "already connected to " + peerId);
      }
      existing.disconnect(DisconnectReason.DUPLICATE_CONNECTION, "replaced by another connection to the same peer");
      connectedAddresses.remove(directory.get(peerId).map(PeerInfo::address).orElse(null));
    }
    if (peer.direction() == Direction.INBOUND) {
      inbound.handshakeDone(candidate.host());
    }
    int score = reputation.keyOf(candidate.host(), peerId).map(reputation::score).orElse(PeerInfo.INITIAL_REPUTATION);
    PeerInfo admitted = new PeerInfo(peerId, candidate.host(), candidate.port(), candidate.direction(),
        PeerState.CONNECTED, -1, candidate.nodeInfo(), isFixed(candidate.address()), isWhitelisted(candidate.host()),
        candidate.connectedAt(), 1, score);
    connectedById.put(peerId, peer);
    evicting.remove(peerId);
    if (admitted.port() > 0) {
      // A peer that does not listen has no address to dial or to keep from dialing.
      connectedAddresses.add(admitted.address());
    }
    disconnected.remove(peerId);
    backoffs.remove(peer.remote());
    directory.put(admitted);
    return new Admission(admitted, null, null);
  }

  void peerConnected(PeerVerticle peer, PeerInfo info) {
    LOG.info("Connected {} peer {} at {}", info.direction().jsonName(), info.peerId(), info.address());
    publish(info.direction() == Direction.INBOUND ? PeerEvent.NEW_INBOUND_PEER : PeerEvent.CONNECT_OUTBOUND,
        info.toJson().put("connectionId", peer.connectionId()).put("deploymentId", peer.deploymentID()));
    if (info.direction() == Direction.OUTBOUND) {
      hooks.outboundConnected(peer.remote(), info);
    } else {
      hooks.inboundConnected(info);
    }
  }

  /**
   * Latency, responsiveness or nodeInfo changed; the directory keeps it only while this verticle is the peer's
   * connection, with the peer's current score (penalties come from elsewhere too).
   */
  synchronized void peerUpdated(PeerVerticle peer, PeerInfo info) {
    if (connectedById.get(info.peerId()) == peer) {
      directory.put(info.withReputation(currentScore(info.host(), info.peerId())));
    }
  }

  /**
   * The verticle of a connection is stopping. {@code last} is the peer's info if it was admitted, null if it
   * never got that far.
   */
  void peerClosed(PeerVerticle peer, PeerInfo last, DisconnectReason reason, String detail, boolean byRemote) {
    String claimed = peer.claimedPeerId();
    boolean removed = false;
    long redialDelayMs = -1;
    synchronized (this) {
      connections.remove(peer.connectionId());
      String host = peer.remote().host();
      decrement(connectionsByIp, host);
      if (peer.direction() == Direction.INBOUND) {
        inbound.closed(host, last == null);
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
    if (claimed != null) {
      // After the directory entry is gone: no member may take the peer while this one still lists it.
      directory.release(claimed);
    }
    int code = reason == null ? DisconnectReason.NORMAL.code() : reason.code();
    JsonObject body = peer.describe()
        .put("code", code)
        .put("reason", detail)
        .put("initiator", byRemote ? "remote" : "local");
    if (last != null) {
      LOG.info("Disconnected {} peer {} at {}: {}", last.direction().jsonName(), last.peerId(), last.address(), detail);
      publish(peer.direction() == Direction.INBOUND ? PeerEvent.CLOSE_INBOUND : PeerEvent.CLOSE_OUTBOUND, body);
      if (removed) {
        publish(PeerEvent.REMOVE_PEER, new JsonObject().put("peerId", last.peerId()).put("host", last.host())
            .put("port", last.port()));
      }
    } else {
      LOG.info("Could not connect {} {}: {}", peer.direction().jsonName(), peer.remote(), detail);
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

  /** Reserves a remote peer that is proving itself for this JVM's connection; see {@link PeerDirectory#claim}. */
  Future<Boolean> claim(String peerId) {
    return directory.claim(peerId);
  }

  void release(String peerId) {
    directory.release(peerId);
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
    OtherMembers.publish(vertx.eventBus(), addresses.clusterBan(), ban.toJson().put("host", host), deploymentID());
    enforce(ban, host, peerId, peer);
  }

  /** A ban another member of the cluster decided: kept in this member's list and enforced on its connections. */
  private void onOtherMemberBan(JsonObject json) {
    long remainingMs = json.getLong("until") - System.currentTimeMillis();
    if (remainingMs <= 0) {
      return;
    }
    String peerId = json.getString("peerId");
    BanList.Ban ban = reputation.bans().ban(json.getString("key"), peerId, json.getString("reason"), remainingMs);
    enforce(ban, json.getString("host"), peerId, peerId == null ? null : directory.get(peerId).orElse(null));
  }

  /** Forgets a banned peer's addresses and ends its connections, and every connection from a banned IP. */
  private void enforce(BanList.Ban ban, String host, String peerId, PeerInfo peer) {
    hooks.banned(host, peer, ban.key().equals(host));
    List<PeerVerticle> targets = new ArrayList<>();
    synchronized (this) {
      for (Connection connection : connections.values()) {
        PeerVerticle candidate = connection.peer;
        // A ban by IP ends every connection from that IP but a privileged one: a whitelisted host or a fixed peer.
        boolean byIp = ban.key().equals(candidate.remote().host()) && !isPrivileged(candidate);
        boolean byId = peerId != null && peerId.equals(candidate.peerId());
        if (byIp || byId) {
          targets.add(candidate);
        }
      }
    }
    targets.forEach(p -> p.disconnect(DisconnectReason.BANNED, "banned: " + ban.reason()));
  }

  /** Whitelisted hosts and fixed peers lose score but are never banned, nor cut off by another peer's IP ban. */
  private boolean isPrivileged(PeerVerticle peer) {
    if (isWhitelisted(peer.remote().host())) {
      return true;
    }
    if (peer.direction() == Direction.OUTBOUND && isFixed(peer.remote())) {
      return true;
    }
    String peerId = peer.peerId();
    return peerId != null && directory.get(peerId).map(PeerInfo::fixed).orElse(false);
  }

  private void expireBans() {
    for (BanList.Ban ban : reputation.bans().expire()) {
      LOG.info("Ban of {} expired", ban.key());
      publish(PeerEvent.UNBAN_PEER, ban.toJson());
    }
  }

  private int currentScore(String host, String peerId) {
    return reputation.keyOf(host, peerId).map(reputation::score).orElse(PeerInfo.INITIAL_REPUTATION);
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

  MeshOptions options() {
    return options;
  }

  NodeKey nodeKey() {
    return nodeKey;
  }

  BusAddresses addresses() {
    return addresses;
  }

  NetClient netClient() {
    return client;
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

  private record Connection(PeerVerticle peer, Future<String> deployment) {
  }
}
