package org.peermesh.peer;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why a connection ends, for every wire protocol: the one set of close codes of the peer layer. Events carry the
 * code, and a protocol that can tell its peer why (the mesh protocol's {@code Disconnect}) sends it. 1000-1999 end
 * a connection in the normal course of things (the numbers follow WebSocket close codes); 4100 and up name a
 * refusal or a fault.
 */
public enum DisconnectReason {
  NORMAL(1000, "intentional disconnect"),
  NODE_SHUTDOWN(1001, "node is shutting down"),
  INCOMPATIBLE_NETWORK(4100, "peer belongs to a different network"),
  INCOMPATIBLE_PROTOCOL_VERSION(4101, "protocol major versions differ"),
  INVALID_SIGNATURE(4102, "handshake signature does not verify"),
  SELF_CONNECTION(4103, "peer is this node itself"),
  DUPLICATE_CONNECTION(4104, "already connected to this node"),
  HANDSHAKE_TIMEOUT(4105, "handshake not completed in time"),
  PROTOCOL_VIOLATION(4106, "malformed or unexpected frame"),
  PEER_TIMEOUT(4107, "no traffic from peer, presumed dead"),
  WRITE_QUEUE_FULL(4108, "peer does not read, write queue full"),
  INBOUND_SLOTS_FULL(4109, "no free inbound connection slot"),
  BLACKLISTED(4110, "peer is on the configured blacklist"),
  TOO_MANY_PENDING_FROM_IP(4111, "too many pending connections from this IP address"),
  INVALID_NODE_INFO(4112, "node info is invalid"),
  BANNED(4113, "peer is banned for misbehaviour"),
  EVICTED(4114, "evicted to make room for another peer"),
  OUTBOUND_SLOTS_FULL(4115, "no free outbound connection slot"),
  TOO_MANY_PENDING_HANDSHAKES(4116, "too many inbound connections are handshaking");

  private final int code;
  private final String description;

  DisconnectReason(int code, String description) {
    this.code = code;
    this.description = description;
  }

  public int code() {
    return code;
  }

  public String description() {
    return description;
  }

  /** Empty for codes this version does not define, which a newer peer may send. */
  public static Optional<DisconnectReason> fromCode(int code) {
    return Arrays.stream(values()).filter(reason -> reason.code == code).findFirst();
  }
}
