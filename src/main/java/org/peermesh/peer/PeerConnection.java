package org.peermesh.peer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.peermesh.bus.Failure;
import org.peermesh.bus.ProtocolAddresses;
import org.peermesh.net.MemoryBudget;
import org.peermesh.net.PeerAddress;
import org.peermesh.net.Sockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One peer of any wire protocol, inbound or outbound: the verticle owns the socket and its codec, runs the
 * protocol's handshake, then its session, and keeps the peer alive or ends it. Undeploying it disconnects the peer;
 * a closed connection undeploys it. Everything runs on the context of its socket ({@link #home}), so that a byte read,
 * the message it becomes and the frames written in answer cross no thread; the rest of the node reaches it only
 * through its mailbox ({@code <prefix>.<protocol>.peer.<name>}) or {@link #disconnect}.
 *
 * <p>The protocol supplies what differs ({@link WireProtocol}: codec, handshake, session); this class is what every
 * protocol's peer does alike: the states and their events, the handshake timeout, liveness and ping round trips,
 * the bounded outbox, violations that cost the peer its score, and the mailbox.
 *
 * @param <M> the protocol's message type
 * @param <R> what its handshake establishes
 */
public final class PeerConnection<M, R> extends VerticleBase implements PeerSocket.Listener, PeerLink<M> {

  /** The kind of the error event of a socket error. */
  public static final String SOCKET_ERROR = "socket";
  /** The kind of the error event of a dial that failed. */
  public static final String CONNECT_ERROR = "connect";
  /**
   * The mailbox action that answers the connection's {@link #traffic() counters}, read on the connection's own context
   * where they are written, in any state: what the HTTP section's mesh view asks each peer for.
   */
  public static final String TRAFFIC = "traffic";

  private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Buffer EMPTY = Buffer.buffer(0);
  private static final long CLOSE_LINGER_MS = 1000;
  /** Messages kept while a claim is settled: a handshake's worth and a session's first words, with room to spare. */
  private static final int MAX_HELD_DURING_CLAIM = 64;
  /**
   * What flooding costs, during a handshake or held at maxMessageRate for longer than a burst: as a handshake out of
   * order does in Bitcoin Core's scale.
   */
  private static final int FLOOD_PENALTY = 10;
  /**
   * At most one report of skipped bytes per peer per second: each is an event, and a peer that sends a million frames
   * of a type we skip must not become a million events for the bus to carry.
   */
  private static final long SKIPPED_REPORT_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final PeerGroup<M, R> group;
  private final WireProtocol<M, R> protocol;
  private final PoolOptions<?> options;
  private final ProtocolAddresses addresses;
  private final Direction direction;
  private final PeerAddress remote;
  private final PeerAddress proxy;
  private final String name;
  private final Promise<JsonObject> established = Promise.promise();
  private final Promise<Void> closed = Promise.promise();
  private final PeerMetrics metrics;
  /** Whether the node keeps metrics: only then is each message's type named and counted. */
  private final boolean metered;
  private final PeerMetrics.Traffic traffic;
  private final FrameCodec.Sink<M> sink = new FrameCodec.Sink<>() {
    @Override
    public void message(M message, Buffer payload) {
      message(message, payload, payload.length());
    }

    @Override
    public void message(M message, Buffer payload, int frameBytes) {
      framesIn++;
      if (metered) {
        traffic.received(typeOf(message), frameBytes);
      }
      if (!terminated) {
        receive(message, payload);
      }
    }

    @Override
    public void skipped(String kind, String detail) {
      framesSkipped++;
      long window = Math.floorDiv(System.nanoTime(), SKIPPED_REPORT_WINDOW_NANOS);
      if (window == skippedReportWindow) {
        skippedUnreported++;
        return;
      }
      skippedReportWindow = window;
      reportSkipped(kind, skippedUnreported == 0 ? detail
          : detail + " (and " + skippedUnreported + " more skipped since the last report)");
      skippedUnreported = 0;
    }
  };

  private NetSocket socket;
  /**
   * Where everything of this connection runs: an inbound socket's context, on the event loop that accepted it (Vert.x
   * does not move a socket), or for an outbound peer the verticle's own, which it dials from. The verticle's context
   * serves only its deployment.
   */
  private Context home;
  private PeerSocket peerSocket;
  private FrameCodec<M> codec;
  private Handshaker<M, R> handshaker;
  /** The messages received while a claim is settled, to be judged in order once it is; null when none is. */
  private ArrayDeque<Held<M>> heldDuringClaim;
  private long heldBytes;
  /** The identity the peer's handshake proved and this connection claimed; null while it has none. */
  private String peerId;
  /** What the peer does once established; null while the handshake runs. */
  private Session<M> session;
  private MessageConsumer<JsonObject> mailbox;
  /** A peer starts where it ends, closed, as bitcore's peers start disconnected. */
  /** Written on the connection's context, read by the pool's counts from any. */
  private volatile PeerState state = PeerState.CLOSED;
  private volatile JsonObject info;

  private long handshakeTimer = -1;
  private long pingTimer = -1;
  private long lastReceivedNanos;
  private long pendingPingNonce;
  private long pendingPingSentNanos = -1;
  private long latencyMicros = -1;
  private long bytesIn;
  private long framesIn;
  private long framesSkipped;
  private long framesOut;
  private long skippedReportWindow = Long.MIN_VALUE;
  private long skippedUnreported;
  private ReadPacer pacer;
  /** The connection's share of the node's memory budget; null until its socket is attached. */
  private MemoryBudget.Account account;
  /** Whether the frame being read holds bytes of the budget, to be given back once it is whole. */
  private boolean readingReserved;
  private String closeReason;
  /** The refusal's kind, when a refusal ended the connection: the protocol may tell the peer more than the code. */
  private String closeKind;
  private DisconnectReason closeCode = DisconnectReason.NORMAL;
  /** The peer broke the protocol: a protocol without last words resets the connection. */
  private boolean violated;
  /** The peer closed the connection or said goodbye: nothing more is owed to it. */
  private boolean closedByRemote;
  private boolean terminated;
  /** A read is being decoded: a codec the handshake replaces meanwhile is read on when the read's codec returns. */
  private boolean decoding;
  /** Vert.x is undeploying the verticle: the connection ends without undeploying it a second time. */
  private volatile boolean undeploying;

  private PeerConnection(PeerGroup<M, R> group, Direction direction, PeerAddress remote, PeerAddress proxy,
                         NetSocket socket, Context home) {
    this.group = group;
    this.protocol = group.protocol();
    this.options = group.options();
    this.addresses = group.addresses();
    this.metrics = group.metrics();
    this.metered = metrics.enabled();
    this.traffic = metered ? metrics.traffic() : PeerMetrics.Traffic.NONE;
    this.direction = direction;
    this.remote = remote;
    this.proxy = proxy;
    this.socket = socket;
    this.home = home;
    this.name = remote.toString();
    this.info = describe();
  }

  /** A peer to dial, directly or through a SOCKS5 {@code proxy} (null: direct). */
  public static <M, R> PeerConnection<M, R> outbound(PeerGroup<M, R> group, PeerAddress target, PeerAddress proxy) {
    return new PeerConnection<>(group, Direction.OUTBOUND, target, proxy, null, null);
  }

  /**
   * Refuses a socket just accepted, before it became a connection: the protocol's last words for the refusal, where
   * it has any (the mesh's Disconnect), then the close.
   */
  public static <M> void refuseSocket(NetSocket socket, WireProtocol<M, ?> protocol, Refusal refusal) {
    List<M> farewell = protocol.farewell(refusal.reason(), refusal.kind(), refusal.detail());
    if (farewell.isEmpty()) {
      socket.close();
      return;
    }
    FrameCodec<M> codec = protocol.newCodec();
    Buffer lastWords = Buffer.buffer();
    farewell.forEach(message -> codec.encode(message, lastWords));
    socket.write(lastWords).eventually(socket::close);
  }

  /**
   * An accepted socket, paused by the acceptor on {@code socketContext}, the context it was accepted on, which stays
   * the socket's and becomes the connection's.
   */
  public static <M, R> PeerConnection<M, R> inbound(PeerGroup<M, R> group, NetSocket socket, Context socketContext,
                                                    PeerAddress remote) {
    return new PeerConnection<>(group, Direction.INBOUND, remote, null, socket, socketContext);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Direction direction() {
    return direction;
  }

  @Override
  public PeerAddress remote() {
    return remote;
  }

  @Override
  public PoolView pool() {
    return group;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public PeerMetrics metrics() {
    return metrics;
  }

  /** Completes with the peer's info once its handshake is established, or fails with the reason it never was. */
  public Future<JsonObject> established() {
    return established.future();
  }

  /** Completes once the socket is closed and the pool told. */
  public Future<Void> closed() {
    return closed.future();
  }

  /** The latest info, readable from any thread. */
  public JsonObject info() {
    return info;
  }

  /** The identity the peer's handshake proved and this connection holds the claim of; null while it has none. */
  public String peerId() {
    return peerId;
  }

  /** Why the connection closed, once it has: the code, in the layer's vocabulary. */
  public DisconnectReason closeCode() {
    return closeCode;
  }

  /** Why the connection closed, once it has, in words; null before. */
  public String closeReason() {
    return closeReason;
  }

  /** Whether the peer closed the connection or said goodbye, rather than this node. */
  public boolean closedByRemote() {
    return closedByRemote;
  }

  /** Whether the handshake is done and the connection not yet closed. */
  public boolean isConnected() {
    return state == PeerState.CONNECTED;
  }

  /** Whether the connection has ended; its verticle is undeployed or about to be. */
  public boolean isTerminated() {
    return terminated;
  }

  /** Disconnects from any thread; completes once the socket is closed. */
  public Future<Void> disconnect(DisconnectReason reason, String detail) {
    home.runOnContext(v -> close(reason, detail));
    return closed.future();
  }

  /**
   * Deploys this connection's verticle. A connection can end before Vert.x has registered its deployment (a dial
   * that fails at once), when it cannot undeploy itself: it is undeployed as soon as it is registered.
   */
  public Future<String> deploy(Vertx on) {
    return on.deployVerticle(this).onSuccess(id -> {
      if (terminated) {
        on.undeploy(id);
      }
    });
  }

  // ---------------------------------------------------------------------------------------------------- lifecycle

  @Override
  public Future<?> start() {
    if (home == null) {
      home = context;
    }
    Promise<Void> registered = Promise.promise();
    home.runOnContext(v -> {
      codec = protocol.newCodec();
      codec.limitMessageSize(options.maxHandshakeMessageSize(), "the limit before the handshake is done");
      handshaker = protocol.newHandshaker(this);
      mailbox = vertx.eventBus().consumer(addresses.peer(name), this::onCommand);
      mailbox.completion().onComplete(registered);
      if (socket != null) {
        attach();
      } else {
        dial();
      }
    });
    return registered.future();
  }

  private void dial() {
    setState(PeerState.CONNECTING, null);
    group.netClient().connect(PeerSocket.connectOptions(remote, proxy)).onComplete(ar -> {
      if (ar.failed()) {
        closeReason = "connect failed" + (proxy == null ? "" : " through proxy " + proxy) + ": "
            + ar.cause().getMessage();
        publishError(CONNECT_ERROR, ar.cause().getMessage());
        terminate();
      } else if (terminated) {
        ar.result().close();
      } else {
        socket = ar.result();
        attach();
      }
    });
  }

  @Override
  public Future<?> stop() {
    undeploying = true;
    home.runOnContext(v -> {
      if (closeReason == null) {
        // Undeployed by its owner: a pool that stops says so before (NODE_SHUTDOWN); anyone else ends one peer.
        closeReason = "peer verticle undeployed";
        closeCode = DisconnectReason.NORMAL;
      }
      terminate();
    });
    return closed.future();
  }

  private void attach() {
    if (terminated) {
      // Ended before its socket was attached, as when its address was banned while the verticle deployed: the
      // socket, paused since it was accepted, would otherwise stay open and unread for good.
      Sockets.abort(socket);
      return;
    }
    lastReceivedNanos = System.nanoTime();
    account = group.memoryBudget().open();
    peerSocket = new PeerSocket(vertx, home, socket, options.maxFrameSize(), options.getMaxWriteQueueSize(), account,
        options.getAckTimeout());
    pacer = new ReadPacer(options.getMaxMessageRate());
    peerSocket.start(this);
    setState(PeerState.HANDSHAKING, null);
    handshakeTimer = vertx.setTimer(options.getHandshakeTimeout(),
        t -> close(DisconnectReason.HANDSHAKE_TIMEOUT, "no handshake within " + options.getHandshakeTimeout() + " ms"));
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
    Future<Void> socketDone = closeSocket();
    if (account != null) {
      account.close();
    }
    String reason = closeReason == null ? "disconnected" : closeReason;
    if (skippedUnreported > 0) {
      reportSkipped("skipped", skippedUnreported + " more skipped since the last report");
      skippedUnreported = 0;
    }
    LOG.info("{} peer {} disconnected: {}", protocol.name(), name, reason);
    if (session != null) {
      session.closed(reason);
    }
    if (peerSocket != null) {
      if (session == null && closeKind == null) {
        metrics.handshakeFailed(direction);
      }
      metrics.disconnected(direction, closeCode);
    }
    setState(PeerState.CLOSED, reason);
    established.tryFail(reason);
    group.peerClosed(this, session != null);
    socketDone.onComplete(v -> closed.tryComplete());
    if (deploymentID() != null && !undeploying) {
      vertx.undeploy(deploymentID());
    }
  }

  private void close(DisconnectReason code, String reason) {
    if (terminated) {
      return;
    }
    closeCode = code;
    closeReason = reason;
    terminate();
  }

  /**
   * Closes the socket as the close deserves: nothing more for a peer that left or does not read; the protocol's
   * last words (a Disconnect, a go_away) with the reason where it has any, then a close that waits for them a
   * moment; a reset for a peer that broke a protocol without last words, as Bitcoin Core does.
   */
  private Future<Void> closeSocket() {
    if (peerSocket == null) {
      return Future.succeededFuture();
    }
    if (closedByRemote || peerSocket.isClosed()) {
      return peerSocket.closeAfterRemote();
    }
    if (closeCode == DisconnectReason.WRITE_QUEUE_FULL) {
      return peerSocket.abort();
    }
    List<M> farewell = protocol.farewell(closeCode, closeKind, closeReason);
    if (farewell.isEmpty() && violated) {
      return peerSocket.abort();
    }
    Buffer lastWords = Buffer.buffer();
    farewell.forEach(message -> codec.encode(message, lastWords));
    return peerSocket.close(lastWords, CLOSE_LINGER_MS);
  }

  /**
   * Ends the connection for a refusal, and publishes why. A violation costs the peer's score its penalty (at 0 it is
   * banned) and, in a protocol without last words, resets the connection, as a peer that broke the protocol is owed
   * nothing more; a refusal that is no fault (a connection to ourselves, another network) closes it normally.
   */
  @Override
  public void refuse(Refusal refusal) {
    if (terminated) {
      return;
    }
    publishError(refusal.kind(), refusal.detail());
    closeKind = refusal.kind();
    if (session == null) {
      metrics.handshakeRefused(direction, refusal.kind());
    }
    if (!refusal.isViolation()) {
      close(refusal.reason(), refusal.detail());
      return;
    }
    LOG.debug("{} peer {} broke the protocol ({}): {}", protocol.name(), name, refusal.kind(), refusal.detail());
    violated = true;
    // Charged first: a peer the charge bans is told it is banned.
    if (group.misbehaved(this, refusal)) {
      close(DisconnectReason.BANNED, "banned: " + refusal.detail());
    } else {
      close(refusal.reason(), "protocol violation: " + refusal.detail());
    }
  }

  @Override
  public boolean penalize(int penalty, String reason) {
    if (terminated) {
      return false;
    }
    boolean banned = group.penalize(this, penalty, reason);
    if (banned) {
      close(DisconnectReason.BANNED, "banned: " + reason);
    }
    return banned;
  }

  // ------------------------------------------------------------------------------------------------------ socket

  @Override
  public void onData(Buffer chunk) {
    if (terminated) {
      return;
    }
    long now = System.nanoTime();
    lastReceivedNanos = now;
    bytesIn += chunk.length();
    long framesBefore = framesIn + framesSkipped;
    read(chunk);
    if (!terminated) {
      reserveUnfinishedFrame();
    }
    if (!terminated) {
      pace((int) (framesIn + framesSkipped - framesBefore), now);
    }
  }

  /**
   * Decodes {@code chunk}, and, when a handshake step replaced the codec while it was decoded (RLPx's keys arrive in
   * the middle of a read), what the replaced codec read past its last message: the new codec holds those bytes (the
   * remote Hello coalesced with its ack), and they must not wait for the next read, which may never come.
   */
  private void read(Buffer chunk) {
    decoding = true;
    try {
      FrameCodec<M> reading;
      Buffer next = chunk;
      do {
        reading = codec;
        reading.decode(next, sink);
        next = EMPTY;
      } while (codec != reading && !terminated);
    } catch (PeerViolation violation) {
      refuse(violation.refusal());
    } finally {
      decoding = false;
    }
  }

  /**
   * A frame split across reads takes its declared size from the node's memory budget once its length is known (a
   * small one takes nothing); when the budget has no room the node stops reading from this peer until another
   * connection gives bytes back, so that no number of peers sending large frames at once can exhaust the heap.
   */
  private void reserveUnfinishedFrame() {
    int unfinished = codec.unfinishedFrameSize();
    if (unfinished <= MemoryBudget.FREE_BYTES && !readingReserved) {
      return;
    }
    if (account.reserveReading(unfinished)) {
      readingReserved = unfinished > MemoryBudget.FREE_BYTES;
      peerSocket.resumeReading(PeerSocket.ReadPause.MEMORY);
      return;
    }
    if (!peerSocket.readingPaused(PeerSocket.ReadPause.MEMORY)) {
      LOG.debug("{} peer {}: no room in the memory budget for a frame of {} bytes; reading paused", protocol.name(),
          name, unfinished);
      peerSocket.pauseReading(PeerSocket.ReadPause.MEMORY);
    }
    account.awaitRoom(task -> home.runOnContext(v -> task.run()), () -> {
      if (!terminated) {
        reserveUnfinishedFrame();
      }
    });
  }

  /**
   * Counts a chunk's frames against the peer's maxMessageRate ({@link ReadPacer}): a peer that reached its share of
   * the window is not read from until the window ends; one held there longer than a burst is charged for it.
   */
  private void pace(int frames, long now) {
    long pauseNanos = pacer.count(frames, now);
    if (pauseNanos == 0 || peerSocket.readingPaused(PeerSocket.ReadPause.RATE)) {
      return;
    }
    if (pacer.flooding() && penalize(FLOOD_PENALTY, "flooding: held at maxMessageRate " + options.getMaxMessageRate()
        + " frames/s for " + pacer.pacedWindowsInARow() * ReadPacer.WINDOW_MS + " ms running")) {
      return;
    }
    peerSocket.pauseReading(PeerSocket.ReadPause.RATE);
    vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(pauseNanos)), t -> {
      if (!terminated) {
        peerSocket.resumeReading(PeerSocket.ReadPause.RATE);
      }
    });
  }

  /** Skipped bytes, reported by the session where it has an event for them, else as an error event. */
  private void reportSkipped(String kind, String detail) {
    if (session == null || !session.skipped(kind, detail)) {
      publishError(kind, detail);
    }
  }

  @Override
  public void onClosed() {
    if (!terminated) {
      closedByRemote = true;
      closeReason = closeReason == null ? "closed by peer" : closeReason;
      terminate();
    }
  }

  @Override
  public void onError(Throwable error) {
    publishError(SOCKET_ERROR, String.valueOf(error.getMessage()));
  }

  @Override
  public void onStalled(long waitingBytes) {
    close(DisconnectReason.WRITE_QUEUE_FULL, "the peer has taken none of the " + waitingBytes + " bytes waiting for it "
        + "within ackTimeout (" + options.getAckTimeout() + " ms): it does not read");
  }

  @Override
  public void onDrained() {
    if (session != null && !terminated) {
      session.drained();
    }
  }

  // ----------------------------------------------------------------------------------------------------- reading

  /**
   * A message goes to the handshake until it is established, then to the session. The protocol sees it first
   * ({@link WireProtocol#received}) unless the handshake refused it: consumers hear only what the handshake admits.
   */
  private void receive(M message, Buffer payload) {
    Optional<Goodbye> goodbye = protocol.goodbye(message);
    if (goodbye.isPresent()) {
      peerLeft(goodbye.get());
      return;
    }
    if (heldDuringClaim != null) {
      hold(message, payload);
      return;
    }
    if (session != null) {
      protocol.received(this, message, payload);
      session.onMessage(message);
      return;
    }
    HandshakeStep<M, R> step = handshaker.onMessage(message);
    if (!(step instanceof HandshakeStep.Refused)) {
      protocol.received(this, message, payload);
    }
    advance(step);
  }

  /**
   * Keeps a message that came while the peer's claim is being settled: the handshaker hears nothing between its
   * Claim and the answer, so a peer that sends on at once (its first session message after its last handshake one)
   * is judged in order once the claim is settled. Bounded in messages and in bytes (one handshake message's worth), as
   * a peer that has proven nothing owes no flood and must not make us keep one.
   */
  private void hold(M message, Buffer payload) {
    heldBytes += payload.length();
    long maxHeldBytes = options.maxHandshakeMessageSize();
    if (heldDuringClaim.size() >= MAX_HELD_DURING_CLAIM || heldBytes > maxHeldBytes) {
      refuse(Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, "flood_during_handshake",
          "more than " + MAX_HELD_DURING_CLAIM + " messages or " + maxHeldBytes
              + " bytes before the handshake finished", FLOOD_PENALTY));
      return;
    }
    heldDuringClaim.add(new Held<>(message, payload));
  }

  /** The peer said why it leaves: it is owed no reply, and its reason is the close's. */
  private void peerLeft(Goodbye goodbye) {
    closedByRemote = true;
    close(goodbye.reason().orElse(DisconnectReason.NORMAL), "peer disconnected: " + goodbye);
  }

  /** Sends what a handshake step says to send, then acts on where the handshake stands. */
  private void advance(HandshakeStep<M, R> step) {
    if (step instanceof HandshakeStep.Established<M, R> done) {
      // Admitted before the handshake's last words go out: a peer the pool refuses (its slots are full) is told so
      // instead of being sent what completes its handshake, and never believes itself connected.
      Refusal refusal = group.admit(this, done.result());
      if (refusal != null) {
        refuse(refusal);
        return;
      }
      sendStep(step);
      establish(done.result());
      return;
    }
    sendStep(step);
    if (step instanceof HandshakeStep.Refused<M, R> refused) {
      refuse(refused.refusal());
    } else if (step instanceof HandshakeStep.Claim<M, R> claim) {
      heldDuringClaim = new ArrayDeque<>();
      heldBytes = 0;
      group.claimIdentity(this, claim.identity()).onComplete(ar -> {
        if (terminated) {
          return;
        }
        boolean granted = ar.succeeded() && ar.result();
        if (granted) {
          peerId = claim.identity();
        }
        ArrayDeque<Held<M>> held = heldDuringClaim;
        heldDuringClaim = null;
        advance(handshaker.onClaim(granted, ar.failed() ? ar.cause().getMessage() : null));
        while (!held.isEmpty() && !terminated) {
          Held<M> next = held.poll();
          receive(next.message(), next.payload());
        }
      });
    }
  }

  /** Sends what a handshake step says to send, then frames what follows as the handshake says from now on. */
  private void sendStep(HandshakeStep<M, R> step) {
    step.send().forEach(this::send);
    FrameCodec<M> next = handshaker.framing(codec);
    if (next == codec) {
      return;
    }
    codec = next;
    codec.limitMessageSize(options.maxHandshakeMessageSize(), "the limit before the handshake is done");
    if (!decoding) {
      read(EMPTY);
    }
  }

  private void establish(R result) {
    vertx.cancelTimer(handshakeTimer);
    handshakeTimer = -1;
    // Its work is done, and 10,000 idle peers should not keep 10,000 of them.
    handshaker = null;
    codec.limitMessageSize(options.getMaxMessageSize(), "maxMessageSize");
    session = protocol.newSession(this, result);
    setState(PeerState.CONNECTED, null);
    metrics.handshakeEstablished(direction);
    session.start();
    LOG.info("{} peer {} connected: {}", protocol.name(), name, info.encode());
    pingTimer = vertx.setPeriodic(options.getPingInterval(), t -> keepAlive());
    group.peerEstablished(this);
    established.tryComplete(info);
  }

  /** Every ping interval: a peer silent or owing a pong for peerTimeout is gone; else it is pinged. */
  private void keepAlive() {
    long now = System.nanoTime();
    long timeout = TimeUnit.MILLISECONDS.toNanos(options.getPeerTimeout());
    if (pendingPingSentNanos >= 0 && now - pendingPingSentNanos > timeout && session.requiresPong()) {
      close(DisconnectReason.PEER_TIMEOUT, "ping timeout: no pong within " + options.getPeerTimeout() + " ms");
      return;
    }
    if (now - lastReceivedNanos > timeout) {
      close(DisconnectReason.PEER_TIMEOUT, "inactivity: nothing received for " + options.getPeerTimeout() + " ms");
      return;
    }
    if (pendingPingSentNanos < 0 || !session.requiresPong()) {
      long nonce = RANDOM.nextLong();
      M ping = session.ping(nonce);
      if (ping != null) {
        pendingPingNonce = nonce;
        pendingPingSentNanos = now;
        send(ping);
      }
    }
  }

  @Override
  public void pong(long nonce) {
    if (pendingPingSentNanos >= 0 && nonce == pendingPingNonce) {
      latencyMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - pendingPingSentNanos);
      pendingPingSentNanos = -1;
      refreshInfo();
      group.peerUpdated(this);
    }
  }

  @Override
  public long latencyMicros() {
    return latencyMicros;
  }

  // ----------------------------------------------------------------------------------------------------- writing

  @Override
  public void send(M message) {
    if (terminated || peerSocket == null) {
      return;
    }
    framesOut++;
    String cut = peerSocket.write(out -> codec.encode(message, out));
    if (cut != null) {
      close(DisconnectReason.WRITE_QUEUE_FULL, cut);
    } else if (metered) {
      countSent(message);
    }
  }

  /** Apart from {@link #send}, which runs for every message and is best kept small enough to inline. */
  private void countSent(M message) {
    int bytes = peerSocket.lastFrameBytes();
    if (bytes > 0) {
      traffic.sent(typeOf(message), bytes);
    }
  }

  /** The name of {@code message}'s type in metrics: the session's, where it names it, else the protocol's. */
  private String typeOf(M message) {
    String type = session == null ? null : session.messageType(message);
    return type != null ? type : protocol.messageType(message);
  }

  @Override
  public boolean writable() {
    return peerSocket != null && peerSocket.writable();
  }

  @Override
  public boolean hasRoomFor(long bytes) {
    return peerSocket != null && peerSocket.hasRoomFor(bytes);
  }

  @Override
  public boolean holdWaiting(long waitingBytes) {
    return account != null && account.holdWaiting(waitingBytes);
  }

  @Override
  public long backedUpNanos() {
    return peerSocket == null ? 0 : peerSocket.backedUpNanos();
  }

  @Override
  public JsonObject traffic() {
    return new JsonObject()
        .put("bytesIn", bytesIn)
        .put("bytesOut", peerSocket == null ? 0 : peerSocket.bytesOut())
        .put("framesIn", framesIn)
        .put("framesSkipped", framesSkipped)
        .put("framesOut", framesOut)
        .put("queuedBytes", peerSocket == null ? 0 : peerSocket.queuedBytes());
  }

  /**
   * The mailbox: {@code {"action": "disconnect", "reason"?}} and {@code {"action": "traffic"}}, served here, or any
   * other action of the protocol's, which the session serves once the peer is connected.
   */
  private void onCommand(Message<JsonObject> command) {
    JsonObject body = command.body();
    String action = body.getString("action", "");
    if (action.equals(TRAFFIC)) {
      command.reply(traffic());
      return;
    }
    if (action.equals("disconnect")) {
      close(DisconnectReason.NORMAL, body.getString("reason", "disconnect command"));
      closed.future().onComplete(v -> command.reply(new JsonObject().put("peer", name)));
      return;
    }
    if (session == null || terminated) {
      command.fail(Failure.UNKNOWN_PEER.code(), "peer " + name + " is " + protocol.stateName(state) + ", not "
          + protocol.stateName(PeerState.CONNECTED));
      return;
    }
    session.command(action, body).onComplete(ar -> {
      if (ar.succeeded()) {
        command.reply(ar.result());
      } else if (ar.cause() instanceof ReplyException reply) {
        command.fail(reply.failureCode(), reply.getMessage());
      } else {
        command.fail(Failure.BAD_REQUEST.code(), String.valueOf(ar.cause().getMessage()));
      }
    });
  }

  // ------------------------------------------------------------------------------------------------------ events

  @Override
  public void publish(String type, JsonObject body) {
    vertx.eventBus().publish(addresses.message(type), body);
  }

  @Override
  public void publishRaw(JsonObject body) {
    vertx.eventBus().publish(addresses.raw(), body);
  }

  @Override
  public void publishError(String kind, String detail) {
    vertx.eventBus().publish(addresses.error(), header().put("error", kind).put("message", detail));
    group.error(this, kind, detail);
  }

  private void setState(PeerState newState, String reason) {
    PeerState previous = state;
    state = newState;
    metrics.stateChanged(direction, previous, newState);
    refreshInfo();
    JsonObject body = header().put("state", protocol.stateName(newState))
        .put("previous", protocol.stateName(previous));
    if (reason != null) {
      body.put("reason", reason).put("code", closeCode.code());
    }
    vertx.eventBus().publish(addresses.stateChange(), body);
  }

  @Override
  public JsonObject header() {
    JsonObject header = new JsonObject()
        .put("peer", name)
        .put("protocol", protocol.name())
        .put("host", remote.host())
        .put("port", remote.port())
        .put("direction", direction.jsonName());
    if (peerId != null) {
      header.put("peerId", peerId);
    }
    return header;
  }

  private JsonObject describe() {
    JsonObject json = header().put("state", protocol.stateName(state));
    if (proxy != null) {
      json.put("proxy", proxy.toJson());
    }
    if (session != null) {
      session.describe(json);
    }
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
    return direction.jsonName() + " " + protocol.name() + " peer " + name;
  }

  /** A message kept while a claim is settled, with its raw bytes. */
  private record Held<M>(M message, Buffer payload) {
  }
}
