package org.peermesh.devp2p.peer;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.devp2p.discovery.EnodeUrl;
import org.peermesh.devp2p.discovery.NodeId;
import org.peermesh.devp2p.discv4.Discv4Options;
import org.peermesh.devp2p.discv4.Discv4Service;
import org.peermesh.net.ListenFailure;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.Direction;
import org.peermesh.peer.PoolHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * discv4 beside the node's RLPx peers, and the dialer it feeds, as go-ethereum's {@code dialScheduler}: the nodes
 * discovery proves are dialed while fewer than a third of maxPeers are dialed peers, each node at most once at a time
 * and not again for a while after a dial failed. Runs on the pool's context.
 */
final class Devp2pDiscovery {

  private static final Logger LOG = LoggerFactory.getLogger(Devp2pDiscovery.class);
  /** How often the table is walked for nodes to dial while dialed slots are free. */
  static final long DIAL_INTERVAL_MS = 5_000;
  /** geth's dialHistoryExpiration: a node just dialed is not dialed again for 35 s. */
  static final long REDIAL_AFTER_MS = 35_000;
  /** The nodes whose last dial is remembered, oldest forgotten first. */
  private static final int MAX_DIAL_HISTORY = 4_096;
  /** The longest random wait before a dial. */
  private static final int MAX_DIAL_DELAY_MS = 1_000;

  private final PoolHandle pool;
  private final Devp2pOptions options;
  private final RlpxProtocol protocol;
  private final Discv4Service service;
  /** Where discovery binds: what a failure to bind names. */
  private final PeerAddress udpAddress;
  private final Set<NodeId> dialing = new HashSet<>();
  private final Map<NodeId, Long> lastDialed = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<NodeId, Long> eldest) {
      return size() > MAX_DIAL_HISTORY;
    }
  };
  private final Random random = new Random();
  private long dialTimer = -1;
  private boolean stopped;
  private int udpPort;

  Devp2pDiscovery(PoolHandle pool, Devp2pOptions options, byte[] privateKey, RlpxProtocol protocol) {
    this.pool = pool;
    this.options = options;
    this.protocol = protocol;
    PeerAddress listen = pool.listenAddress();
    Discv4Options discovery = new Discv4Options()
        .setHost(listen == null ? "0.0.0.0" : listen.host())
        .setPort(options.getDiscovery().getPort())
        .setTcpPort(listen == null ? 0 : listen.port())
        .setBootnodes(options.getBootnodes().stream().map(EnodeUrl::parse).toList());
    this.service = new Discv4Service(pool.vertx(), privateKey, discovery).nodeHandler(this::offer);
    this.udpAddress = new PeerAddress(discovery.getHost(), discovery.getPort());
  }

  Future<Void> start() {
    return service.start().recover(failed -> Future.failedFuture(
        ListenFailure.of("devp2p.discovery.port", udpAddress.host(), udpAddress.port(), failed))).map(port -> {
      udpPort = port;
      dialTimer = pool.vertx().setPeriodic(DIAL_INTERVAL_MS, t -> {
        // The table holds thousands of nodes and each offer reads the peer list: none while every slot is taken.
        if (dialSlotFree()) {
          service.nodes().forEach(this::offer);
        }
      });
      LOG.info("devp2p discovery on UDP port {}, record {}", port, service.record().toText());
      return null;
    });
  }

  Future<Void> stop() {
    stopped = true;
    if (dialTimer >= 0) {
      pool.vertx().cancelTimer(dialTimer);
    }
    return service.stop();
  }

  /** A node discovery proved: dialed if a dialed slot is free and it is neither connected nor dialed lately. */
  private void offer(EnodeUrl node) {
    if (node.tcpPort() == 0 || node.id().equals(protocol.nodeId()) || dialing.contains(node.id())) {
      return;
    }
    long now = System.currentTimeMillis();
    Long last = lastDialed.get(node.id());
    if (last != null && now - last < REDIAL_AFTER_MS) {
      return;
    }
    if (!dialSlotFree() || connected(node.id())) {
      return;
    }
    dialing.add(node.id());
    lastDialed.put(node.id(), now);
    // Two nodes that discover each other dial each other at once, and each may keep the connection the other
    // refuses as a duplicate: a random delay makes one of them see the other's connection first, most of the time.
    pool.vertx().setTimer(1 + random.nextInt(MAX_DIAL_DELAY_MS), t -> dial(node));
  }

  private void dial(EnodeUrl node) {
    if (stopped || connected(node.id())) {
      dialing.remove(node.id());
      return;
    }
    pool.connect(protocol.expect(node)).onComplete(ar -> {
      dialing.remove(node.id());
      if (ar.failed()) {
        LOG.debug("devp2p dial of discovered node {} failed: {}", node, ar.cause().getMessage());
        if (String.valueOf(ar.cause().getMessage()).contains(Devp2pDisconnectReason.ALREADY_CONNECTED.words())
            && !connected(node.id())) {
          // Both crossing dials lost: the next walk of the table dials it again.
          lastDialed.remove(node.id());
        }
      }
    });
  }

  private boolean dialSlotFree() {
    return dialing.size() + dialedPeers() < options.maxDialed();
  }

  private long dialedPeers() {
    return pool.peers().stream().filter(peer -> Direction.OUTBOUND.jsonName().equals(peer.getString("direction")))
        .count();
  }

  /** Whether a connection holds the node, established or still handshaking with its key proven. */
  private boolean connected(NodeId id) {
    return pool.peers().stream().anyMatch(peer -> id.hex().equals(peer.getString("peerId")));
  }

  /** What the nodeInfo command says of discovery. */
  JsonObject info() {
    return new JsonObject()
        .put("udpPort", udpPort)
        .put("enr", service.record().toText())
        .put("tableSize", service.nodes().size())
        .put("stats", service.stats());
  }
}
