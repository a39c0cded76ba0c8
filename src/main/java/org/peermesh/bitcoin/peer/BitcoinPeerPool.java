package org.peermesh.bitcoin.peer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.peermesh.bitcoin.wire.AddrMessage;
import org.peermesh.bitcoin.wire.BitcoinFrames;
import org.peermesh.bitcoin.wire.BitcoinMessage;
import org.peermesh.bitcoin.wire.BitcoinMessages;
import org.peermesh.bitcoin.wire.NetworkAddress;
import org.peermesh.bitcoin.wire.RawMessage;
import org.peermesh.bitcoin.wire.TimestampedAddress;
import org.peermesh.bitcoin.wire.VersionMessage;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.CommandConsumers;
import org.peermesh.bus.Failure;
import org.peermesh.node.BitcoinOptions;
import org.peermesh.peer.Direction;
import org.peermesh.peer.InboundAdmission;
import org.peermesh.peer.PeerAddress;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.peer.Refusal;
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
import java.util.regex.Pattern;

/**
 * The Bitcoin side of a node: listens for inbound Bitcoin peers, keeps the configured ones connected, and serves
 * the Bitcoin commands of the event bus. Each connection is a {@link BitcoinPeerVerticle}; the pool deploys them,
 * admits inbound sockets with the peer layer's {@link InboundAdmission} (bans, handshakes pending per IP, slots),
 * scores misbehaviour as Bitcoin Core does (a violation costs score, 100 bans the address for {@code peerBanTime},
 * and bans persist across restarts), and forwards commands to the peers' mailboxes.
 */
public final class BitcoinPeerPool extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BitcoinPeerPool.class);
  /** Commands with an address of their own: what every real command looks like. */
  private static final Pattern OWN_ADDRESS_COMMAND = Pattern.compile("[a-z0-9]{1,12}");
  /** Names below {@code <prefix>.bitcoin.} that are not commands: a peer must not publish there. */
  private static final Set<String> RESERVED = Set.of("message", "error", "command", "peer");
  /** Redial back-off doubles per failure up to this factor of {@code reconnectInterval}. */
  private static final int MAX_BACKOFF_FACTOR = 64;
  /** Bitcoin Core's MAX_ADDR_TO_SEND. */
  private static final int MAX_ADDR_TO_SEND = 1000;
  private static final long MAILBOX_MARGIN_MS = 5_000;
  private static final long BAN_EXPIRY_CHECK_MS = 60_000;

  private final BitcoinOptions options;
  private final BusAddresses addresses;
  /**
   * Scores and bans by IP: Bitcoin peers prove no key, and an address costs an attacker more than a port. Local
   * addresses are not exempt, as in Bitcoin Core: a peer on this machine that misbehaves is banned like any other.
   */
  private final Reputation reputation;
  /** Guarded by itself: accepts and closes come from many event loops. */
  private final InboundAdmission admission;
  private final Map<String, BitcoinPeerVerticle> peers = new ConcurrentHashMap<>();
  /** Where dialed peers are claimed: in a cluster, the directory every member shares. */
  private final PeerDirectory directory;
  /** The dialed peers whose claim this pool holds, released once when they close. */
  private final Set<BitcoinPeerVerticle> claimHolders = ConcurrentHashMap.newKeySet();
  /** The version nonces of our own connections, to spot a connection to ourselves. */
  private final Set<Long> ownNonces = ConcurrentHashMap.newKeySet();
  private NetServer server;
  private NetClient client;
  private PeerAddress listenAddress;
  private volatile boolean running;

  /**
   * @param bans      the Bitcoin ban list, loaded from its file in the node's data directory
   * @param directory where dialed peers are claimed; in a cluster, the one all members share
   */
  public BitcoinPeerPool(BitcoinOptions options, BusAddresses addresses, BanList bans, PeerDirectory directory) {
    this.options = new BitcoinOptions(options);
    this.addresses = addresses;
    this.directory = directory;
    this.reputation = new Reputation(bans, false, options.getPeerBanTime());
    this.admission = new InboundAdmission(options.getMaxInbound(), options.getMaxPendingHandshakesPerIP(),
        new InboundAdmission.Rules() {
          @Override
          public boolean isBlacklisted(String ip) {
            return false;
          }

          @Override
          public boolean isBanned(String ip) {
            return reputation.isHostBanned(ip);
          }

          @Override
          public boolean isPrivileged(String ip) {
            return false;
          }
        });
  }

  BitcoinOptions options() {
    return options;
  }

  BusAddresses addresses() {
    return addresses;
  }

  NetClient netClient() {
    return client;
  }

  /** Where inbound Bitcoin peers connect, with the port actually bound; null when the node does not listen. */
  public PeerAddress listenAddress() {
    return listenAddress;
  }

  /** The connected peers' infos, in no order. */
  public List<JsonObject> peers() {
    return peers.values().stream().map(BitcoinPeerVerticle::info).toList();
  }

  // ---------------------------------------------------------------------------------------------------- lifecycle

  @Override
  public Future<?> start() {
    running = true;
    client = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout(options.getConnectTimeout())
        .setTcpNoDelay(true));
    Future<Void> commands = Future.all(List.of(
        CommandConsumers.<JsonObject>register(vertx.eventBus(), addresses, addresses.bitcoinConnect(),
            this::onConnect),
        CommandConsumers.<JsonObject>register(vertx.eventBus(), addresses, addresses.bitcoinSend(),
            m -> forward(m, "send")),
        CommandConsumers.<JsonObject>register(vertx.eventBus(), addresses, addresses.bitcoinDisconnect(),
            m -> forward(m, "disconnect")),
        CommandConsumers.<JsonObject>register(vertx.eventBus(), addresses, addresses.bitcoinPeers(),
            m -> m.reply(new JsonObject().put("peers", new JsonArray(new ArrayList<>(peers())))))))
        .mapEmpty();
    vertx.setPeriodic(Math.min(BAN_EXPIRY_CHECK_MS, options.getPeerBanTime()), t -> expireBans());
    return commands.compose(v -> listen()).onSuccess(v -> {
      options.getConnect().forEach(target -> keepConnected(target, options.getReconnectInterval()));
      LOG.info("Bitcoin {} peers: listening on {}, dialing {}{}", options.getNetwork().name(),
          listenAddress == null ? "nothing" : listenAddress, options.getConnect(),
          options.getProxy() == null ? "" : " through SOCKS5 proxy " + options.getProxy());
    });
  }

  private Future<Void> listen() {
    PeerAddress listen = options.getListen();
    if (listen == null) {
      return Future.succeededFuture();
    }
    server = vertx.createNetServer(new NetServerOptions().setHost(listen.host()).setPort(listen.port())
        .setTcpNoDelay(true));
    server.connectHandler(this::accept);
    return server.listen().map(bound -> {
      listenAddress = new PeerAddress(listen.host(), bound.actualPort());
      return null;
    });
  }

  /** Disconnects every peer; completes once their sockets are closed. */
  @Override
  public Future<?> stop() {
    running = false;
    Future<Void> serverClosed = server == null ? Future.succeededFuture() : server.close();
    List<Future<Void>> closing = peers.values().stream().map(p -> p.disconnect("node stopping")).toList();
    return Future.join(serverClosed, Future.join(closing)).eventually(() -> client.close());
  }

  /**
   * Admits or refuses a socket before a byte of it is read. Bitcoin has no message to say why before the handshake,
   * so a refused socket is closed at once and the refusal published as an error event.
   */
  private void accept(NetSocket socket) {
    socket.pause();
    PeerAddress remote = new PeerAddress(socket.remoteAddress().hostAddress(), socket.remoteAddress().port());
    Refusal refusal;
    synchronized (admission) {
      refusal = admission.admit(remote, running);
    }
    if (refusal != null) {
      LOG.debug("Refused inbound Bitcoin peer {}: {}", remote, refusal.detail());
      publishError(remote, Direction.INBOUND, refusal.kind(), refusal.detail());
      socket.close();
      return;
    }
    Context socketContext = vertx.getOrCreateContext();
    deploy(BitcoinPeerVerticle.inbound(this, socket, socketContext));
  }

  /**
   * Dials {@code target}, and dials again whenever the connection fails or ends: after {@code reconnectInterval}
   * when it had been ready, after a wait that doubles with each failure in a row when it never was.
   */
  private void keepConnected(PeerAddress target, long delay) {
    if (!running) {
      return;
    }
    if (reputation.isHostBanned(target.host())) {
      // A banned peer is not dialed either; its ban is checked again after the usual wait.
      vertx.setTimer(delay, t -> keepConnected(target, delay));
      return;
    }
    BitcoinPeerVerticle peer = BitcoinPeerVerticle.outbound(this, target, options.getProxy());
    deploy(peer).transform(deployed -> deployed.succeeded() ? peer.closed() : Future.succeededFuture())
        .onComplete(ended -> context.runOnContext(v -> {
          // On the pool's context: the peer's own context is gone with it, and its timers too.
          boolean wasReady = peer.ready().succeeded();
          long next = wasReady ? options.getReconnectInterval()
              : Math.min(delay * 2, (long) options.getReconnectInterval() * MAX_BACKOFF_FACTOR);
          vertx.setTimer(wasReady ? options.getReconnectInterval() : delay, t -> keepConnected(target, next));
        }));
  }

  /**
   * Deploys a peer's verticle. A peer we dial is claimed first in the node's directory, so that of the members of a
   * clustered node only one holds a connection to it; an inbound peer proves no identity and is known only by the
   * address it came from, so it is not claimed.
   */
  private Future<String> deploy(BitcoinPeerVerticle peer) {
    BitcoinPeerVerticle existing = peers.putIfAbsent(peer.peer(), peer);
    if (existing != null) {
      return Future.failedFuture("already connected to " + peer.peer());
    }
    if (peer.direction() == Direction.INBOUND) {
      return vertx.deployVerticle(peer).onFailure(err -> peers.remove(peer.peer(), peer));
    }
    return directory.claim(claimOf(peer)).compose(granted -> {
      if (!granted) {
        String detail = "another member of this node is connected to " + peer.peer();
        publishError(peer.remote(), Direction.OUTBOUND, "duplicate_connection", detail);
        return Future.<String>failedFuture(detail);
      }
      claimHolders.add(peer);
      return vertx.deployVerticle(peer).onFailure(err -> releaseClaim(peer));
    }).onFailure(err -> peers.remove(peer.peer(), peer));
  }

  /** A dialed peer's name in the node's directory of claims, beside the mesh's peer ids. */
  private static String claimOf(BitcoinPeerVerticle peer) {
    return "bitcoin/" + peer.peer();
  }

  /** Releases a peer's claim once, whichever of a failed deployment and the peer's close comes first. */
  private void releaseClaim(BitcoinPeerVerticle peer) {
    if (claimHolders.remove(peer)) {
      directory.release(claimOf(peer));
    }
  }

  /** An inbound peer finished its handshake: it no longer counts against its IP's pending handshakes. */
  void peerReady(BitcoinPeerVerticle peer) {
    if (peer.direction() == Direction.INBOUND) {
      synchronized (admission) {
        admission.handshakeDone(peer.remote().host());
      }
    }
  }

  void peerClosed(BitcoinPeerVerticle peer, boolean wasReady) {
    peers.remove(peer.peer(), peer);
    releaseClaim(peer);
    if (peer.direction() == Direction.INBOUND) {
      synchronized (admission) {
        admission.closed(peer.remote().host(), !wasReady);
      }
    }
  }

  // -------------------------------------------------------------------------------------------------- misbehaviour

  /**
   * Scores a peer's misbehaviour against its IP. When the score is used up the IP is banned for
   * {@code peerBanTime}: the ban is saved in the ban file, and every connection from that IP is closed.
   */
  void misbehaved(BitcoinPeerVerticle peer, int penalty, String reason) {
    String host = peer.remote().host();
    Reputation.Outcome outcome = reputation.penalize(host, null, penalty, reason, true);
    if (!outcome.banned()) {
      return;
    }
    BanList.Ban ban = outcome.ban();
    LOG.info("Banned Bitcoin peer address {} until {}: {}", host, ban.until(), ban.reason());
    publishError(peer.remote(), peer.direction(), "banned", "address " + host + " banned until "
        + Instant.ofEpochMilli(ban.until()) + ": " + ban.reason());
    for (BitcoinPeerVerticle other : peers.values()) {
      if (other.remote().host().equals(host)) {
        other.disconnect("banned: " + ban.reason());
      }
    }
  }

  private void expireBans() {
    for (BanList.Ban ban : reputation.bans().expire()) {
      LOG.info("Ban of Bitcoin peer address {} expired", ban.key());
    }
  }

  /** An error event about a peer that has no verticle: a refused socket, a ban. */
  private void publishError(PeerAddress remote, Direction direction, String kind, String detail) {
    vertx.eventBus().publish(addresses.bitcoinError(), new JsonObject()
        .put("peer", remote.toString())
        .put("host", remote.host())
        .put("port", remote.port())
        .put("direction", direction.jsonName())
        .put("error", kind)
        .put("message", detail));
  }

  // ------------------------------------------------------------------------------------------------ for the peers

  /** Our version message for a connection to {@code remote}; {@code nonce} is remembered to spot self-connections. */
  VersionMessage versionFor(PeerAddress remote, long nonce) {
    ownNonces.add(nonce);
    return new VersionMessage(options.getProtocolVersion(), options.getServices(), Instant.now().getEpochSecond(),
        NetworkAddress.of(0, remote.host(), remote.port()),
        NetworkAddress.of(options.getServices(), "0.0.0.0", listenAddress == null ? 0 : listenAddress.port()),
        nonce, options.getUserAgent(), 0, options.isRelay());
  }

  boolean isOwnNonce(long nonce) {
    return ownNonces.contains(nonce);
  }

  /**
   * The answer to a peer's getaddr: the ready peers that accept connections, that is outbound ones (whose address
   * we dialed), with the services their version claimed. Never the asking peer itself.
   */
  AddrMessage addressesFor(BitcoinPeerVerticle asking) {
    long now = Instant.now().getEpochSecond();
    List<TimestampedAddress> known = new ArrayList<>();
    for (BitcoinPeerVerticle peer : peers.values()) {
      JsonObject info = peer.info();
      if (peer != asking && peer.direction() == Direction.OUTBOUND && info.containsKey("services")
          && known.size() < MAX_ADDR_TO_SEND) {
        known.add(new TimestampedAddress(now,
            NetworkAddress.of(info.getLong("services"), peer.remote().host(), peer.remote().port())));
      }
    }
    return new AddrMessage(known);
  }

  // ---------------------------------------------------------------------------------------------------- commands

  /** {@code {"host", "port", "proxy"?}}: replies with the peer's info once it is ready. */
  private void onConnect(Message<JsonObject> command) {
    PeerAddress target;
    PeerAddress proxy;
    try {
      JsonObject body = command.body();
      target = new PeerAddress(body.getString("host"), body.getInteger("port", options.getNetwork().defaultPort()));
      JsonObject proxyJson = body.getJsonObject("proxy");
      proxy = proxyJson == null ? options.getProxy() : PeerAddress.fromJson(proxyJson);
    } catch (RuntimeException e) {
      command.fail(Failure.BAD_REQUEST.code(), "connect needs {\"host\": string, \"port\"?: integer, "
          + "\"proxy\"?: {\"host\", \"port\"}}: " + e.getMessage());
      return;
    }
    BitcoinPeerVerticle existing = peers.get(target.toString());
    (existing != null ? existing.ready() : dial(target, proxy))
        .onSuccess(command::reply)
        .onFailure(err -> command.fail(Failure.PEER_DISCONNECTED.code(), "cannot connect to Bitcoin peer "
            + target + ": " + err.getMessage()));
  }

  private Future<JsonObject> dial(PeerAddress target, PeerAddress proxy) {
    if (reputation.isHostBanned(target.host())) {
      return Future.failedFuture("address " + target.host() + " is banned");
    }
    BitcoinPeerVerticle peer = BitcoinPeerVerticle.outbound(this, target, proxy);
    return deploy(peer).compose(id -> peer.ready());
  }

  /** Hands a command naming a peer to the peer's mailbox, wherever in the cluster the peer is. */
  private void forward(Message<JsonObject> command, String action) {
    JsonObject body = command.body();
    String peer = body == null ? null : body.getString("peer");
    if (peer == null) {
      command.fail(Failure.BAD_REQUEST.code(), action + " needs {\"peer\": \"host:port\", ...}");
      return;
    }
    DeliveryOptions delivery = new DeliveryOptions()
        .setSendTimeout(options.getConnectTimeout() + MAILBOX_MARGIN_MS);
    vertx.eventBus().<JsonObject>request(addresses.bitcoinPeer(peer), body.copy().put("action", action), delivery)
        .onSuccess(reply -> command.reply(reply.body()))
        .onFailure(err -> {
          if (err instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
            command.fail(Failure.UNKNOWN_PEER.code(), "no connected Bitcoin peer " + peer);
          } else if (err instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            command.fail(reply.failureCode(), reply.getMessage());
          } else {
            command.fail(Failure.TIMEOUT.code(), err.getMessage());
          }
        });
  }

  /**
   * The message a send command names: {@code {"command", "message": {...}}} in the JSON of the command's type, or
   * {@code {"command", "payload": "<hex>"}} with the payload's bytes as they are.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static BitcoinMessage messageOf(JsonObject body) {
    String command = body.getString("command");
    if (command == null) {
      throw new IllegalArgumentException("send needs {\"peer\", \"command\", \"message\": {...} or "
          + "\"payload\": \"<hex>\"}");
    }
    if (!BitcoinFrames.isValidCommand(command)) {
      throw new IllegalArgumentException("command '" + command + "' is not 1 to 12 printable ASCII characters");
    }
    if (body.getValue("payload") != null) {
      return RawMessage.fromJson(command, body);
    }
    return BitcoinMessages.fromJson(command, body.getJsonObject("message", new JsonObject()));
  }

  /** Whether {@code command} is published on an address of its own ({@code <prefix>.bitcoin.<command>}). */
  static boolean hasOwnAddress(String command) {
    return OWN_ADDRESS_COMMAND.matcher(command).matches() && !RESERVED.contains(command);
  }
}
