package org.peermesh.devp2p.discv4;

import io.netty.util.NetUtil;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.json.JsonObject;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.devp2p.discovery.Discv4Exception;
import org.peermesh.devp2p.discovery.Discv4Packet;
import org.peermesh.devp2p.discovery.Discv4Packets;
import org.peermesh.devp2p.discovery.EnodeUrl;
import org.peermesh.devp2p.discovery.Endpoint;
import org.peermesh.devp2p.discovery.EnrRequestPacket;
import org.peermesh.devp2p.discovery.EnrResponsePacket;
import org.peermesh.devp2p.discovery.FindNodePacket;
import org.peermesh.devp2p.discovery.Neighbor;
import org.peermesh.devp2p.discovery.NeighborsPacket;
import org.peermesh.devp2p.discovery.NodeId;
import org.peermesh.devp2p.discovery.NodeTable;
import org.peermesh.devp2p.discovery.PingPacket;
import org.peermesh.devp2p.discovery.PongPacket;
import org.peermesh.devp2p.enr.Enr;
import org.peermesh.devp2p.rlp.RlpString;
import org.peermesh.storage.LruMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A devp2p node's Node Discovery v4 service on one UDP socket: it answers Pings, FindNodes and ENRRequests, proves
 * the endpoints of the nodes it meets, fills its Kademlia table by lookups (from the bootnodes at start, then of a
 * random target every refresh interval) and tells {@link #nodeHandler} about each node that enters the table.
 *
 * <p>Everything runs on the Vert.x context the service is made on (a verticle's, or a new event-loop context when
 * made outside one); {@link #nodes()}, {@link #stats()}, {@link #self()} and {@link #record()} may be called from any
 * thread. Bad datagrams cost their sender only: each is dropped, counted under a reason in {@link #stats()}, and never
 * answered.
 */
public final class Discv4Service {

  /** How long our packets stay valid: geth's {@code expiration}. */
  static final long EXPIRATION_SECONDS = 20;
  /** How long a reply is awaited: geth's {@code respTimeout}. */
  static final long REPLY_TIMEOUT_MILLIS = 500;
  /** How long an answered Ping proves an endpoint: geth's {@code bondExpiration}. */
  static final long BOND_EXPIRATION_MILLIS = 24 * 60 * 60 * 1000L;
  /** geth refuses Neighbors entries with a UDP port up to this one ({@code errLowPort}). */
  private static final int MAX_LOW_PORT = 1024;
  private static final int HASH_LENGTH = 32;
  private static final Logger LOG = LoggerFactory.getLogger(Discv4Service.class);

  private final Vertx vertx;
  private final Context context;
  private final byte[] privateKey;
  private final NodeId selfId;
  private final Discv4Options options;
  private final NodeTable table;
  private final PendingReplies replies;
  /** When each node last answered our Ping and last pinged us, at which IP; bounded, least recently used out. */
  private final Map<NodeId, Proof> proofs;
  /** The Pings awaiting a Pong that would prove a node's endpoint; at most maxBonding. */
  private final Map<NodeId, Future<Void>> bonding = new HashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final LongAdder received = new LongAdder();
  private final LongAdder sent = new LongAdder();
  /** Keyed by reason: the decoder's kinds and this class's few, so bounded. */
  private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();

  private volatile Handler<EnodeUrl> nodeHandler = node -> { };
  private volatile List<EnodeUrl> nodes = List.of();
  private volatile EnodeUrl self;
  private volatile Enr record;
  private DatagramSocket socket;
  private Endpoint ourEndpoint;
  private long refreshTimer = -1;
  private boolean refreshing;
  private boolean stopped;

  /** When a node last answered our Ping ({@code pongMillis}) and last pinged us, both from {@code ip}; 0: never. */
  private record Proof(InetAddress ip, long pongMillis, long pingMillis) {
  }

  /**
   * A service for the node whose key is {@code privateKey32}, not started. Made on the calling thread's Vert.x
   * context, or a new one.
   *
   * @throws IllegalArgumentException for a key that is not a secp256k1 private key
   */
  public Discv4Service(Vertx vertx, byte[] privateKey32, Discv4Options options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    if (privateKey32 == null || !Secp256k1.isValidPrivateKey(privateKey32)) {
      throw new IllegalArgumentException("not a secp256k1 private key");
    }
    this.privateKey = privateKey32.clone();
    this.options = Objects.requireNonNull(options, "options");
    this.context = vertx.getOrCreateContext();
    this.selfId = NodeId.ofPrivateKey(privateKey);
    this.table = new NodeTable(selfId);
    this.replies = new PendingReplies(vertx, options.getMaxPendingReplies(), REPLY_TIMEOUT_MILLIS);
    this.proofs = new LruMap<>(options.getMaxEndpointProofs());
  }

  /**
   * Called on the service's context once for each node that enters the table (its endpoint proven) and has a TCP
   * port: a node the devp2p dialer may dial. Set it before {@link #start()}.
   */
  public Discv4Service nodeHandler(Handler<EnodeUrl> handler) {
    this.nodeHandler = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /**
   * Binds the UDP socket and signs our record (seq 1); then pings the bootnodes, looks up our own id once they
   * answered, and refreshes the table every refresh interval. The future holds the bound UDP port.
   */
  public Future<Integer> start() {
    return onContext(() -> {
      if (socket != null || stopped) {
        return Future.failedFuture(new IllegalStateException("a discv4 service starts once"));
      }
      socket = vertx.createDatagramSocket(new DatagramSocketOptions().setIpV6(options.getHost().contains(":")));
      socket.handler(this::receive);
      return socket.listen(options.getPort(), options.getHost()).map(bound -> {
        int port = bound.localAddress().port();
        describeSelf(port);
        refreshTimer = vertx.setPeriodic(options.getRefreshInterval(), t -> refresh());
        refresh();
        return port;
      });
    });
  }

  /** Closes the socket, cancels the timers and fails what awaits a reply. */
  public Future<Void> stop() {
    return onContext(() -> {
      if (stopped) {
        return Future.succeededFuture();
      }
      stopped = true;
      vertx.cancelTimer(refreshTimer);
      replies.cancelAll();
      return socket == null ? Future.succeededFuture() : socket.close();
    });
  }

  /** The nodes in the table now (endpoints proven), closest buckets first. */
  public List<EnodeUrl> nodes() {
    return nodes;
  }

  /**
   * Our own enode URL: the advertised host (or the bound one), the bound UDP port and the advertised TCP port.
   *
   * @throws IllegalStateException before {@link #start()} has bound the socket
   */
  public EnodeUrl self() {
    return requireStarted(self);
  }

  /**
   * Our node record, as ENRRequests are answered with.
   *
   * @throws IllegalStateException before {@link #start()} has bound the socket
   */
  public Enr record() {
    return requireStarted(record);
  }

  /**
   * Asks {@code node} for its current record (EIP-868), pinging it first unless its endpoint is proven. The record
   * is verified and is the node's own (its key is the node id).
   */
  public Future<Enr> requestRecord(EnodeUrl node) {
    Objects.requireNonNull(node, "node");
    return onContext(() -> resolve(node).compose(neighbor -> ensureBonded(neighbor).compose(v -> enrRequest(neighbor))));
  }

  /**
   * Counters: {@code received} datagrams, {@code sent} datagrams, {@code dropped} by reason (the decoder's kinds such
   * as {@code bad_hash} or {@code too_large}, and {@code expired}, {@code self}, {@code unsolicited}, {@code
   * mismatched}, {@code unbonded}, {@code malformed}), and {@code tableSize}.
   */
  public JsonObject stats() {
    JsonObject drops = new JsonObject();
    new TreeMap<>(dropped).forEach((reason, count) -> drops.put(reason, count.sum()));
    return new JsonObject().put("received", received.sum()).put("sent", sent.sum()).put("dropped", drops)
        .put("tableSize", nodes.size());
  }

  private void describeSelf(int udpPort) {
    String advertised = options.getAdvertisedHost();
    if (advertised == null && !Discv4Options.ip(options.getHost()).isAnyLocalAddress()) {
      advertised = options.getHost();
    }
    int tcp = options.getTcpPort();
    if (advertised == null) {
      // No IP we could vouch for: the record says only the ports, and peers take the address our packets come from.
      record = Enr.sign(privateKey, 1, Map.of("tcp", RlpString.of(tcp), "udp", RlpString.of(udpPort)));
      ourEndpoint = new Endpoint(Discv4Options.ip(options.getHost()), udpPort, tcp);
      self = new EnodeUrl(selfId, options.getHost(), tcp, udpPort);
    } else {
      InetAddress ip = Discv4Options.ip(advertised);
      record = Enr.sign(privateKey, 1, ip, tcp, udpPort);
      ourEndpoint = new Endpoint(ip, udpPort, tcp);
      self = new EnodeUrl(selfId, NetUtil.toAddressString(ip), tcp, udpPort);
    }
  }

  // ---- receiving

  private void receive(DatagramPacket packet) {
    if (stopped) {
      return;
    }
    received.increment();
    InetAddress ip;
    try {
      ip = Discv4Options.ip(packet.sender().hostAddress());
    } catch (IllegalArgumentException e) {
      drop("malformed");
      return;
    }
    int port = packet.sender().port();
    Discv4Packets.Decoded decoded;
    try {
      decoded = Discv4Packets.decode(packet.data().getBytes());
    } catch (Discv4Exception e) {
      drop(e.kind());
      return;
    } catch (RuntimeException e) {
      // A check the decoder missed must still cost the sender only.
      LOG.debug("Undecodable discv4 datagram from {}:{}", ip, port, e);
      drop("malformed");
      return;
    }
    if (decoded.sender().equals(selfId)) {
      drop("self");
      return;
    }
    Discv4Packet body = decoded.packet();
    OptionalLong expiration = expiration(body);
    if (expiration.isPresent() && Discv4Packets.isExpired(expiration.getAsLong(), nowSeconds())) {
      drop("expired");
      return;
    }
    NodeId sender = decoded.sender();
    if (body instanceof PingPacket ping) {
      onPing(sender, ip, port, ping, decoded.hash());
    } else if (body instanceof FindNodePacket findNode) {
      onFindNode(sender, ip, port, findNode);
    } else if (body instanceof EnrRequestPacket) {
      onEnrRequest(sender, ip, port, decoded.hash());
    } else {
      // Pong, Neighbors, ENRResponse: replies, taken only when awaited.
      switch (replies.handle(sender, ip, body)) {
        case UNSOLICITED -> drop("unsolicited");
        case MISMATCHED -> drop("mismatched");
        case MATCHED -> { }
      }
    }
  }

  private static OptionalLong expiration(Discv4Packet packet) {
    if (packet instanceof PingPacket ping) {
      return OptionalLong.of(ping.expiration());
    } else if (packet instanceof PongPacket pong) {
      return OptionalLong.of(pong.expiration());
    } else if (packet instanceof FindNodePacket findNode) {
      return OptionalLong.of(findNode.expiration());
    } else if (packet instanceof NeighborsPacket neighbors) {
      return OptionalLong.of(neighbors.expiration());
    } else if (packet instanceof EnrRequestPacket request) {
      return OptionalLong.of(request.expiration());
    }
    // ENRResponse has none: it names the request it answers, which is awaited only for 500 ms.
    return OptionalLong.empty();
  }

  /**
   * Always answered, even from a node we do not know: that is how a new node bootstraps from us. An unproven pinger
   * is pinged back, and enters the table when it answers.
   */
  private void onPing(NodeId sender, InetAddress ip, int port, PingPacket ping, byte[] hash) {
    send(new PongPacket(new Endpoint(ip, port, ping.from().tcp()), hash, expiration(), OptionalLong.of(record.seq())),
        ip, port);
    Proof proof = proofOf(sender, ip);
    proofs.put(sender, new Proof(ip, proof.pongMillis(), System.currentTimeMillis()));
    replies.handle(sender, ip, ping);
    Neighbor node = new Neighbor(ip, port, ping.from().tcp(), sender);
    if (proven(sender, ip)) {
      added(node);
    } else {
      bond(node);
    }
  }

  /** Answered only to a proven endpoint, which keeps us from flooding a spoofed address with Neighbors. */
  private void onFindNode(NodeId sender, InetAddress ip, int port, FindNodePacket findNode) {
    if (!proven(sender, ip)) {
      drop("unbonded");
      return;
    }
    List<Neighbor> closest = table.closest(findNode.target(), NodeTable.BUCKET_SIZE);
    long expiration = expiration();
    for (int from = 0; from < closest.size(); from += NeighborsPacket.MAX_NODES) {
      List<Neighbor> part = closest.subList(from, Math.min(closest.size(), from + NeighborsPacket.MAX_NODES));
      send(new NeighborsPacket(part, expiration), ip, port);
    }
    if (closest.isEmpty()) {
      // geth answers an empty table with one empty Neighbors packet, so the asker need not wait out its timeout.
      send(new NeighborsPacket(List.of(), expiration), ip, port);
    }
  }

  private void onEnrRequest(NodeId sender, InetAddress ip, int port, byte[] hash) {
    if (!proven(sender, ip)) {
      drop("unbonded");
      return;
    }
    send(new EnrResponsePacket(hash, record), ip, port);
  }

  // ---- endpoint proofs

  private Proof proofOf(NodeId id, InetAddress ip) {
    Proof proof = proofs.get(id);
    // A proof holds for the IP it was made at only.
    return proof != null && proof.ip().equals(ip) ? proof : new Proof(ip, 0, 0);
  }

  /** Whether {@code id} at {@code ip} answered our Ping within the bond expiration. */
  private boolean proven(NodeId id, InetAddress ip) {
    return recent(proofOf(id, ip).pongMillis());
  }

  private static boolean recent(long millis) {
    return millis > 0 && System.currentTimeMillis() - millis < BOND_EXPIRATION_MILLIS;
  }

  /**
   * Proves {@code node}'s endpoint unless it is proven: pings it and, when it answers, adds it to the table. One Ping
   * per node at a time, at most maxBonding at once.
   */
  private Future<Void> bond(Neighbor node) {
    if (proven(node.id(), node.ip())) {
      return Future.succeededFuture();
    }
    Future<Void> running = bonding.get(node.id());
    if (running != null) {
      return running;
    }
    if (bonding.size() >= options.getMaxBonding()) {
      return Future.failedFuture(new IllegalStateException(bonding.size() + " nodes being pinged already"));
    }
    Future<Void> pong = ping(node).onSuccess(v -> added(node));
    bonding.put(node.id(), pong);
    pong.onComplete(done -> bonding.remove(node.id(), pong));
    return pong;
  }

  /**
   * What geth's {@code ensureBond} makes sure of before it asks a node anything: that the node answered our Ping, and
   * that it pinged us, so that it counts our endpoint proven and answers. geth sleeps 500 ms for the node's Ping; we
   * await that Ping for as long, and ask anyway when it does not come (ethereumjs asks no proof).
   */
  private Future<Void> ensureBonded(Neighbor node) {
    return bond(node).compose(v -> {
      if (recent(proofOf(node.id(), node.ip()).pingMillis())) {
        return Future.succeededFuture();
      }
      return replies.expect(node.id(), node.ip(), PingPacket.TYPE, ping -> PendingReplies.Match.DONE)
          .recover(noPing -> Future.succeededFuture());
    });
  }

  /** Pings {@code node}; the future succeeds when the Pong naming this Ping comes, which proves the endpoint. */
  private Future<Void> ping(Neighbor node) {
    byte[] datagram = Discv4Packets.encode(new PingPacket(PingPacket.VERSION, ourEndpoint,
        new Endpoint(node.ip(), node.udp(), 0), expiration(), OptionalLong.of(record.seq())), privateKey);
    byte[] hash = Arrays.copyOf(datagram, HASH_LENGTH);
    Future<Void> pong = replies.expect(node.id(), node.ip(), PongPacket.TYPE,
        packet -> Arrays.equals(((PongPacket) packet).pingHash(), hash)
            ? PendingReplies.Match.DONE : PendingReplies.Match.MISMATCH);
    if (pong.isComplete()) {
      return pong;
    }
    send(datagram, node.ip(), node.udp());
    return pong.andThen(answer -> {
      if (answer.succeeded()) {
        Proof proof = proofOf(node.id(), node.ip());
        proofs.put(node.id(), new Proof(node.ip(), System.currentTimeMillis(), proof.pingMillis()));
      } else if (answer.cause() instanceof PendingReplies.NoReplyException && table.remove(node.id())) {
        // A node in the table that stops answering leaves it; a replacement, if any, takes its place.
        publishNodes();
      }
    });
  }

  private void added(Neighbor node) {
    NodeTable.AddResult result = table.add(node, System.currentTimeMillis());
    if (result == NodeTable.AddResult.ADDED || result == NodeTable.AddResult.SEEN) {
      publishNodes();
    }
    if (result == NodeTable.AddResult.ADDED && node.tcp() != 0) {
      nodeHandler.handle(enode(node));
    }
  }

  private void publishNodes() {
    nodes = table.all().stream().map(entry -> enode(entry.node())).toList();
  }

  // ---- lookups

  /**
   * Every refresh interval one lookup, unless one still runs: of our own id after pinging the bootnodes when the
   * table is empty (at start, or after every node went away), else of a random id, which fills far buckets too.
   */
  private void refresh() {
    if (refreshing || stopped) {
      return;
    }
    refreshing = true;
    Future<?> seeded = Future.succeededFuture();
    NodeId target = selfId;
    if (table.size() == 0) {
      List<Future<Void>> bonds = new ArrayList<>();
      for (EnodeUrl bootnode : options.getBootnodes()) {
        bonds.add(resolve(bootnode).compose(this::bond));
      }
      seeded = Future.join(bonds);
    } else {
      byte[] id = new byte[NodeId.LENGTH];
      random.nextBytes(id);
      target = NodeId.of(id);
    }
    NodeId lookupTarget = target;
    seeded.transform(bonded -> lookup(lookupTarget)).onComplete(done -> refreshing = false);
  }

  private Future<List<Neighbor>> lookup(NodeId target) {
    return new Lookup(target, table.closest(target, NodeTable.BUCKET_SIZE), node -> findNode(node, target)).run();
  }

  /**
   * Asks {@code node} for its neighbours of {@code target}: up to {@value NodeTable#BUCKET_SIZE} entries over one or
   * more Neighbors packets, taken until that many came or the timeout, as geth does. Entries a node could not
   * honestly relay are left out.
   */
  private Future<List<Neighbor>> findNode(Neighbor node, NodeId target) {
    return ensureBonded(node).compose(v -> {
      List<Neighbor> found = new ArrayList<>();
      int[] entries = {0};
      Future<Void> reply = replies.expect(node.id(), node.ip(), NeighborsPacket.TYPE, packet -> {
        for (Neighbor neighbor : ((NeighborsPacket) packet).nodes()) {
          if (entries[0]++ >= NodeTable.BUCKET_SIZE) {
            break;
          }
          if (usable(node.ip(), neighbor)) {
            found.add(neighbor);
          }
        }
        return entries[0] >= NodeTable.BUCKET_SIZE ? PendingReplies.Match.DONE : PendingReplies.Match.MORE;
      });
      if (!reply.isComplete()) {
        send(new FindNodePacket(target, expiration()), node.ip(), node.udp());
      }
      // Fewer than 16 entries end in the timeout: the node had no more, which is an answer if any came.
      return reply.transform(answer -> answer.succeeded() || entries[0] > 0 && !stopped
          ? Future.succeededFuture(found) : Future.failedFuture(answer.cause()));
    });
  }

  /** geth's checks of a Neighbors entry ({@code nodeFromRPC}, {@code netutil.CheckRelayIP}). */
  private boolean usable(InetAddress relayer, Neighbor neighbor) {
    InetAddress ip = neighbor.ip();
    if (neighbor.id().equals(selfId) || neighbor.udp() <= MAX_LOW_PORT || ip.isAnyLocalAddress()
        || ip.isMulticastAddress()) {
      return false;
    }
    // Only a node on the same host or LAN can know a node at a loopback or LAN address.
    if (ip.isLoopbackAddress() && !relayer.isLoopbackAddress()) {
      return false;
    }
    if (isLan(ip) && !isLan(relayer) && !relayer.isLoopbackAddress()) {
      return false;
    }
    return neighbor.id().isValidPublicKey();
  }

  private static boolean isLan(InetAddress ip) {
    return ip.isSiteLocalAddress() || ip.isLinkLocalAddress();
  }

  private Future<Enr> enrRequest(Neighbor node) {
    byte[] datagram = Discv4Packets.encode(new EnrRequestPacket(expiration()), privateKey);
    byte[] hash = Arrays.copyOf(datagram, HASH_LENGTH);
    Enr[] answer = new Enr[1];
    Future<Void> reply = replies.expect(node.id(), node.ip(), EnrResponsePacket.TYPE, packet -> {
      EnrResponsePacket response = (EnrResponsePacket) packet;
      boolean ours = Arrays.equals(response.requestHash(), hash);
      boolean itsOwn = response.record().publicKey64().map(key -> Arrays.equals(key, node.id().bytes()))
          .orElse(false);
      if (!ours || !itsOwn) {
        return PendingReplies.Match.MISMATCH;
      }
      answer[0] = response.record();
      return PendingReplies.Match.DONE;
    });
    if (!reply.isComplete()) {
      send(datagram, node.ip(), node.udp());
    }
    return reply.map(v -> answer[0]);
  }

  // ---- helpers

  /** A bootnode or asked node's address: an IP literal as it is, a DNS name resolved off the event loop. */
  private Future<Neighbor> resolve(EnodeUrl url) {
    if (Discv4Options.isIpLiteral(url.host())) {
      return Future.succeededFuture(neighbor(url, Discv4Options.ip(url.host())));
    }
    return vertx.executeBlocking(() -> InetAddress.getByName(url.host())).map(ip -> neighbor(url, ip));
  }

  private static Neighbor neighbor(EnodeUrl url, InetAddress ip) {
    return new Neighbor(ip, url.udpPort(), url.tcpPort(), url.id());
  }

  private static EnodeUrl enode(Neighbor node) {
    return new EnodeUrl(node.id(), NetUtil.toAddressString(node.ip()), node.tcp(), node.udp());
  }

  private void send(Discv4Packet packet, InetAddress ip, int port) {
    send(Discv4Packets.encode(packet, privateKey), ip, port);
  }

  private void send(byte[] datagram, InetAddress ip, int port) {
    if (stopped) {
      return;
    }
    sent.increment();
    socket.send(Buffer.buffer(datagram), port, NetUtil.toAddressString(ip))
        .onFailure(e -> LOG.debug("Cannot send discv4 datagram to {}:{}: {}", ip, port, e.toString()));
  }

  private void drop(String reason) {
    dropped.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  private static long expiration() {
    return nowSeconds() + EXPIRATION_SECONDS;
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  private static <T> T requireStarted(T value) {
    if (value == null) {
      throw new IllegalStateException("the discv4 service has not bound its socket yet");
    }
    return value;
  }

  /** Runs {@code action} on the service's context, at once when already there. */
  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    if (Vertx.currentContext() == context) {
      return action.get();
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        action.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }
}
