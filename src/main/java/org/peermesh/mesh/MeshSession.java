package org.peermesh.mesh;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.Failure;
import org.peermesh.bus.PeerEvent;
import org.peermesh.bus.SharedJsonCodec;
import org.peermesh.mesh.wire.AppMessage;
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
import org.peermesh.peer.OutboundFlow;
import org.peermesh.peer.PeerInfo;
import org.peermesh.peer.PeerLink;
import org.peermesh.peer.PeerMetrics;
import org.peermesh.peer.PendingRequests;
import org.peermesh.peer.RateWindow;
import org.peermesh.peer.Refusal;
import org.peermesh.peer.Session;
import org.peermesh.peer.SlidingWindow;
import org.peermesh.reputation.Penalty;
import org.peermesh.reputation.Reputation;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * What a connected mesh peer does: its application messages and requests go to the bus, our sends and requests to it
 * come from its typed mailbox ({@code <busPrefix>.peer.<peerId>}), requests are correlated with their answers, pings
 * are answered, nodeInfo pushes kept within the receiver's window both ways, and the peer's message rate judged
 * (lisk-p2p's {@code wsMaxMessageRate}). Runs on the connection's context; the layer owns the rest.
 */
final class MeshSession implements Session<WireMessage> {

  /** How many requests a peer may have waiting on our consumers: more are refused, never queued. */
  static final int MAX_INBOUND_REQUESTS_IN_FLIGHT = 256;
  /** How long after ackTimeout an answer still saves the peer from the unanswered-request penalty. */
  private static final long UNANSWERED_GRACE_MS = 5_000;
  /** A request's body is mutable, one copy per consumer: Vert.x's own codec. */
  private static final DeliveryOptions REQUEST_DELIVERY = new DeliveryOptions();
  /** Margin over the receiver's nodeInfo push window, for network jitter between pushes. */
  private static final long PUSH_WINDOW_MARGIN_MS = 1_000;

  private final PeerLink<WireMessage> link;
  private final PeerPool pool;
  private final MeshOptions options;
  private final BusAddresses addresses;
  private final DeliveryOptions receivedDelivery;
  /** What the node knows of the peer: admitted with it, then its latency, responsiveness and nodeInfo. */
  private PeerInfo info;
  /** Our requests to the peer. The peer's own consumer may time out when we do: its answer gets a grace period. */
  private final PendingRequests<Message<Object>> requests;
  /** Local senders' messages, at the peer's pace. */
  private final OutboundFlow<WireMessage> outbound;
  private int inboundRequestsInFlight;
  private MessageConsumer<Object> mailbox;
  private boolean closed;
  /** Whether this peer is marked backed up in the pool's {@link PeerBacklog}. */
  private boolean markedBackedUp;

  // What reputation is judged on: message rate per aligned window, protocol requests, nodeInfo pushes, answers.
  private final RateWindow messageRate;
  private final Map<String, Long> lastProtocolRequestNanos = new HashMap<>();
  private final SlidingWindow nodeInfoUpdatesReceived = new SlidingWindow(Penalty.NODE_INFO_PUSH_WINDOW_MS);
  /** Our pushes, within the receiver's window and a margin for network jitter between pushes. */
  private final SlidingWindow nodeInfoPushesSent =
      new SlidingWindow(Penalty.NODE_INFO_PUSH_WINDOW_MS + PUSH_WINDOW_MARGIN_MS);
  private NodeInfoPush deferredPush;
  private long deferredPushTimer = -1;

  /**
   * The latest event received and its address: a stream repeats one event, whose address is then built, and hashed
   * by the event bus, once.
   */
  private String lastEvent = "";
  private String lastEventAddress;
  private long messagesIn;
  private long requestsIn;
  private long requestsOut;

  MeshSession(PeerLink<WireMessage> link, PeerPool pool, PeerInfo admitted) {
    this.link = link;
    this.pool = pool;
    this.options = pool.options();
    this.addresses = pool.busAddresses();
    this.receivedDelivery = SharedJsonCodec.deliveryFor(link.vertx());
    this.info = admitted;
    this.messageRate = new RateWindow(options.getRateCalculationInterval());
    this.requests = new PendingRequests<>(link.vertx(), MAX_INBOUND_REQUESTS_IN_FLIGHT * 4, options.getAckTimeout(),
        UNANSWERED_GRACE_MS, link.metrics());
    this.outbound = new OutboundFlow<>(link, admitted.peerId(),
        message -> ((AppMessage) message).frameLength() + Integer.BYTES, options.getAckTimeout(),
        options.getMaxWriteQueueSize());
  }

  @Override
  public void start() {
    mailbox = link.vertx().eventBus().consumer(addresses.peer(info.peerId()), this::onCommand);
  }

  @Override
  public void closed(String reason) {
    closed = true;
    mailbox.unregister();
    if (deferredPushTimer >= 0) {
      link.vertx().cancelTimer(deferredPushTimer);
    }
    requests.close((id, caller) -> caller.fail(Failure.PEER_DISCONNECTED.code(),
        "peer " + info.peerId() + " disconnected: " + reason));
    if (markedBackedUp) {
      pool.backlog().drained(info.peerId());
    }
    outbound.closed(reason);
  }

  // ------------------------------------------------------------------------------------------------------ reading

  @Override
  public void onMessage(WireMessage message) {
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
      link.send(new Pong(ping.payload()));
    } else if (message instanceof Pong pong) {
      onPong(pong);
    } else if (message instanceof NodeInfoUpdate update) {
      onNodeInfoUpdate(update);
    } else {
      link.refuse(Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, MeshHandshaker.Kind.UNEXPECTED_MESSAGE,
          "a second " + message.getClass().getSimpleName() + " after the handshake", Penalty.MALFORMED_FRAME.amount()));
    }
  }

  /** A frame of a type a newer minor version may send: reported as lisk-p2p does, never held against the peer. */
  @Override
  public boolean skipped(String kind, String detail) {
    pool.publish(PeerEvent.INVALID_MESSAGE_RECEIVED, pool.describe(link).put("error", detail));
    return true;
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
    double perSecond = frames * 1000.0 / options.getRateCalculationInterval();
    int limit = options.getWsMaxMessageRate();
    int penalty = Penalty.forMessageRate(perSecond, limit, options.getWsMaxMessageRatePenalty());
    return penalty > 0
        && link.penalize(penalty, String.format("%.0f messages/s, over the limit of %d/s", perSecond, limit));
  }

  private void onAppMessage(AppMessage app) {
    messagesIn++;
    // Frozen, the one body goes to every consumer of both addresses in this JVM without a copy each.
    Map<String, Object> fields = new LinkedHashMap<>(8);
    fields.put("protocol", BusAddresses.MESH);
    fields.put("peerId", info.peerId());
    fields.put("event", app.event());
    fields.put("data", app.data().frozenValue());
    JsonObject body = new JsonObject(Collections.unmodifiableMap(fields));
    link.vertx().eventBus().publish(messageAddress(app.event()), body, receivedDelivery);
    pool.publishPerMessage(PeerEvent.MESSAGE_RECEIVED, body, receivedDelivery);
  }

  private String messageAddress(String event) {
    if (!event.equals(lastEvent)) {
      lastEvent = event;
      lastEventAddress = addresses.message(event);
    }
    return lastEventAddress;
  }

  private void onRequest(Request request) {
    requestsIn++;
    if (ProtocolProcedures.isProtocolProcedure(request.procedure())) {
      onProtocolRequest(request);
      return;
    }
    if (inboundRequestsInFlight >= MAX_INBOUND_REQUESTS_IN_FLIGHT) {
      link.send(Response.failure(request.id(), Failure.TOO_MANY_REQUESTS.code(),
          "more than " + MAX_INBOUND_REQUESTS_IN_FLIGHT + " requests in flight"));
      return;
    }
    JsonObject body = new JsonObject()
        .put("protocol", BusAddresses.MESH)
        .put("peerId", info.peerId())
        .put("procedure", request.procedure())
        .put("data", request.data().value());
    pool.publishPerMessage(PeerEvent.REQUEST_RECEIVED, body, REQUEST_DELIVERY);
    inboundRequestsInFlight++;
    long received = System.nanoTime();
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(options.getAckTimeout());
    link.vertx().eventBus().request(addresses.rpc(request.procedure()), body, delivery).onComplete(ar -> {
      inboundRequestsInFlight--;
      long servedNanos = System.nanoTime() - received;
      if (closed) {
        link.metrics().requestCompleted(Direction.INBOUND, PeerMetrics.RequestOutcome.DISCONNECTED, servedNanos);
        return;
      }
      if (ar.succeeded()) {
        link.metrics().requestCompleted(Direction.INBOUND, PeerMetrics.RequestOutcome.OK, servedNanos);
        link.send(answer(request, ar.result().body()));
        return;
      }
      Response failure = failureResponse(request, ar.cause());
      link.metrics().requestCompleted(Direction.INBOUND, failure.status() == Failure.TIMEOUT.code()
          ? PeerMetrics.RequestOutcome.TIMEOUT : PeerMetrics.RequestOutcome.FAILED, servedNanos);
      if (failure.status() == Failure.NO_HANDLER.code()) {
        pool.publish(PeerEvent.INVALID_REQUEST_RECEIVED, pool.describe(link)
            .put("procedure", request.procedure())
            .put("error", failure.error()));
      }
      link.send(failure);
    });
  }

  /** getPeers and getNodeInfo: answered here, once per rateCalculationInterval each. */
  private void onProtocolRequest(Request request) {
    long now = System.nanoTime();
    Long previous = lastProtocolRequestNanos.put(request.procedure(), now);
    long windowNanos = TimeUnit.MILLISECONDS.toNanos(options.getRateCalculationInterval());
    if (previous != null && now - previous < windowNanos) {
      link.send(Response.failure(request.id(), Failure.TOO_MANY_REQUESTS.code(),
          request.procedure() + " asked again within " + options.getRateCalculationInterval() + " ms"));
      link.penalize(Penalty.PROTOCOL_REQUEST_RATE.amount(), request.procedure() + " asked again too soon");
      return;
    }
    if (ProtocolProcedures.GET_PEERS.equals(request.procedure())) {
      JsonArray peers = new JsonArray();
      for (PeerAddress address : pool.hooks().sampleForGetPeers()) {
        if (!address.equals(info.address())) {
          peers.add(address.toJson());
        }
      }
      link.send(answer(request, new JsonObject().put("peers", peers)));
    } else {
      link.send(Response.success(request.id(), pool.nodeInfo()));
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
    if (response.frameLength() > options.getMaxMessageSize()) {
      return Response.failure(request.id(), Failure.PROCEDURE_FAILED.code(), "the answer to '" + request.procedure()
          + "' makes a frame of " + response.frameLength() + " bytes, more than mesh.maxMessageSize "
          + options.getMaxMessageSize());
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
      int code = reply.failureCode() > 0 && reply.failureCode() <= 0xFFFF ? reply.failureCode()
          : Failure.PROCEDURE_FAILED.code();
      return Response.failureClipped(request.id(), code, String.valueOf(reply.getMessage()));
    }
    return Response.failureClipped(request.id(), Failure.PROCEDURE_FAILED.code(), String.valueOf(cause.getMessage()));
  }

  private void onResponse(Response response) {
    PendingRequests.Answer<Message<Object>> answer = requests.answer(response.id(), response.isSuccess());
    if (answer instanceof PendingRequests.Answer.Awaited<Message<Object>> awaited) {
      if (response.isSuccess()) {
        awaited.caller().reply(response.data().value());
      } else {
        awaited.caller().fail(response.status(), "peer " + info.peerId() + " answered: " + response.error());
      }
    } else if (answer instanceof PendingRequests.Answer.Unknown) {
      pool.publish(PeerEvent.INVALID_MESSAGE_RECEIVED,
          pool.describe(link).put("error", "response to unknown request " + response.id()));
    }
    // A late answer: its caller has had a timeout already; within the grace period the peer is not penalised.
  }

  private void onNodeInfoUpdate(NodeInfoUpdate update) {
    if (update.nodeInfo().length() > options.getMaxPeerInfoSize()) {
      String detail = "nodeInfo of " + update.nodeInfo().length() + " bytes exceeds " + options.getMaxPeerInfoSize();
      pool.publish(PeerEvent.FAILED_PEER_INFO_UPDATE, pool.describe(link).put("error", detail));
      link.refuse(Refusal.violation(DisconnectReason.INVALID_NODE_INFO, PeerPool.NODE_INFO_UPDATE_TOO_LARGE, detail,
          Penalty.INVALID_NODE_INFO.amount()));
      return;
    }
    if (nodeInfoUpdatesReceived.record(System.nanoTime()) > Penalty.NODE_INFO_PUSHES_PER_WINDOW
        && link.penalize(Penalty.NODE_INFO_PUSH_RATE.amount(), "more than " + Penalty.NODE_INFO_PUSHES_PER_WINDOW
        + " nodeInfo pushes within " + Penalty.NODE_INFO_PUSH_WINDOW_MS + " ms")) {
      return;
    }
    update(info.withNodeInfo((JsonObject) update.nodeInfo().value()));
    pool.publish(PeerEvent.UPDATED_PEER_INFO, info.toJson());
  }

  /** The keepalive, every pingInterval: the moment to tell the pool how responsive the peer has been. */
  @Override
  public WireMessage ping(long nonce) {
    double responseRate = requests.responseRate();
    if (responseRate != info.responseRate()) {
      update(info.withResponseRate(responseRate));
    }
    return new Ping(nonce);
  }

  /** The layer measures the round trip; the directory lists the peer's latency. */
  private void onPong(Pong pong) {
    link.pong(pong.payload());
    if (link.latencyMicros() != info.latencyMicros()) {
      update(info.withLatency(link.latencyMicros()));
    }
  }

  private void update(PeerInfo updated) {
    info = updated;
    pool.sessionUpdated(link, updated);
  }

  // ------------------------------------------------------------------------------------------------------ mailbox

  private void onCommand(Message<Object> command) {
    if (closed) {
      command.fail(Failure.PEER_DISCONNECTED.code(), "peer " + info.peerId() + " is closed");
      return;
    }
    Object body = command.body();
    if (body instanceof OutgoingMessage message) {
      sendMessages(command, List.of(message.frame()));
    } else if (body instanceof OutgoingBatch batch) {
      sendMessages(command, batch.frames());
    } else if (body instanceof OutgoingRequest request) {
      sendRequest(request, command);
    } else if (body instanceof NodeInfoPush push) {
      pushNodeInfo(push);
      acknowledge(command);
    } else if (body instanceof StatsQuery) {
      command.reply(info.toJson().put("stats", stats()));
    } else if (body instanceof PenaltyCommand penalty) {
      // A ban ends the connection through the pool, which ends every connection of a banned peer.
      Optional<Reputation.Outcome> outcome = pool.penalize(link.remote().host(), info.peerId(), penalty.amount(),
          penalty.reason());
      command.reply(new JsonObject()
          .put("peerId", info.peerId())
          .put("reputation", outcome.map(Reputation.Outcome::score).orElse(info.reputation()))
          .put("banned", outcome.map(Reputation.Outcome::banned).orElse(false)));
    } else {
      command.fail(Failure.BAD_REQUEST.code(), "unknown peer command " + body);
    }
  }

  /**
   * A local sender's messages, at the peer's pace ({@link OutboundFlow}): the sender is answered once they are queued
   * and the socket takes more, so one that waits for its answers never outruns a peer that reads. A failure goes to
   * the sender; a sender that asked for no answer (a router's delivery to the peers this JVM holds) is not there to
   * hear it, so the failure is published as {@code failedToSendMessage}, as PeerMailboxes publishes the others.
   */
  private void sendMessages(Message<Object> command, List<AppMessage> frames) {
    outbound.send(frames).onComplete(ar -> {
      if (ar.succeeded()) {
        acknowledge(command);
      } else if (command.replyAddress() != null) {
        ReplyException failure = (ReplyException) ar.cause();
        command.fail(failure.failureCode(), failure.getMessage());
      } else {
        pool.publish(PeerEvent.FAILED_TO_SEND_MESSAGE, new JsonObject()
            .put("peerId", info.peerId())
            .put("event", frames.get(0).event())
            .put("error", ar.cause().getMessage()));
      }
    });
    if (outbound.backedUp() && !markedBackedUp) {
      markedBackedUp = true;
      pool.backlog().backedUp(info.peerId());
    }
  }

  @Override
  public void drained() {
    outbound.drained();
    if (markedBackedUp && !outbound.backedUp()) {
      markedBackedUp = false;
      pool.backlog().drained(info.peerId());
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
      link.send(new NodeInfoUpdate(push.nodeInfo()));
      return;
    }
    deferredPush = push;
    if (deferredPushTimer < 0) {
      long waitMs = TimeUnit.NANOSECONDS.toMillis(nodeInfoPushesSent.nanosUntilRoom(now)) + 1;
      deferredPushTimer = link.vertx().setTimer(Math.max(1, waitMs), t -> {
        deferredPushTimer = -1;
        NodeInfoPush latest = deferredPush;
        deferredPush = null;
        if (latest != null && !closed) {
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
        timedOut -> timedOut.fail(Failure.TIMEOUT.code(), "peer " + info.peerId() + " did not answer '"
            + request.procedure() + "' within " + options.getAckTimeout() + " ms"),
        unanswered -> link.penalize(Penalty.UNANSWERED_REQUEST.amount(),
            "request '" + request.procedure() + "' unanswered"));
    if (id.isEmpty()) {
      caller.fail(Failure.TOO_MANY_REQUESTS.code(), "too many requests in flight to peer " + info.peerId());
      return;
    }
    requestsOut++;
    link.send(request.frame(id.getAsLong()));
  }

  private JsonObject stats() {
    return link.traffic()
        .put("messagesIn", messagesIn).put("messagesOut", outbound.messagesQueued())
        .put("requestsIn", requestsIn).put("requestsOut", requestsOut)
        .put("latencyMicros", info.latencyMicros());
  }
}
