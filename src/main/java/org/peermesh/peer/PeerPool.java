package org.peermesh.peer;

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
import org.peermesh.bus.PeerEvent;
import org.peermesh.crypto.NodeKey;
import org.peermesh.node.Direction;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerAddress;
import org.peermesh.node.PeerInfo;
import org.peermesh.node.PeerState;
import org.peermesh.selection.PeerSelection;
import org.peermesh.wire.Disconnect;
import org.peermesh.wire.DisconnectReason;
import org.peermesh.wire.JsonPayload;
import org.peermesh.wire.WireCodec;
import io.netty.util.NetUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The connections of one node: it accepts inbound sockets and dials outbound ones, deploys one {@link PeerVerticle}
 * per connection, admits a peer once it has proven its identity (one connection per peer, slot limits), and keeps
 * the configured peers connected with exponential back-off.
 *
 * <p>The pool is a verticle: the listener accepts on its context and its timers (outbound maintenance, redials)
 * live there. Peer verticles call in from their own event loops, so the bookkeeping is guarded by this object's
 * lock; only connects and disconnects take it, never a message.
 */
public final class PeerPool extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PeerPool.class);
  /** lisk-p2p's populator interval: how often free outbound slots are refilled. */
  private static final long MAINTAIN_INTERVAL_MS = 10_000;
  private static final long RECONNECT_MIN_DELAY_MS = 1_000;
  private static final long RECONNECT_MAX_DELAY_MS = 60_000;
  private static final int DISCONNECTED_PEERS_KEPT = 1_000;

  private final NodeOptions options;
  private final NodeKey nodeKey;
  private final BusAddresses addresses;
  private final PeerDirectory directory;
  private final PeerSelection selection;
  private final AtomicLong connectionIds = new AtomicLong();
  private final Set<String> blacklist;
  private volatile JsonPayload nodeInfo;
  private volatile PeerAddress listenAddress;

  private NetServer server;
  private NetClient client;
  private long maintainTimer = -1;

  // Guarded by this.
  private boolean running;
  private final Map<Long, Connection> connections = new HashMap<>();
  private final Map<String, PeerVerticle> connectedById = new HashMap<>();
  private final Map<String, Integer> handshakingByIp = new HashMap<>();
  private final Set<PeerAddress> outboundTargets = new HashSet<>();
  private final Set<PeerAddress> connectedAddresses = new HashSet<>();
  private final Map<PeerAddress, Backoff> backoffs = new HashMap<>();
  /** Which peer an address we dialed turned out to be: a seed named by host name is known by id, not by IP. */
  private final Map<PeerAddress, String> dialedIds = new HashMap<>();
  private final Map<String, PeerInfo> disconnected = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PeerInfo> eldest) {
      return size() > DISCONNECTED_PEERS_KEPT;
    }
  };
  private int inboundCount;
  private int outboundCount;

  public PeerPool(NodeOptions options, NodeKey nodeKey, BusAddresses addresses, PeerDirectory directory,
                  PeerSelection selection) {
    this.options = options;
    this.nodeKey = nodeKey;
    this.addresses = addresses;
    this.directory = directory;
    this.selection = selection;
    this.nodeInfo = JsonPayload.of(options.getNodeInfo());
    this.blacklist = options.getBlacklistedIPs().stream().map(PeerPool::canonicalIp).collect(Collectors.toUnmodifiableSet());
  }

  // ------------------------------------------------------------------------------------------------- node side

  /** Listens, dials the configured peers, and completes once every first dial has connected or failed. */
  @Override
  public Future<PeerAddress> start() {
    server = vertx.createNetServer(new NetServerOptions()
        .setHost(options.getHost())
        .setPort(options.getPort())
        .setTcpNoDelay(true));
    server.connectHandler(this::accept);
    return server.listen().compose(listening -> {
      listenAddress = new PeerAddress(options.getHost(), listening.actualPort());
      client = vertx.createNetClient(new NetClientOptions()
          .setConnectTimeout(options.getConnectTimeout())
          .setTcpNoDelay(true));
      synchronized (this) {
        running = true;
      }
      maintainTimer = vertx.setPeriodic(MAINTAIN_INTERVAL_MS, t -> maintainOutbound());
      List<Future<PeerInfo>> firstDials = maintainOutbound();
      return Future.join(firstDials).transform(done -> Future.succeededFuture(listenAddress));
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
    vertx.cancelTimer(maintainTimer);
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

  public synchronized List<PeerInfo> disconnectedPeers() {
    Map<PeerAddress, PeerInfo> byAddress = new LinkedHashMap<>();
    disconnected.values().forEach(p -> byAddress.put(p.address(), p));
    for (PeerAddress configured : configuredPeers()) {
      if (!connectedAddresses.contains(configured)) {
        byAddress.putIfAbsent(configured, new PeerInfo(null, configured.host(), configured.port(), null,
            PeerState.CLOSED, -1, null, isFixed(configured), isWhitelisted(configured.host())));
      }
    }
    byAddress.keySet().removeAll(connectedAddresses);
    return List.copyOf(byAddress.values());
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
    DisconnectReason refusal;
    String detail;
    long connectionId = connectionIds.incrementAndGet();
    PeerVerticle peer = null;
    synchronized (this) {
      String ip = remote.host();
      boolean privileged = isWhitelisted(ip) || isFixedHost(ip);
      if (!running) {
        refusal = DisconnectReason.NODE_SHUTDOWN;
        detail = "node is stopping";
      } else if (isBlacklisted(ip)) {
        refusal = DisconnectReason.BLACKLISTED;
        detail = "address " + ip + " is blacklisted";
      } else if (inboundCount >= options.getMaxInboundConnections() && !privileged) {
        refusal = DisconnectReason.INBOUND_SLOTS_FULL;
        detail = "all " + options.getMaxInboundConnections() + " inbound slots are taken";
      } else if (handshakingByIp.getOrDefault(ip, 0) >= options.getMaxPendingHandshakesPerIP()) {
        refusal = DisconnectReason.TOO_MANY_PENDING_FROM_IP;
        detail = options.getMaxPendingHandshakesPerIP() + " connections from " + ip + " are still handshaking";
      } else {
        refusal = null;
        detail = null;
        inboundCount++;
        handshakingByIp.merge(ip, 1, Integer::sum);
        peer = PeerVerticle.inbound(this, connectionId, socket, acceptContext, remote);
        track(peer);
      }
    }
    if (refusal != null) {
      refuseSocket(socket, remote, refusal, detail);
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

  /** Dials configured peers that are neither connected nor backing off: fixed ones always, others into free slots. */
  private List<Future<PeerInfo>> maintainOutbound() {
    List<PeerVerticle> dials = new ArrayList<>();
    synchronized (this) {
      if (!running) {
        return List.of();
      }
      long now = System.nanoTime();
      for (PeerAddress fixed : options.getFixedPeers()) {
        if (dialable(fixed, now)) {
          dials.add(prepareDial(fixed));
        }
      }
      int free = options.getMaxOutboundConnections() - outboundCount;
      if (free > 0) {
        List<PeerAddress> fresh = new ArrayList<>();
        List<PeerAddress> tried = new ArrayList<>();
        for (PeerAddress seed : options.getSeedPeers()) {
          if (dialable(seed, now)) {
            fresh.add(seed);
          }
        }
        for (PeerInfo known : disconnected.values()) {
          if (known.port() > 0 && dialable(known.address(), now) && !fresh.contains(known.address())) {
            tried.add(known.address());
          }
        }
        for (PeerAddress chosen : selection.connection().select(fresh, tried, free)) {
          if (dialable(chosen, now)) {
            dials.add(prepareDial(chosen));
          }
        }
      }
    }
    List<Future<PeerInfo>> results = new ArrayList<>();
    for (PeerVerticle peer : dials) {
      results.add(peer.handshakeResult());
    }
    return results;
  }

  private boolean dialable(PeerAddress address, long nowNanos) {
    if (outboundTargets.contains(address) || connectedAddresses.contains(address)
        || isBlacklisted(address.host()) || address.equals(listenAddress)) {
      return false;
    }
    String knownId = dialedIds.get(address);
    if (knownId != null && connectedById.containsKey(knownId)) {
      return false;
    }
    Backoff backoff = backoffs.get(address);
    return backoff == null || nowNanos >= backoff.notBeforeNanos;
  }

  private PeerVerticle prepareDial(PeerAddress target) {
    outboundTargets.add(target);
    outboundCount++;
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
    if (isBlacklisted(candidate.host())) {
      return Admission.refused(DisconnectReason.BLACKLISTED, "address " + candidate.host() + " is blacklisted");
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
      handshakingByIp.computeIfPresent(candidate.host(), (ip, n) -> n > 1 ? n - 1 : null);
    }
    PeerInfo admitted = new PeerInfo(peerId, candidate.host(), candidate.port(), candidate.direction(),
        PeerState.CONNECTED, -1, candidate.nodeInfo(), isFixed(candidate.address()), isWhitelisted(candidate.host()));
    connectedById.put(peerId, peer);
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
  }

  /** Latency or nodeInfo changed; the directory keeps it only while this verticle is the peer's connection. */
  synchronized void peerUpdated(PeerVerticle peer, PeerInfo info) {
    if (connectedById.get(info.peerId()) == peer) {
      directory.put(info);
    }
  }

  /**
   * The verticle of a connection is stopping. {@code last} is the peer's info if it was admitted, null if it
   * never got that far.
   */
  void peerClosed(PeerVerticle peer, PeerInfo last, DisconnectReason reason, String detail, boolean byRemote) {
    boolean removed = false;
    long redialDelayMs = -1;
    synchronized (this) {
      connections.remove(peer.connectionId());
      if (peer.direction() == Direction.INBOUND) {
        inboundCount--;
        if (last == null) {
          handshakingByIp.computeIfPresent(peer.remote().host(), (ip, n) -> n > 1 ? n - 1 : null);
        }
      } else {
        outboundCount--;
        outboundTargets.remove(peer.remote());
        redialDelayMs = backoffs.computeIfAbsent(peer.remote(), a -> new Backoff()).failed(last != null);
      }
      if (last != null && connectedById.remove(last.peerId(), peer)) {
        removed = true;
        directory.remove(last.peerId());
        connectedAddresses.remove(last.address());
        disconnected.put(last.peerId(), last.withState(PeerState.CLOSED));
      }
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
    if (redialDelayMs > 0) {
      // On the pool's context: a timer set on the closing peer's context would be cancelled with its undeployment.
      long delay = redialDelayMs;
      context.runOnContext(v -> vertx.setTimer(delay, t -> maintainOutbound()));
    }
  }

  public void publish(PeerEvent event, JsonObject body) {
    vertx.eventBus().publish(addresses.event(event), body);
  }

  // ------------------------------------------------------------------------------------------------------ helpers

  NodeOptions options() {
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

  private List<PeerAddress> configuredPeers() {
    List<PeerAddress> all = new ArrayList<>(options.getFixedPeers());
    all.addAll(options.getSeedPeers());
    all.addAll(options.getWhitelistedPeers());
    return all;
  }

  private boolean isFixed(PeerAddress address) {
    return options.getFixedPeers().contains(address);
  }

  private boolean isFixedHost(String ip) {
    return options.getFixedPeers().stream().anyMatch(p -> p.host().equals(ip));
  }

  private boolean isBlacklisted(String host) {
    return !blacklist.isEmpty() && blacklist.contains(canonicalIp(host));
  }

  /** The one spelling of an IP literal ("::1" and "0:0:0:0:0:0:0:1" are one address); other hosts stay as given. */
  private static String canonicalIp(String host) {
    if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
      return host;
    }
    return NetUtil.bytesToIpAddress(NetUtil.createByteArrayFromIpAddressString(host));
  }

  private boolean isWhitelisted(String ip) {
    return options.getWhitelistedPeers().stream().anyMatch(p -> p.host().equals(ip));
  }

  private record Connection(PeerVerticle peer, Future<String> deployment) {
  }

  /** Exponential back-off with jitter for one address, so that a failing address is never dialed in a hot loop. */
  private static final class Backoff {
    private int failures;
    private long notBeforeNanos;

    /** Records a close and returns how long until the address may be dialed again. */
    long failed(boolean wasConnected) {
      failures = wasConnected ? 0 : failures + 1;
      long delay = Math.min(RECONNECT_MAX_DELAY_MS, RECONNECT_MIN_DELAY_MS << Math.min(failures, 16));
      long jittered = (long) (delay * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
      notBeforeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(jittered);
      return jittered;
    }
  }
}
