package org.peermesh.peer;

import io.vertx.core.json.JsonObject;
import org.peermesh.net.PeerAddress;
import org.peermesh.reputation.Reputation;

import java.util.Objects;

/**
 * What the node knows of one peer at a moment: an immutable snapshot, as listed by {@code peers} and given to the
 * selection functions.
 *
 * @param peerId     the peer's id (from its proven public key); null for a configured address never connected
 * @param host       the peer's IP address
 * @param port       the port the peer listens on (advertised in its handshake; 0 if it does not listen)
 * @param direction  who opened the connection; null for a disconnected peer
 * @param state      the connection state
 * @param latencyMicros the last ping round trip in microseconds (every protocol's unit), or -1 before the first pong
 * @param nodeInfo   the peer's application nodeInfo, as last received
 * @param fixed      the peer is one of the node's fixedPeers (always kept, always selected for send)
 * @param whitelisted the peer is one of the node's whitelistedPeers
 * @param connectedAt when the peer was admitted, in epoch milliseconds; 0 if it is not connected
 * @param responseRate the share of our requests the peer answered, from 0 to 1; 1 before any request
 * @param reputation the peer's score, 100 at first; at 0 it is banned
 */
public record PeerInfo(String peerId, String host, int port, Direction direction, PeerState state, long latencyMicros,
                       JsonObject nodeInfo, boolean fixed, boolean whitelisted, long connectedAt,
                       double responseRate, int reputation) {

  public static final int INITIAL_REPUTATION = Reputation.INITIAL_SCORE;

  public PeerInfo {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(state, "state");
    nodeInfo = nodeInfo == null ? new JsonObject() : nodeInfo.copy();
  }

  /** A peer known only by its address: configured, or once connected. */
  public static PeerInfo disconnected(String peerId, PeerAddress address, JsonObject nodeInfo, boolean fixed,
                                      boolean whitelisted) {
    return new PeerInfo(peerId, address.host(), address.port(), null, PeerState.CLOSED, -1, nodeInfo, fixed,
        whitelisted, 0, 1, INITIAL_REPUTATION);
  }

  @Override
  public JsonObject nodeInfo() {
    return nodeInfo.copy();
  }

  public PeerAddress address() {
    return new PeerAddress(host, port);
  }

  public PeerInfo withState(PeerState newState) {
    return new PeerInfo(peerId, host, port, direction, newState, latencyMicros, nodeInfo, fixed, whitelisted,
        connectedAt, responseRate, reputation);
  }

  public PeerInfo withLatency(long newLatencyMicros) {
    return new PeerInfo(peerId, host, port, direction, state, newLatencyMicros, nodeInfo, fixed, whitelisted,
        connectedAt, responseRate, reputation);
  }

  public PeerInfo withNodeInfo(JsonObject newNodeInfo) {
    return new PeerInfo(peerId, host, port, direction, state, latencyMicros, newNodeInfo, fixed, whitelisted,
        connectedAt, responseRate, reputation);
  }

  public PeerInfo withResponseRate(double newResponseRate) {
    return new PeerInfo(peerId, host, port, direction, state, latencyMicros, nodeInfo, fixed, whitelisted,
        connectedAt, newResponseRate, reputation);
  }

  public PeerInfo withReputation(int newReputation) {
    return new PeerInfo(peerId, host, port, direction, state, latencyMicros, nodeInfo, fixed, whitelisted,
        connectedAt, responseRate, newReputation);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("peerId", peerId)
        .put("host", host)
        .put("port", port)
        .put("direction", direction == null ? null : direction.jsonName())
        .put("state", state.jsonName())
        .put("latencyMicros", latencyMicros)
        .put("nodeInfo", nodeInfo.copy())
        .put("reputation", reputation);
    if (connectedAt > 0) {
      json.put("connectedAt", connectedAt).put("responseRate", responseRate);
    }
    if (fixed) {
      json.put("fixed", true);
    }
    if (whitelisted) {
      json.put("whitelisted", true);
    }
    return json;
  }

  /** The inverse of {@link #toJson()}, for what other members of a cluster publish of their peers. */
  public static PeerInfo fromJson(JsonObject json) {
    String direction = json.getString("direction");
    long connectedAt = json.getLong("connectedAt", 0L);
    return new PeerInfo(json.getString("peerId"), json.getString("host"), json.getInteger("port"),
        direction == null ? null : Direction.fromJsonName(direction), PeerState.fromJsonName(json.getString("state")),
        json.getLong("latencyMicros", -1L), json.getJsonObject("nodeInfo"), json.getBoolean("fixed", false),
        json.getBoolean("whitelisted", false), connectedAt, connectedAt > 0 ? json.getDouble("responseRate", 1.0) : 1,
        json.getInteger("reputation", INITIAL_REPUTATION));
  }
}
