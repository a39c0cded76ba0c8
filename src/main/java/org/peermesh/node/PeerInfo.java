package org.peermesh.node;

import io.vertx.core.json.JsonObject;

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
 * @param latencyMs  the last ping round trip in milliseconds, or -1 before the first pong
 * @param nodeInfo   the peer's application nodeInfo, as last received
 * @param fixed      the peer is one of the node's fixedPeers (always kept, always selected for send)
 * @param whitelisted the peer is one of the node's whitelistedPeers
 */
public record PeerInfo(String peerId, String host, int port, Direction direction, PeerState state, long latencyMs,
                       JsonObject nodeInfo, boolean fixed, boolean whitelisted) {

  public PeerInfo {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(state, "state");
    nodeInfo = nodeInfo == null ? new JsonObject() : nodeInfo.copy();
  }

  @Override
  public JsonObject nodeInfo() {
    return nodeInfo.copy();
  }

  public PeerAddress address() {
    return new PeerAddress(host, port);
  }

  public PeerInfo withState(PeerState newState) {
    return new PeerInfo(peerId, host, port, direction, newState, latencyMs, nodeInfo, fixed, whitelisted);
  }

  public PeerInfo withLatency(long newLatencyMs) {
    return new PeerInfo(peerId, host, port, direction, state, newLatencyMs, nodeInfo, fixed, whitelisted);
  }

  public PeerInfo withNodeInfo(JsonObject newNodeInfo) {
    return new PeerInfo(peerId, host, port, direction, state, latencyMs, newNodeInfo, fixed, whitelisted);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("peerId", peerId)
        .put("host", host)
        .put("port", port)
        .put("direction", direction == null ? null : direction.jsonName())
        .put("state", state.jsonName())
        .put("latencyMs", latencyMs)
        .put("nodeInfo", nodeInfo.copy());
    if (fixed) {
      json.put("fixed", true);
    }
    if (whitelisted) {
      json.put("whitelisted", true);
    }
    return json;
  }
}
