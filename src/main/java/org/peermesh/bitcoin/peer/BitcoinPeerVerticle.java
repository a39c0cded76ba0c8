package org.peermesh.bitcoin.peer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import org.peermesh.bitcoin.wire.BitcoinFrameDecoder;
import org.peermesh.bitcoin.wire.BitcoinFrames;
import org.peermesh.bitcoin.wire.BitcoinMessage;
import org.peermesh.bitcoin.wire.BitcoinMessages;
import org.peermesh.bitcoin.wire.BitcoinWireException;
import org.peermesh.bitcoin.wire.BlockMessage;
import org.peermesh.bitcoin.wire.GetAddrMessage;
import org.peermesh.bitcoin.wire.GetDataMessage;
import org.peermesh.bitcoin.wire.HeadersMessage;
import org.peermesh.bitcoin.wire.InvMessage;
import org.peermesh.bitcoin.wire.InventoryItem;
import org.peermesh.bitcoin.wire.InventoryType;
import org.peermesh.bitcoin.wire.NotFoundMessage;
import org.peermesh.bitcoin.wire.PingMessage;
import org.peermesh.bitcoin.wire.PongMessage;
import org.peermesh.bitcoin.wire.TxMessage;
import org.peermesh.bitcoin.wire.Sha256Hash;
import org.peermesh.bitcoin.wire.VersionMessage;
import org.peermesh.bus.Failure;
import org.peermesh.node.BitcoinOptions;
import org.peermesh.peer.Direction;
import org.peermesh.peer.HandshakeStep;
import org.peermesh.peer.PeerAddress;
import org.peermesh.peer.PeerSocket;
import org.peermesh.peer.Refusal;
import org.peermesh.storage.LruMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Bitcoin peer, inbound or outbound: the verticle owns the socket and its framing, runs the version/verack
 * handshake both ways (a {@link BitcoinHandshaker} decides it), answers pings and getaddr, fetches what the peer
 * announces, and publishes every message it receives on the event bus. Undeploying it disconnects the peer; a
 * closed connection undeploys it.
 *
 * <p>The same verticle model as the mesh protocol's {@code PeerVerticle}, with another framing: everything runs on
 * the verticle's context, and the rest of the node reaches it only through its mailbox
 * ({@code <busPrefix>.bitcoin.peer.<peer>}).
 */
public final class BitcoinPeerVerticle extends VerticleBase implements PeerSocket.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(BitcoinPeerVerticle.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();
  /** Bitcoin Core's MAX_BLOCKS_TO_ANNOUNCE: a headers message this short is an announcement, not a sync reply. */
  static final int MAX_ANNOUNCED_HEADERS = 8;
  /** How many announced items a peer remembers having fetched, so that a re-announcement is not fetched again. */
  private static final int FETCHED_MEMORY = 50_000;
  /** What a peer may owe us in written-but-unread bytes: two maximal messages. */
  private static final int WRITE_QUEUE_FACTOR = 2;
  private static final long CLOSE_LINGER_MS = 1000;
  /**
   * What a framing or decoding violation costs a peer's score (100 bans): Bitcoin Core scores an oversized or
   * malformed message 20, so a peer that keeps sending them is banned at the fifth.
   */
  static final int MALFORMED_MESSAGE_PENALTY = 20;

  private final BitcoinPeerPool pool;
  private final BitcoinOptions options;
  private final Direction direction;
  private final PeerAddress remote;
  private final PeerAddress proxy;
  private final String peer;
  private final long ownNonce = RANDOM.nextLong();
  private final Promise<JsonObject> ready = Promise.promise();
  private final Promise<Void> closed = Promise.promise();
  private final Map<Sha256Hash, Boolean> fetched = new LruMap<>(FETCHED_MEMORY);
  private final BitcoinHandshaker handshaker;
  /** Where the decoder hands each frame and each run of skipped bytes. */
  private final BitcoinFrameDecoder.Listener frames = new BitcoinFrameDecoder.Listener() {
    @Override
    public void frame(String command, Buffer payload) {
      if (!terminated) {
        receive(command, payload);
      }
    }

    @Override
    public void garbage(int skippedBytes) {
      onGarbage(skippedBytes);
    }
  };

  private NetSocket socket;
  private Context socketContext;
  private PeerSocket peerSocket;
  private BitcoinFrameDecoder decoder;
  private MessageConsumer<JsonObject> mailbox;
  private BitcoinPeerState state = BitcoinPeerState.DISCONNECTED;
  /** What the handshake established; null while it runs. */
  private BitcoinHandshake handshake;
  private boolean answeredGetAddr;
  private volatile JsonObject info;

  private long handshakeTimer = -1;
  private long pingTimer = -1;
  private long lastReceivedNanos;
  private long pendingPingNonce;
  private long pendingPingSentNanos = -1;
  private long latencyMicros = -1;
  private String closeReason;
  private boolean terminated;

  private BitcoinPeerVerticle(BitcoinPeerPool pool, Direction direction, PeerAddress remote, PeerAddress proxy,
                              NetSocket socket, Context socketContext) {
    this.pool = pool;
    this.options = pool.options();
    this.direction = direction;
    this.remote = remote;
    this.proxy = proxy;
    this.socket = socket;
    this.socketContext = socketContext;
    this.peer = remote.toString();
    this.handshaker = new BitcoinHandshaker(direction, options.getProtocolVersion(),
        () -> pool.versionFor(remote, ownNonce), pool::isOwnNonce);
    this.info = describe();
  }

  /** A peer to dial, directly or through a SOCKS5 {@code proxy} (null: direct). */
  static BitcoinPeerVerticle outbound(BitcoinPeerPool pool, PeerAddress target, PeerAddress proxy) {
    return new BitcoinPeerVerticle(pool, Direction.OUTBOUND, target, proxy, null, null);
  }

  /** An accepted socket, paused by the acceptor on the server's context, which stays the socket's I/O context. */
  static BitcoinPeerVerticle inbound(BitcoinPeerPool pool, NetSocket socket, Context socketContext) {
    PeerAddress remote = new PeerAddress(socket.remoteAddress().hostAddress(), socket.remoteAddress().port());
    return new BitcoinPeerVerticle(pool, Direction.INBOUND, remote, null, socket, socketContext);
  }

  /** The peer's name on the bus: its address, {@code host:port} ({@code [v6]:port}). */
  String peer() {
    return peer;
  }

  Direction direction() {
    return direction;
  }

  PeerAddress remote() {
    return remote;
  }

  /** Completes with the peer's info once it is ready, or fails with the reason it never was. */
  Future<JsonObject> ready() {
    return ready.future();
  }

  /** Completes once the socket is closed and the pool told. */
  Future<Void> closed() {
    return closed.future();
  }

  /** The latest info, readable from any thread. */
  JsonObject info() {
    return info;
  }

  /** Disconnects from any thread; completes once the socket is closed. */
  Future<Void> disconnect(String reason) {
    context.runOnContext(v -> close(reason));
    return closed.future();
  }

  // ---------------------------------------------------------------------------------------------------- lifecycle

  @Override
  public Future<?> start() {
    decoder = new BitcoinFrameDecoder(options.getNetwork().magic(), options.getMaxPayloadSize());
    Future<Void> registered = registerMailbox();
    if (socket != null) {
      attach();
      return registered;
    }
    setState(BitcoinPeerState.CONNECTING, null);
    ConnectOptions connect = new ConnectOptions().setHost(remote.host()).setPort(remote.port());
    if (proxy != null) {
      connect.setProxyOptions(new ProxyOptions().setType(ProxyType.SOCKS5).setHost(proxy.host())
          .setPort(proxy.port()));
    }
    pool.netClient().connect(connect).onComplete(ar -> {
      if (ar.failed()) {
        closeReason = "connect failed" + (proxy == null ? "" : " through proxy " + proxy) + ": "
            + ar.cause().getMessage();
        publishError("connect", ar.cause().getMessage());
        terminate();
      } else if (terminated) {
        ar.result().close();
      } else {
        socket = ar.result();
        socketContext = context;
        attach();
      }
    });
    return registered;
  }

  @Override
  public Future<?> stop() {
    if (closeReason == null) {
      closeReason = "node stopping";
    }
    terminate();
    return closed.future();
  }

  private Future<Void> registerMailbox() {
    mailbox = vertx.eventBus().consumer(pool.addresses().bitcoinPeer(peer), this::onCommand);
    return mailbox.completion();
  }

  private void attach() {
    lastReceivedNanos = System.nanoTime();
    peerSocket = new PeerSocket(vertx, context, socket, socketContext, options.getMaxPayloadSize(),
        (long) options.getMaxPayloadSize() * WRITE_QUEUE_FACTOR);
    peerSocket.start(this);
    setState(BitcoinPeerState.CONNECTED, null);
    handshakeTimer = vertx.setTimer(options.getHandshakeTimeout(),
        t -> close("no version/verack handshake within " + options.getHandshakeTimeout() + " ms"));
    advance(handshaker.start());
  }

  /** Ends the connection: closes the socket, tells the pool, publishes the state, undeploys. Runs once. */
  private void terminate() {
    if (terminated) {
      return;
    }
    terminated = true;
    for (long timer : new long[] {handshakeTimer, pingTimer}) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
    if (mailbox != null) {
      mailbox.unregister();
    }
    Future<Void> socketDone = peerSocket == null ? Future.succeededFuture()
        : peerSocket.isClosed() ? peerSocket.closeAfterRemote()
        : peerSocket.close(Buffer.buffer(), CLOSE_LINGER_MS);
    String reason = closeReason == null ? "disconnected" : closeReason;
    LOG.info("Bitcoin peer {} disconnected: {}", peer, reason);
    setState(BitcoinPeerState.DISCONNECTED, reason);
    ready.tryFail(reason);
    pool.peerClosed(this, ready.future().succeeded());
    socketDone.onComplete(v -> closed.tryComplete());
    if (deploymentID() != null) {
      vertx.undeploy(deploymentID());
    }
  }

  private void close(String reason) {
    if (terminated) {
      return;
    }
    closeReason = reason;
    terminate();
  }

  /** A framing or decoding violation: see {@link #violation(String, String, int)}. */
  private void violation(String kind, String detail) {
    violation(kind, detail, MALFORMED_MESSAGE_PENALTY);
  }

  /**
   * The peer broke the protocol: it is told nothing more, its connection is reset, and its address loses
   * {@code penalty} of its score (at 0 it is banned).
   */
  private void violation(String kind, String detail, int penalty) {
    if (terminated) {
      return;
    }
    LOG.debug("Bitcoin peer {} broke the protocol ({}): {}", peer, kind, detail);
    publishError(kind, detail);
    if (peerSocket != null) {
      peerSocket.abort();
    }
    close("protocol violation: " + detail);
    pool.misbehaved(this, penalty, kind + ": " + detail);
  }

  /**
   * Ends a connection the handshake refused, and publishes why: a violation resets it as any other violation does;
   * a refusal that is no fault (a connection to ourselves, an obsolete version) closes it normally.
   */
  private void refuse(Refusal refusal) {
    if (refusal.isViolation()) {
      violation(refusal.kind(), refusal.detail(), refusal.penalty());
    } else if (!terminated) {
      publishError(refusal.kind(), refusal.detail());
      close(refusal.detail());
    }
  }

  // ------------------------------------------------------------------------------------------------------ socket

  @Override
  public void onData(Buffer chunk) {
    if (terminated) {
      return;
    }
    lastReceivedNanos = System.nanoTime();
    try {
      decoder.feed(chunk, frames);
    } catch (BitcoinWireException e) {
      violation(e.reason().name().toLowerCase(Locale.ROOT), e.getMessage());
    }
  }

  /**
   * Bytes that are not a frame where one should start. Before the handshake they mean a peer of another network or
   * protocol, which is disconnected; later they are skipped to the next frame, as p2p-node does, and reported.
   */
  private void onGarbage(int skippedBytes) {
    if (handshaker.peerVersion().isEmpty()) {
      violation("bad_magic", skippedBytes + " bytes that do not start with network " + options.getNetwork().name()
          + "'s magic " + options.getNetwork().magicHex());
    } else {
      publishError("garbage", "skipped " + skippedBytes + " bytes to the next message start");
    }
  }

  @Override
  public void onClosed() {
    if (!terminated) {
      closeReason = closeReason == null ? "closed by peer" : closeReason;
      terminate();
    }
  }

  @Override
  public void onError(Throwable error) {
    publishError("socket", String.valueOf(error.getMessage()));
  }

  // ----------------------------------------------------------------------------------------------------- reading

  private void receive(String command, Buffer payload) {
    BitcoinMessage message;
    try {
      message = BitcoinMessages.decode(command, payload);
    } catch (BitcoinWireException e) {
      violation("malformed_" + command, e.getMessage());
      return;
    }
    if (handshake == null) {
      // What comes out of place is refused unpublished: consumers hear only what the handshake admits.
      if (handshaker.isInPlace(message)) {
        publish(command, payload, message);
      }
      advance(handshaker.onMessage(message));
      return;
    }
    publish(command, payload, message);
    BitcoinHandshaker.refusalAfterHandshake(message).ifPresentOrElse(this::refuse, () -> handle(message));
  }

  /** Sends what a handshake step says to send, then acts on where the handshake stands. */
  private void advance(HandshakeStep<BitcoinMessage, BitcoinHandshake> step) {
    step.send().forEach(this::send);
    if (step instanceof HandshakeStep.Established<BitcoinMessage, BitcoinHandshake> established) {
      becomeReady(established.result());
    } else if (step instanceof HandshakeStep.Refused<BitcoinMessage, BitcoinHandshake> refused) {
      refuse(refused.refusal());
    } else {
      // Continue (the Bitcoin handshake never claims): the peer's version may just have been accepted.
      refreshInfo();
    }
  }

  private void handle(BitcoinMessage message) {
    if (message instanceof BlockMessage block) {
      LOG.info("Bitcoin block {} from {}: {} transactions", block.hash(), peer, block.transactions().size());
    } else if (message instanceof TxMessage tx) {
      if (LOG.isDebugEnabled()) {
        LOG.debug("Bitcoin tx {} from {}", tx.transaction().txid(), peer);
      }
    } else if (message instanceof PingMessage ping) {
      send(new PongMessage(ping.nonce()));
    } else if (message instanceof PongMessage pong) {
      onPong(pong);
    } else if (message instanceof GetAddrMessage) {
      onGetAddr();
    } else if (message instanceof InvMessage inv) {
      fetch(inv.items());
    } else if (message instanceof HeadersMessage headers && headers.headers().size() <= MAX_ANNOUNCED_HEADERS) {
      fetch(headers.headers().stream()
          .map(header -> new InventoryItem(InventoryType.MSG_BLOCK, header.hash())).toList());
    } else if (message instanceof GetDataMessage getData) {
      // A watcher holds no blocks or transactions: saying so at once keeps the peer from stalling on us.
      send(new NotFoundMessage(getData.items()));
    }
  }

  private void becomeReady(BitcoinHandshake established) {
    handshake = established;
    vertx.cancelTimer(handshakeTimer);
    handshakeTimer = -1;
    setState(BitcoinPeerState.READY, null);
    VersionMessage peerVersion = established.peerVersion();
    LOG.info("Bitcoin peer {} ready: {} {}, protocol {}, height {}", peer, direction.jsonName(),
        peerVersion.userAgent(), peerVersion.protocolVersion(), peerVersion.startHeight());
    pingTimer = vertx.setPeriodic(options.getPingInterval(), t -> keepAlive());
    if (direction == Direction.OUTBOUND) {
      // As Bitcoin Core does with its outbound peers: learn the addresses they know.
      send(new GetAddrMessage());
    }
    pool.peerReady(this);
    ready.tryComplete(info);
  }

  private void keepAlive() {
    long now = System.nanoTime();
    long timeout = TimeUnit.MILLISECONDS.toNanos(options.getPeerTimeout());
    if (pendingPingSentNanos >= 0 && now - pendingPingSentNanos > timeout) {
      close("ping timeout: no pong within " + options.getPeerTimeout() + " ms");
      return;
    }
    if (now - lastReceivedNanos > timeout) {
      close("inactivity: nothing received for " + options.getPeerTimeout() + " ms");
      return;
    }
    if (pendingPingSentNanos < 0) {
      pendingPingNonce = RANDOM.nextLong();
      pendingPingSentNanos = now;
      send(new PingMessage(pendingPingNonce));
    }
  }

  private void onPong(PongMessage pong) {
    if (pendingPingSentNanos >= 0 && pong.nonce() == pendingPingNonce) {
      latencyMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - pendingPingSentNanos);
      pendingPingSentNanos = -1;
      refreshInfo();
    }
  }

  /** Answered once per connection, as Bitcoin Core does, so that a peer cannot map our address book by asking. */
  private void onGetAddr() {
    if (answeredGetAddr) {
      return;
    }
    answeredGetAddr = true;
    send(pool.addressesFor(this));
  }

  /** Asks for the announced blocks and transactions not fetched yet, with their witnesses when the peer has them. */
  private void fetch(List<InventoryItem> announced) {
    if (!options.isFetchAnnounced()) {
      return;
    }
    boolean witness = handshake.servesWitnesses();
    List<InventoryItem> wanted = new ArrayList<>();
    for (InventoryItem item : announced) {
      InventoryType type = switch (item.knownType().orElse(InventoryType.ERROR)) {
        case MSG_BLOCK -> witness ? InventoryType.MSG_WITNESS_BLOCK : InventoryType.MSG_BLOCK;
        case MSG_TX -> witness ? InventoryType.MSG_WITNESS_TX : InventoryType.MSG_TX;
        case MSG_WTX -> InventoryType.MSG_WTX;
        default -> null;
      };
      if (type != null && fetched.put(item.hash(), Boolean.TRUE) == null) {
        wanted.add(new InventoryItem(type, item.hash()));
      }
    }
    if (!wanted.isEmpty()) {
      send(new GetDataMessage(wanted));
    }
  }

  // ----------------------------------------------------------------------------------------------------- writing

  /** Queues one message; what is queued within one event-loop turn leaves in one socket write. */
  private void send(BitcoinMessage message) {
    if (terminated || peerSocket == null) {
      return;
    }
    int magic = options.getNetwork().magic();
    if (!peerSocket.write(out -> BitcoinFrames.encodeTo(magic, message, out))) {
      close("more than " + (long) options.getMaxPayloadSize() * WRITE_QUEUE_FACTOR
          + " bytes waiting: the peer does not read");
    }
  }

  /**
   * The mailbox: {@code {"action": "send", "command", "message"|"payload"}} or {@code {"action": "disconnect"}}, as
   * the pool forwards the public commands.
   */
  private void onCommand(Message<JsonObject> command) {
    JsonObject body = command.body();
    switch (body.getString("action", "")) {
      case "send" -> {
        if (state != BitcoinPeerState.READY) {
          command.fail(Failure.UNKNOWN_PEER.code(), "peer " + peer + " is " + state.jsonName() + ", not ready");
          return;
        }
        BitcoinMessage message;
        try {
          message = BitcoinPeerPool.messageOf(body);
        } catch (IllegalArgumentException e) {
          command.fail(Failure.BAD_REQUEST.code(), e.getMessage());
          return;
        }
        send(message);
        command.reply(new JsonObject().put("peer", peer).put("command", message.command()));
      }
      case "disconnect" -> {
        close(body.getString("reason", "disconnect command"));
        closed.future().onComplete(v -> command.reply(new JsonObject().put("peer", peer)));
      }
      default -> command.fail(Failure.BAD_REQUEST.code(), "unknown peer action " + body.getString("action"));
    }
  }

  // ------------------------------------------------------------------------------------------------------ events

  /**
   * Every message goes out twice: decoded, on its command's address, and raw, on {@code bitcoin.message}, so that a
   * consumer of commands we do not decode still gets them.
   */
  private void publish(String command, Buffer payload, BitcoinMessage message) {
    JsonObject raw = header().put("command", command).put("payload", HEX.formatHex(payload.getBytes()));
    vertx.eventBus().publish(pool.addresses().bitcoinMessage(), raw);
    if (BitcoinPeerPool.hasOwnAddress(command)) {
      vertx.eventBus().publish(pool.addresses().bitcoin(command),
          header().put("command", command).put("message", message.toJson()));
    }
  }

  private void publishError(String kind, String detail) {
    vertx.eventBus().publish(pool.addresses().bitcoinError(),
        header().put("error", kind).put("message", detail));
  }

  private void setState(BitcoinPeerState newState, String reason) {
    BitcoinPeerState previous = state;
    state = newState;
    refreshInfo();
    JsonObject body = header().put("state", newState.jsonName()).put("previous", previous.jsonName());
    if (reason != null) {
      body.put("reason", reason);
    }
    vertx.eventBus().publish(pool.addresses().bitcoinStateChange(), body);
  }

  /** What every event about this peer starts with. */
  private JsonObject header() {
    return new JsonObject()
        .put("peer", peer)
        .put("host", remote.host())
        .put("port", remote.port())
        .put("direction", direction.jsonName());
  }

  private JsonObject describe() {
    JsonObject json = header().put("state", state.jsonName());
    if (proxy != null) {
      json.put("proxy", proxy.toJson());
    }
    handshaker.peerVersion().ifPresent(version -> json.put("version", version.protocolVersion())
        .put("subversion", version.userAgent())
        .put("services", version.services())
        .put("bestHeight", version.startHeight())
        .put("relay", version.relay()));
    if (latencyMicros >= 0) {
      json.put("latencyMicros", latencyMicros);
    }
    return json;
  }

  private void refreshInfo() {
    info = describe();
  }

  @Override
  public String toString() {
    return direction.jsonName() + " bitcoin peer " + peer;
  }
}
