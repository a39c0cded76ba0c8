package org.peermesh.mesh;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.Failure;
import org.peermesh.bus.PeerEvent;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.Disconnect;
import org.peermesh.mesh.wire.Hello;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.NodeInfoUpdate;
import org.peermesh.mesh.wire.Ping;
import org.peermesh.mesh.wire.Pong;
import org.peermesh.mesh.wire.Request;
import org.peermesh.mesh.wire.Response;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.HandshakeStep;
import org.peermesh.peer.PeerInfo;
import org.peermesh.peer.PeerSocket;
import org.peermesh.peer.PeerState;
import org.peermesh.peer.PeerViolation;
import org.peermesh.peer.PendingRequests;
import org.peermesh.peer.RateWindow;
import org.peermesh.peer.Refusal;
import org.peermesh.peer.SlidingWindow;
import org.peermesh.reputation.Penalty;
import org.peermesh.reputation.Reputation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One remote peer, inbound or outbound: the verticle owns the socket, its framing state, the pending requests and
 * the per-peer counters, and runs the handshake ({@link MeshHandshaker}, which does no I/O) over them. No other code
 * reads or writes the socket; undeploying the verticle closes the connection, and a closed connection undeploys the
 * verticle.
 *
 * <p>Everything here runs on the verticle's own context. The other parts of the node reach it only through its
 * event-bus mailbox ({@code <busPrefix>.peer.<peerId>}) or {@link #disconnect}, which hops onto that context.
 */
public final class PeerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PeerVerticle.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** How many requests a peer may have waiting on our consumers: more are refused, never queued. */
  static final int MAX_INBOUND_REQUESTS_IN_FLIGHT = 256;
  /** How long a closing peer waits for its Disconnect frame to leave before the socket is closed anyway. */
  private static final long CLOSE_LINGER_MS = 1000;
  /** How long after ackTimeout an answer still saves the peer from the unanswered-request penalty. */
  private static final long UNANSWERED_GRACE_MS = 5_000;
  /** Margin over the receiver's nodeInfo push window, for network jitter between pushes. */
  private static final long PUSH_WINDOW_MARGIN_MS = 1_000;

  private final PeerPool pool;
  private final long connectionId;
  private final Direction direction;
  private final PeerAddress remote;
  private final Promise<PeerInfo> handshakeResult = Promise.promise();
  private final Promise<Void> closed = Promise.promise();

  private NetSocket socket;
  private Context socketContext;
  private MeshCodec codec;
  private PeerState state;

  private MeshHandshaker handshaker;
  /** The id the peer's Hello named, once the Hello passed the checks; null before. */
  private String remoteId;
  /** The node let this connection have the peer: in a cluster, no other member holds it. */
  private boolean holdsClaim;
  private volatile PeerInfo info;
  private MessageConsumer<Object> mailbox;

  private PeerSocket peerSocket;

  /** Our requests to the peer, once it is connected; null before. */
  private PendingRequests<Message<Object>> requests;
  /**
   * Acknowledgements of messages queued while the socket's write queue is full, given when it drains: a sender that
   * waits for its sendToPeer futures (or keeps a window of them) then goes at the peer's pace instead of filling
   * the queue until the peer is cut off. Bounded, as the queued bytes are.
   */
  private final ArrayDeque<Message<Object>> heldAcks = new ArrayDeque<>();
  private int inboundRequestsInFlight;

  private long handshakeTimer = -1;
  private long pingTimer = -1;
  private long livenessTimer = -1;
  private long lastReceivedNanos;
  private long pingPayload;
  private long pingSentNanos;

  private final PeerCounters counters = new PeerCounters();

  // What reputation is judged on: message rate per aligned window, protocol requests, nodeInfo pushes, answers.
  private final RateWindow messageRate;
  private final Map<String, Long> lastProtocolRequestNanos = new HashMap<>();
  private final SlidingWindow nodeInfoUpdatesReceived = new SlidingWindow(Penalty.NODE_INFO_PUSH_WINDOW_MS);
  /** Our pushes, within the receiver's window and a margin for network jitter between pushes. */
  private final SlidingWindow nodeInfoPushesSent =
      new SlidingWindow(Penalty.NODE_INFO_PUSH_WINDOW_MS + PUSH_WINDOW_MARGIN_MS);
  private NodeInfoPush deferredPush;
  private long deferredPushTimer = -1;
  private DisconnectReason closeReason;
  private volatile boolean terminated;
  private String closeDetail;
  private boolean closedByRemote;

  private PeerVerticle(PeerPool pool, long connectionId, Direction direction, PeerAddress remote, NetSocket socket,
                       Context socketContext) {
    this.pool = pool;
    this.connectionId = connectionId;
    this.direction = direction;
    this.remote = remote;
    this.socket = socket;
    this.socketContext = socketContext;
    this.messageRate = new RateWindow(pool.options().getRateCalculationInterval());
  }

  static PeerVerticle outbound(PeerPool pool, long connectionId, PeerAddress target) {
    return new PeerVerticle(pool, connectionId, Direction.OUTBOUND, target, null, null);
  }

  /**
   * An accepted socket, paused by the acceptor before any byte was read. The acceptor runs on the server's
   * context, which stays the socket's I/O context; {@link #start} moves the socket's handlers to this verticle, so
   * this verticle is still the only code that reads and writes it.
   */
  static PeerVerticle inbound(PeerPool pool, long connectionId, NetSocket socket, Context socketContext,
                              PeerAddress remote) {
    return new PeerVerticle(pool, connectionId, Direction.INBOUND, remote, socket, socketContext);
  }

  /** Completes with the peer's info once it is connected, or fails with the reason it never was. */
  Future<PeerInfo> handshakeResult() {
    return handshakeResult.future();
  }

  Direction direction() {
    return direction;
  }

  PeerAddress remote() {
    return remote;
  }

  long connectionId() {
    return connectionId;
  }

  /** The peer's id once it is admitted (proven and accepted), else null. */
  String peerId() {
    PeerInfo admitted = info;
    return admitted == null ? null : admitted.peerId();
  }

  /** Disconnects the peer, from any thread; completes once its socket is closed and the verticle undeployed. */
  Future<Void> disconnect(DisconnectReason reason, String detail) {
    context.runOnContext(v -> close(reason, detail));
    return closed.future();
  }

  // ---------------------------------------------------------------------------------------------------- lifecycle

  @Override
  public Future<?> start() {
    codec = new MeshCodec(pool.options().getMaxMessageSize());
    if (socket != null) {
      attachSocket();
      return Future.succeededFuture();
    }
    setState(PeerState.CONNECTING);
    pool.netClient().connect(PeerSocket.connectOptions(remote, pool.options().getProxy())).onComplete(ar -> {
      if (ar.failed()) {
        closeDetail = "connect failed: " + ar.cause().getMessage();
        publishSocketError(ar.cause());
        terminate();
      } else if (state == PeerState.CLOSING) {
        ar.result().close();
      } else {
        socket = ar.result();
        socketContext = context;
        attachSocket();
      }
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    terminate();
    return closed.future();
  }

  /**
   * Ends the connection: closes the socket, fails what waits on the peer, tells the pool; then undeploys. The work
   * does not wait for the undeployment, which Vert.x refuses until the deployment is registered: a connection can
   * fail before that, and the pool undeploys such a verticle once it is (see {@link #isTerminated}).
   */
  private void terminate() {
    if (terminated) {
      return;
    }
    terminated = true;
    cancelTimers();
    if (state != PeerState.CLOSING) {
      setState(PeerState.CLOSING);
    }
    Future<Void> socketDone = closeSocket();
    if (requests != null) {
      requests.close((id, caller) -> caller.fail(Failure.PEER_DISCONNECTED.code(),
          "peer " + remoteId + " disconnected: " + describeClose()));
    }
    for (Message<Object> held : heldAcks) {
      held.fail(Failure.PEER_DISCONNECTED.code(), "peer " + remoteId + " disconnected before its queue drained: "
          + describeClose());
    }
    heldAcks.clear();
    if (mailbox != null) {
      mailbox.unregister();
    }
    setState(PeerState.CLOSED);
    pool.peerClosed(this, info, closeReason, describeClose(), closedByRemote);
    handshakeResult.tryFail(describeClose());
    socketDone.onComplete(closed);
    if (deploymentID() != null) {
      vertx.undeploy(deploymentID());
    }
  }

  boolean isTerminated() {
    return terminated;
  }

  /** The peer this connection claimed, to be released when it ends; null if it claimed none. */
  String claimedPeerId() {
    return holdsClaim ? remoteId : null;
  }

  private void attachSocket() {
    lastReceivedNanos = System.nanoTime();
    peerSocket = new PeerSocket(vertx, context, socket, socketContext, pool.options().getMaxMessageSize(),
        pool.options().getMaxWriteQueueSize());
    peerSocket.start(new PeerSocket.Listener() {
      @Override
      public void onData(Buffer chunk) {
        receive(chunk);
      }

      @Override
      public void onClosed() {
        onSocketClosed();
      }

      @Override
      public void onError(Throwable error) {
        publishSocketError(error);
      }

      @Override
      public void onDrained() {
        releaseHeldAcks();
      }
    });
    setState(PeerState.HANDSHAKING);
    handshakeTimer = vertx.setTimer(pool.options().getHandshakeTimeout(),
        t -> close(DisconnectReason.HANDSHAKE_TIMEOUT, "no handshake within " + pool.options().getHandshakeTimeout() + " ms"));
    byte[] nonce = new byte[Hello.NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    PeerAddress listen = pool.listenAddress();
    handshaker = new MeshHandshaker(pool.options().getNetworkId(), pool.options().getProtocolVersion(),
        pool.options().getMaxPeerInfoSize(), pool.nodeKey(), nonce, listen == null ? 0 : listen.port(), pool::nodeInfo);
    follow(handshaker.start());
  }

  private void onSocketClosed() {
    if (state != PeerState.CLOSING && state != PeerState.CLOSED) {
      if (closeReason == null) {
        closedByRemote = true;
        closeDetail = closeDetail == null ? "connection closed by peer" : closeDetail;
      }
      setState(PeerState.CLOSING);
      terminate();
    }
  }

  /** Decides a disconnect: the reason goes to the peer in a Disconnect frame, then the verticle terminates. */
  private void close(DisconnectReason reason, String detail) {
    if (state == PeerState.CLOSING || state == PeerState.CLOSED) {
      return;
    }
    closeReason = reason;
    closeDetail = detail;
    setState(PeerState.CLOSING);
    terminate();
  }

  private Future<Void> closeSocket() {
    if (peerSocket == null || peerSocket.isClosed()) {
      return Future.succeededFuture();
    }
    if (closedByRemote) {
      return peerSocket.closeAfterRemote();
    }
    DisconnectReason reason = closeReason == null ? DisconnectReason.NORMAL : closeReason;
    if (reason == DisconnectReason.WRITE_QUEUE_FULL) {
      // Nothing more is owed to a peer that does not read.
      return peerSocket.abort();
    }
    Buffer lastWords = Buffer.buffer();
    codec.encode(Disconnect.of(reason.code(), closeDetail == null ? reason.description() : closeDetail),
        lastWords);
    return peerSocket.close(lastWords, CLOSE_LINGER_MS);
  }

  private void cancelTimers() {
    for (long timer : new long[] {handshakeTimer, pingTimer, livenessTimer, deferredPushTimer}) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
    handshakeTimer = pingTimer = livenessTimer = deferredPushTimer = -1;
  }

  private void setState(PeerState newState) {
    PeerState previous = state;
    state = newState;
    if (previous != null) {
      pool.publish(PeerEvent.PEER_STATE_CHANGED, describe()
          .put("previousState", previous.jsonName())
          .put("state", newState.jsonName()));
    }
  }

  // ------------------------------------------------------------------------------------------------------ reading

  private void receive(Buffer chunk) {
    if (state == PeerState.CLOSING || state == PeerState.CLOSED) {
      return;
    }
    counters.bytesIn += chunk.length();
    lastReceivedNanos = System.nanoTime();
    try {
      codec.decode(chunk, frames);
    } catch (PeerViolation violation) {
      protocolViolation(violation.getMessage(), violation);
    }
  }

  /** What the codec finds: messages, and the frames of unknown types a newer minor version may send. */
  private final FrameCodec.Sink<WireMessage> frames = new FrameCodec.Sink<>() {
    @Override
    public void message(WireMessage message, Buffer frame) {
      onFrame(message);
    }

    @Override
    public void skipped(String kind, String detail) {
      if (state == PeerState.CONNECTED) {
        counters.framesIn++;
        pool.publish(PeerEvent.INVALID_MESSAGE_RECEIVED, describe().put("error", detail));
      }
    }
  };

  private void onFrame(WireMessage message) {
    if (state == PeerState.CLOSING || state == PeerState.CLOSED) {
      return;
    }
    counters.framesIn++;
    if (state != PeerState.HANDSHAKING) {
      onConnectedFrame(message);
    } else if (message instanceof Disconnect disconnect) {
      // The peer leaving is the verticle's business, not the handshake's.
      onRemoteDisconnect(disconnect);
    } else {
      follow(handshaker.onMessage(message));
    }
  }

  private void protocolViolation(String detail, Throwable cause) {
    LOG.debug("Peer {} sent a malformed frame: {}", this, detail, cause);
    pool.publish(PeerEvent.INVALID_MESSAGE_RECEIVED, describe().put("error", detail));
    punish(Penalty.MALFORMED_FRAME.amount(), "malformed frame: " + detail, DisconnectReason.PROTOCOL_VIOLATION, detail);
  }

  /**
   * Penalises the peer (by its proven id once admitted, else by its address if that can be scored) and, if that
   * bans it, disconnects it.
   *
   * @return whether the peer is now banned
   */
  private boolean penalize(int amount, String reason) {
    String provenId = info == null ? null : info.peerId();
    boolean banned = pool.penalize(remote.host(), provenId, amount, reason).map(Reputation.Outcome::banned).orElse(false);
    if (banned) {
      close(DisconnectReason.BANNED, "banned: " + reason);
    }
    return banned;
  }

  /** Penalises the peer and closes the connection: as banned if the penalty banned it, else for {@code reason}. */
  private void punish(int amount, String penaltyReason, DisconnectReason reason, String detail) {
    if (!penalize(amount, penaltyReason)) {
      close(reason, detail);
    }
  }

  // ---------------------------------------------------------------------------------------------------- handshake

  /** Sends what the handshake says to send, then does what its step asks of the layer. */
  private void follow(HandshakeStep<WireMessage, MeshHandshake> step) {
    step.send().forEach(this::send);
    if (step instanceof HandshakeStep.Claim<WireMessage, MeshHandshake> claim) {
      remoteId = claim.identity();
      // The directory's future completes on the context that asked: this verticle's.
      pool.claim(remoteId).onComplete(ar -> onClaimSettled(ar.succeeded() && ar.result(), ar.cause()));
    } else if (step instanceof HandshakeStep.Established<WireMessage, MeshHandshake> established) {
      onEstablished(established.result());
    } else if (step instanceof HandshakeStep.Refused<WireMessage, MeshHandshake> refused) {
      onRefused(refused.refusal());
    }
  }

  private void onClaimSettled(boolean granted, Throwable error) {
    if (terminated) {
      if (granted) {
        pool.release(remoteId);
      }
      return;
    }
    holdsClaim = granted;
    follow(handshaker.onClaim(granted, error == null ? null : error.getMessage()));
  }

  /** The peer proved its key; admission (slots, duplicates, bans) decides whether it is connected. */
  private void onEstablished(MeshHandshake handshake) {
    int advertisedPort = direction == Direction.OUTBOUND ? remote.port() : handshake.hello().listenPort();
    PeerPool.Admission admission = pool.admit(this, new PeerInfo(handshake.peerId().toString(), remote.host(),
        advertisedPort, direction, PeerState.CONNECTED, -1, (JsonObject) handshake.nodeInfo().value(), false, false,
        System.currentTimeMillis(), 1, PeerInfo.INITIAL_REPUTATION));
    if (!admission.admitted()) {
      refuse(admission.refusal(), admission.detail());
      return;
    }
    info = admission.info();
    // Its work is done, and 10,000 idle peers should not keep 10,000 of them.
    handshaker = null;
    codec = codec.established();
    // Only a connected peer is asked anything: a connection that proves nothing keeps no request state. The peer's
    // own consumer may time out at the same moment as we do: its answer gets a grace period.
    requests = new PendingRequests<>(vertx, MAX_INBOUND_REQUESTS_IN_FLIGHT * 4, pool.options().getAckTimeout(),
        UNANSWERED_GRACE_MS);
    vertx.cancelTimer(handshakeTimer);
    handshakeTimer = -1;
    mailbox = vertx.eventBus().consumer(pool.addresses().peer(info.peerId()), this::onCommand);
    setState(PeerState.CONNECTED);
    schedulePing();
    scheduleLivenessCheck(TimeUnit.MILLISECONDS.toNanos(pool.options().getPeerTimeout()));
    handshakeResult.complete(info);
    pool.peerConnected(this, info);
  }

  /**
   * A failed handshake. The three violations cost the peer their penalty, in the words the node's events and
   * reputation log have always used for each; every other refusal costs it nothing.
   */
  private void onRefused(Refusal refusal) {
    switch (refusal.kind()) {
      case MeshHandshaker.Kind.UNEXPECTED_MESSAGE -> protocolViolation(refusal.detail(), null);
      case MeshHandshaker.Kind.INVALID_SIGNATURE ->
          punish(refusal.penalty(), "invalid handshake signature", refusal.reason(), refusal.detail());
      case MeshHandshaker.Kind.INVALID_NODE_INFO -> {
        pool.publish(PeerEvent.FAILED_TO_COLLECT_PEER_DETAILS_ON_CONNECT, describe().put("error", refusal.detail()));
        punish(refusal.penalty(), "handshake nodeInfo too large", refusal.reason(), "nodeInfo too large");
      }
      default -> refuse(refusal.reason(), refusal.detail());
    }
  }

  /** A peer failed a check before it was trusted: tell it why, and go. */
  private void refuse(DisconnectReason reason, String detail) {
    LOG.debug("Refusing {}: {}", this, detail);
    close(reason, detail);
  }

  private void onRemoteDisconnect(Disconnect disconnect) {
    closedByRemote = true;
    closeDetail = "peer disconnected: " + DisconnectReason.fromCode(disconnect.code())
        .map(r -> r.name() + " (" + disconnect.code() + ")")
        .orElse("code " + disconnect.code()) + (disconnect.reason().isEmpty() ? "" : ", " + disconnect.reason());
    closeReason = DisconnectReason.fromCode(disconnect.code()).orElse(DisconnectReason.NORMAL);
    setState(PeerState.CLOSING);
    terminate();
  }

  // ---------------------------------------------------------------------------------------------------- connected

  private void onConnectedFrame(WireMessage message) {
    if (countTowardsRate()) {
      return;
    }
    if (message instanceof AppMessage app) {
      onAppMessage(app);
    } else if (message instanceof Request request) {
      onRequest(request);
    } else if (message instanceof Response response) {
      onResponse(response);
    } else if (message instanceof Ping ping) {
      send(new Pong(ping.payload()));
    } else if (message instanceof Pong pong) {
      onPong(pong);
    } else if (message instanceof NodeInfoUpdate update) {
      onNodeInfoUpdate(update);
    } else if (message instanceof Disconnect disconnect) {
      onRemoteDisconnect(disconnect);
    } else {
      protocolViolation("a second " + message.getClass().getSimpleName() + " after the handshake", null);
    }
  }

  /**
   * Counts a frame in its aligned window of rateCalculationInterval; the first frame of a new window judges the
   * previous one, so a burst is measured whole however long the silence after it.
   *
   * @return whether the peer got banned for its rate
   */
  private boolean countTowardsRate() {
    int frames = messageRate.count(System.nanoTime());
    if (frames < 0) {
      return false;
    }
    double perSecond = frames * 1000.0 / pool.options().getRateCalculationInterval();
    int limit = pool.options().getWsMaxMessageRate();
    int penalty = Penalty.forMessageRate(perSecond, limit, pool.options().getWsMaxMessageRatePenalty());
    return penalty > 0 && penalize(penalty, String.format("%.0f messages/s, over the limit of %d/s", perSecond, limit));
  }

  private void onAppMessage(AppMessage app) {
    counters.messagesIn++;
    // The protocol is in the body from the start: the same body is published twice.
    JsonObject body = new JsonObject()
        .put("protocol", BusAddresses.MESH)
        .put("peerId", info.peerId())
        .put("event", app.event())
        .put("data", app.data().value());
    vertx.eventBus().publish(pool.addresses().message(app.event()), body);
    pool.publish(PeerEvent.MESSAGE_RECEIVED, body);
  }

  private void onRequest(Request request) {
    counters.requestsIn++;
    if (ProtocolProcedures.isProtocolProcedure(request.procedure())) {
      onProtocolRequest(request);
      return;
    }
    if (inboundRequestsInFlight >= MAX_INBOUND_REQUESTS_IN_FLIGHT) {
      send(Response.failure(request.id(), Failure.TOO_MANY_REQUESTS.code(),
          "more than " + MAX_INBOUND_REQUESTS_IN_FLIGHT + " requests in flight"));
      return;
    }
    JsonObject body = new JsonObject()
        .put("protocol", BusAddresses.MESH)
        .put("peerId", info.peerId())
        .put("procedure", request.procedure())
        .put("data", request.data().value());
    pool.publish(PeerEvent.REQUEST_RECEIVED, body);
    inboundRequestsInFlight++;
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(pool.options().getAckTimeout());
    vertx.eventBus().request(pool.addresses().rpc(request.procedure()), body, options).onComplete(ar -> {
      inboundRequestsInFlight--;
      if (state != PeerState.CONNECTED) {
        return;
      }
      if (ar.succeeded()) {
        send(answer(request, ar.result().body()));
        return;
      }
      Response failure = failureResponse(request, ar.cause());
      if (failure.status() == Failure.NO_HANDLER.code()) {
        pool.publish(PeerEvent.INVALID_REQUEST_RECEIVED, describe()
            .put("procedure", request.procedure())
            .put("error", failure.error()));
      }
      send(failure);
    });
  }

  /** getPeers and getNodeInfo: answered here, once per rateCalculationInterval each. */
  private void onProtocolRequest(Request request) {
    long now = System.nanoTime();
    Long previous = lastProtocolRequestNanos.put(request.procedure(), now);
    long windowNanos = TimeUnit.MILLISECONDS.toNanos(pool.options().getRateCalculationInterval());
    if (previous != null && now - previous < windowNanos) {
      send(Response.failure(request.id(), Failure.TOO_MANY_REQUESTS.code(),
          request.procedure() + " asked again within " + pool.options().getRateCalculationInterval() + " ms"));
      penalize(Penalty.PROTOCOL_REQUEST_RATE.amount(), request.procedure() + " asked again too soon");
      return;
    }
    if (ProtocolProcedures.GET_PEERS.equals(request.procedure())) {
      JsonArray peers = new JsonArray();
      for (PeerAddress address : pool.hooks().sampleForGetPeers()) {
        if (!address.equals(info.address())) {
          peers.add(address.toJson());
        }
      }
      send(answer(request, new JsonObject().put("peers", peers)));
    } else {
      send(Response.success(request.id(), pool.nodeInfo()));
    }
  }

  /** A consumer's answer, or why it cannot be sent: not JSON, or too large for one frame. */
  private Response answer(Request request, Object body) {
    Response response;
    try {
      response = Response.success(request.id(), JsonPayload.of(body));
    } catch (RuntimeException notJson) {
      return Response.failureClipped(request.id(), Failure.PROCEDURE_FAILED.code(),
          "the answer to '" + request.procedure() + "' is not JSON: " + notJson.getMessage());
    }
    if (response.frameLength() > pool.options().getMaxMessageSize()) {
      return Response.failure(request.id(), Failure.PROCEDURE_FAILED.code(), "the answer to '" + request.procedure()
          + "' makes a frame of " + response.frameLength() + " bytes, more than maxFrameSize "
          + pool.options().getMaxMessageSize());
    }
    return response;
  }

  private static Response failureResponse(Request request, Throwable cause) {
    if (cause instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return Response.failure(request.id(), Failure.NO_HANDLER.code(),
            "no handler for procedure '" + request.procedure() + "'");
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return Response.failure(request.id(), Failure.TIMEOUT.code(),
            "procedure '" + request.procedure() + "' did not answer in time");
      }
      // A consumer's own failure code travels to the requester, if the wire's u16 status can carry it.
      int code = reply.failureCode() > 0 && reply.failureCode() <= 0xFFFF ? reply.failureCode() : Failure.PROCEDURE_FAILED.code();
      return Response.failureClipped(request.id(), code, String.valueOf(reply.getMessage()));
    }
    return Response.failureClipped(request.id(), Failure.PROCEDURE_FAILED.code(), String.valueOf(cause.getMessage()));
  }

  private void onResponse(Response response) {
    PendingRequests.Answer<Message<Object>> answer = requests.answer(response.id());
    if (answer instanceof PendingRequests.Answer.Awaited<Message<Object>> awaited) {
      if (response.isSuccess()) {
        awaited.caller().reply(response.data().value());
      } else {
        awaited.caller().fail(response.status(), "peer " + remoteId + " answered: " + response.error());
      }
    } else if (answer instanceof PendingRequests.Answer.Unknown) {
      pool.publish(PeerEvent.INVALID_MESSAGE_RECEIVED,
          describe().put("error", "response to unknown request " + response.id()));
    }
    // A late answer: its caller has had a timeout already; within the grace period the peer is not penalised.
  }

  private void onNodeInfoUpdate(NodeInfoUpdate update) {
    if (update.nodeInfo().length() > pool.options().getMaxPeerInfoSize()) {
      pool.publish(PeerEvent.FAILED_PEER_INFO_UPDATE, describe()
          .put("error", "nodeInfo of " + update.nodeInfo().length() + " bytes exceeds " + pool.options().getMaxPeerInfoSize()));
      punish(Penalty.INVALID_NODE_INFO.amount(), "nodeInfo update too large", DisconnectReason.INVALID_NODE_INFO,
          "nodeInfo update too large");
      return;
    }
    if (nodeInfoUpdatesReceived.record(System.nanoTime()) > Penalty.NODE_INFO_PUSHES_PER_WINDOW
        && penalize(Penalty.NODE_INFO_PUSH_RATE.amount(), "more than " + Penalty.NODE_INFO_PUSHES_PER_WINDOW
        + " nodeInfo pushes within " + Penalty.NODE_INFO_PUSH_WINDOW_MS + " ms")) {
      return;
    }
    info = info.withNodeInfo((JsonObject) update.nodeInfo().value());
    pool.peerUpdated(this, info);
    pool.publish(PeerEvent.UPDATED_PEER_INFO, info.toJson());
  }

  private void onPong(Pong pong) {
    if (pong.payload() != pingPayload || pingSentNanos == 0) {
      return;
    }
    long latencyMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - pingSentNanos);
    pingSentNanos = 0;
    info = info.withLatency(latencyMicros);
    pool.peerUpdated(this, info);
  }

  private void schedulePing() {
    pingTimer = vertx.setPeriodic(pool.options().getPingInterval(), t -> {
      pingPayload = RANDOM.nextLong();
      pingSentNanos = System.nanoTime();
      send(new Ping(pingPayload));
      double responseRate = requests.responseRate();
      if (responseRate != info.responseRate()) {
        info = info.withResponseRate(responseRate);
        pool.peerUpdated(this, info);
      }
    });
  }

  /** One timer, re-armed for the moment the peer would have been silent for peerTimeout; frames never touch it. */
  private void scheduleLivenessCheck(long delayNanos) {
    livenessTimer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos)), t -> {
      long silentNanos = System.nanoTime() - lastReceivedNanos;
      long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(pool.options().getPeerTimeout());
      if (silentNanos >= timeoutNanos) {
        close(DisconnectReason.PEER_TIMEOUT, "silent for " + TimeUnit.NANOSECONDS.toMillis(silentNanos) + " ms");
      } else {
        scheduleLivenessCheck(timeoutNanos - silentNanos);
      }
    });
  }

  // ------------------------------------------------------------------------------------------------------ mailbox

  private void onCommand(Message<Object> command) {
    if (state != PeerState.CONNECTED) {
      command.fail(Failure.PEER_DISCONNECTED.code(), "peer " + remoteId + " is " + state.jsonName());
      return;
    }
    Object body = command.body();
    if (body instanceof OutgoingMessage message) {
      counters.messagesOut++;
      send(message.frame());
      if (peerSocket.writable() || command.replyAddress() == null) {
        acknowledge(command);
      } else {
        heldAcks.add(command);
      }
    } else if (body instanceof OutgoingRequest request) {
      sendRequest(request, command);
    } else if (body instanceof NodeInfoPush push) {
      pushNodeInfo(push);
      acknowledge(command);
    } else if (body instanceof StatsQuery) {
      command.reply(info.toJson().put("stats", stats()));
    } else if (body instanceof PenaltyCommand penalty) {
      Optional<Reputation.Outcome> outcome = pool.penalize(remote.host(), info.peerId(), penalty.amount(),
          penalty.reason());
      if (outcome.map(Reputation.Outcome::banned).orElse(false)) {
        close(DisconnectReason.BANNED, "banned: " + penalty.reason());
      }
      command.reply(new JsonObject()
          .put("peerId", info.peerId())
          .put("reputation", outcome.map(Reputation.Outcome::score).orElse(info.reputation()))
          .put("banned", outcome.map(Reputation.Outcome::banned).orElse(false)));
    } else {
      command.fail(Failure.BAD_REQUEST.code(), "unknown peer command " + body);
    }
  }

  /**
   * Sends this node's nodeInfo, at most {@value Penalty#NODE_INFO_PUSHES_PER_WINDOW} times per window (plus a
   * second of margin for network jitter), so an honest node never earns the receiver's penalty: a push beyond that
   * waits, and only the latest waiting one is sent.
   */
  private void pushNodeInfo(NodeInfoPush push) {
    long now = System.nanoTime();
    if (nodeInfoPushesSent.count(now) < Penalty.NODE_INFO_PUSHES_PER_WINDOW) {
      nodeInfoPushesSent.record(now);
      send(new NodeInfoUpdate(push.nodeInfo()));
      return;
    }
    deferredPush = push;
    if (deferredPushTimer < 0) {
      long waitMs = TimeUnit.NANOSECONDS.toMillis(nodeInfoPushesSent.nanosUntilRoom(now)) + 1;
      deferredPushTimer = vertx.setTimer(Math.max(1, waitMs), t -> {
        deferredPushTimer = -1;
        NodeInfoPush latest = deferredPush;
        deferredPush = null;
        if (latest != null && state == PeerState.CONNECTED) {
          pushNodeInfo(latest);
        }
      });
    }
  }

  /** Fire-and-forget commands carry no reply address; the others learn that the frame is queued. */
  private static void acknowledge(Message<Object> command) {
    if (command.replyAddress() != null) {
      command.reply(null);
    }
  }

  private void sendRequest(OutgoingRequest request, Message<Object> caller) {
    OptionalLong id = requests.open(caller,
        timedOut -> timedOut.fail(Failure.TIMEOUT.code(), "peer " + remoteId + " did not answer '"
            + request.procedure() + "' within " + pool.options().getAckTimeout() + " ms"),
        unanswered -> penalize(Penalty.UNANSWERED_REQUEST.amount(), "request '" + request.procedure() + "' unanswered"));
    if (id.isEmpty()) {
      caller.fail(Failure.TOO_MANY_REQUESTS.code(), "too many requests in flight to peer " + remoteId);
      return;
    }
    counters.requestsOut++;
    send(request.frame(id.getAsLong()));
  }

  // ------------------------------------------------------------------------------------------------------ writing

  /**
   * Queues a frame. Frames written in one event-loop turn leave in one socket write: a Vert.x socket write on the
   * event loop is a syscall, so coalescing multiplies the frame rate. The outbox is bounded: a peer that does not
   * read is disconnected before it can grow the node's memory.
   */
  private void send(WireMessage message) {
    if (state == PeerState.CLOSING || state == PeerState.CLOSED || peerSocket == null) {
      return;
    }
    counters.framesOut++;
    if (!peerSocket.write(outbox -> codec.encode(message, outbox))) {
      close(DisconnectReason.WRITE_QUEUE_FULL,
          "more than " + pool.options().getMaxWriteQueueSize() + " bytes waiting: the peer does not read");
    }
  }

  private void releaseHeldAcks() {
    while (peerSocket.writable() && !heldAcks.isEmpty()) {
      heldAcks.poll().reply(null);
    }
  }

  // ------------------------------------------------------------------------------------------------------- events

  private void publishSocketError(Throwable error) {
    LOG.debug("Socket error on {}", this, error);
    pool.publish(direction == Direction.INBOUND ? PeerEvent.INBOUND_SOCKET_ERROR : PeerEvent.OUTBOUND_SOCKET_ERROR,
        describe().put("error", String.valueOf(error.getMessage())));
  }

  /** The body common to every event about this peer. */
  JsonObject describe() {
    JsonObject json = new JsonObject()
        .put("peerId", remoteId)
        .put("host", remote.host())
        .put("port", info != null ? info.port() : remote.port())
        .put("direction", direction.jsonName())
        .put("connectionId", connectionId)
        .put("deploymentId", deploymentID());
    return json;
  }

  private JsonObject stats() {
    return counters.toJson().put("bytesOut", peerSocket.bytesOut()).put("latencyMicros", info.latencyMicros())
        .put("queuedBytes", peerSocket.queuedBytes());
  }

  String describeClose() {
    DisconnectReason reason = closeReason == null ? DisconnectReason.NORMAL : closeReason;
    return closeDetail == null ? reason.description() : closeDetail;
  }

  @Override
  public String toString() {
    return direction.jsonName() + " peer " + (remoteId == null ? "?" : remoteId) + "@" + remote;
  }

  /** Per-peer traffic counters, touched only on the verticle's context. */
  private static final class PeerCounters {
    long bytesIn;
    long framesIn;
    long framesOut;
    long messagesIn;
    long messagesOut;
    long requestsIn;
    long requestsOut;

    JsonObject toJson() {
      return new JsonObject()
          .put("bytesIn", bytesIn)
          .put("framesIn", framesIn).put("framesOut", framesOut)
          .put("messagesIn", messagesIn).put("messagesOut", messagesOut)
          .put("requestsIn", requestsIn).put("requestsOut", requestsOut);
    }
  }
}
