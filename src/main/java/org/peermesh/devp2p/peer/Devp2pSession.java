package org.peermesh.devp2p.peer;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.Failure;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.base.BaseMessageCodes;
import org.peermesh.devp2p.base.Capability;
import org.peermesh.devp2p.base.CapabilityNegotiation;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpJson;
import org.peermesh.net.MalformedInputException;
import org.peermesh.peer.PeerLink;
import org.peermesh.peer.Session;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An RLPx peer once both Hellos are accepted, as go-ethereum's {@code p2p.Peer} runs it: the base protocol's Ping and
 * Pong (and the reserved codes 0x04 to 0x0f, ignored), and each shared capability's messages routed by the
 * negotiated offsets to the stream its {@link Devp2pProtocol} runs on, with codes relative to the capability. A code
 * outside every range ends the connection without a word, as a read error does in geth.
 */
final class Devp2pSession implements Session<RlpxMessage> {

  static final String SEND = "send";
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] EMPTY_LIST = Rlp.encode(org.peermesh.devp2p.rlp.RlpList.EMPTY);

  private final PeerLink<RlpxMessage> link;
  private final Devp2pHandshake established;
  private final SessionPeer peer;
  /** The streams by capability name, in code order. */
  private final Map<String, CapabilityStream> streams = new LinkedHashMap<>();
  private final int maxPayload;
  /** The names of the codes this session negotiated, in metrics ({@link Devp2pMessageTypes#forSession}). */
  private final String[] typeNames;
  private long pingNonce;

  /**
   * @param protocols  what runs each capability we offer
   * @param maxPayload the largest message a send command may carry: the peer's own maxMessageSize
   * @param typeNames  the names of the negotiated codes in metrics
   */
  Devp2pSession(PeerLink<RlpxMessage> link, Devp2pHandshake established, Map<Capability, Devp2pProtocol> protocols,
                int maxPayload, String[] typeNames) {
    this.link = link;
    this.typeNames = typeNames;
    this.maxPayload = maxPayload;
    this.established = established;
    this.peer = new SessionPeer(link, established);
    for (CapabilityNegotiation.SharedCapability shared : established.negotiated().shared()) {
      streams.put(shared.capability().name(),
          new CapabilityStream(link, peer, shared, protocols.get(shared.capability())));
    }
  }

  @Override
  public void start() {
    for (CapabilityStream stream : streams.values()) {
      if (!stream.start()) {
        // Its Run failed and the peer is disconnected: the others are not started.
        return;
      }
    }
  }

  @Override
  public void onMessage(RlpxMessage message) {
    RlpxMessage.Frame frame = (RlpxMessage.Frame) message;
    int code = frame.code();
    if (code == BaseMessageCodes.PING) {
      link.send(RlpxMessage.Frame.owning(BaseMessageCodes.PONG, EMPTY_LIST));
      return;
    }
    if (code == BaseMessageCodes.PONG) {
      link.pong(pingNonce);
      return;
    }
    if (code < BaseMessageCodes.FIRST_SUBPROTOCOL) {
      // A second Hello and the reserved codes: geth discards them.
      return;
    }
    Optional<CapabilityNegotiation.Route> route = established.negotiated().byCode(code);
    if (route.isEmpty()) {
      link.refuse(Devp2pRefusals.malformed("unknown_code", "message code 0x" + Integer.toHexString(code)
          + " outside every shared capability's range").refusal());
      return;
    }
    streams.get(route.get().capability().name()).receive(route.get().relativeCode(), frame.payloadArray());
  }

  /** A capability's message by its negotiated code; the base protocol's are the protocol's to name. */
  @Override
  public String messageType(RlpxMessage message) {
    if (message instanceof RlpxMessage.Frame frame && frame.code() >= BaseMessageCodes.FIRST_SUBPROTOCOL) {
      return Devp2pMessageTypes.inSession(typeNames, frame.code());
    }
    return null;
  }

  /** devp2p's Ping carries no nonce: the pong answers the latest ping. */
  @Override
  public RlpxMessage ping(long nonce) {
    pingNonce = nonce;
    return RlpxMessage.Frame.owning(BaseMessageCodes.PING, EMPTY_LIST);
  }

  @Override
  public void drained() {
    streams.values().forEach(CapabilityStream::drained);
  }

  @Override
  public void closed(String reason) {
    streams.values().forEach(stream -> stream.ended(reason));
  }

  @Override
  public void describe(JsonObject info) {
    JsonArray capabilities = new JsonArray();
    established.negotiated().shared().forEach(shared -> capabilities.add(shared.capability().toString()));
    info.put("id", established.remoteId().hex())
        .put("enode", peer.enode())
        .put("clientId", established.hello().clientId())
        .put("capabilities", capabilities);
  }

  /**
   * {@code send}: {@code {"peer", "capability", "code", "rlp": "0x..."}} or {@code "items": [...]} (nested JSON, as
   * messages arrive on the bus), on any capability the peer shares; the code is relative to the capability.
   */
  @Override
  public Future<JsonObject> command(String action, JsonObject body) {
    if (!action.equals(SEND)) {
      return Session.super.command(action, body);
    }
    String capability = body.getValue("capability") instanceof String name ? name : null;
    CapabilityStream stream = capability == null ? null : streams.get(capability);
    if (stream == null) {
      return Future.failedFuture(Failure.BAD_REQUEST.exception("send needs \"capability\", one of " + streams.keySet()
          + " that peer " + link.name() + " shares, not " + body.getValue("capability")));
    }
    byte[] payload;
    try {
      payload = payloadOf(body, maxPayload);
    } catch (IllegalArgumentException | ClassCastException | MalformedInputException e) {
      return Future.failedFuture(Failure.BAD_REQUEST.exception(e.getMessage()));
    }
    Object code = body.getValue("code");
    if (!(code instanceof Integer relative)) {
      return Future.failedFuture(Failure.BAD_REQUEST.exception("send needs an integer \"code\", not " + code));
    }
    return stream.writeMsg(relative, payload)
        .recover(err -> Future.failedFuture(Failure.BAD_REQUEST.exception(err.getMessage())))
        .map(v -> link.header().put("capability", capability).put("code", relative));
  }

  private static byte[] payloadOf(JsonObject body, int maxPayload) {
    Object rlp = body.getValue("rlp");
    Object items = body.getValue("items");
    if ((rlp == null) == (items == null)) {
      throw new IllegalArgumentException("send needs one of \"rlp\" (hex) and \"items\" (nested JSON)");
    }
    if (rlp != null) {
      String hex = (String) rlp;
      if (hex.length() > 2 + 2L * maxPayload) {
        throw new IllegalArgumentException("\"rlp\" over maxMessageSize, " + maxPayload + " bytes");
      }
      byte[] bytes = HEX.parseHex(hex.startsWith("0x") ? hex.substring(2) : hex);
      Rlp.decode(bytes);
      return bytes;
    }
    return Rlp.encode(RlpJson.fromJson(items, maxPayload));
  }

  /** The reason a failure ends the connection with, as go-ethereum's {@code discReasonForError}. */
  static Devp2pDisconnectReason reasonFor(Throwable cause) {
    if (cause instanceof org.peermesh.devp2p.Devp2pDisconnectException disconnect) {
      return disconnect.reason();
    }
    if (cause instanceof org.peermesh.devp2p.InvalidMessageException) {
      return Devp2pDisconnectReason.PROTOCOL_ERROR;
    }
    return Devp2pDisconnectReason.SUBPROTOCOL_ERROR;
  }
}
