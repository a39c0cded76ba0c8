package org.peermesh.bus;

/**
 * The node events, each published on {@code <busPrefix>.event.<eventName>}. The names are lisk-p2p's constants in
 * camelCase without {@code EVENT_} ({@code EVENT_NEW_INBOUND_PEER} is {@code newInboundPeer}); {@link #PEER_PENALIZED}
 * and {@link #OUTBOUND_SHUFFLED} are PeerMesh's own. A mesh connection's state changes are published as every
 * protocol's are, on {@code <busPrefix>.mesh.stateChange}. The README documents the body of each.
 */
public enum PeerEvent {
  NEW_INBOUND_PEER("newInboundPeer"),
  FAILED_TO_ADD_INBOUND_PEER("failedToAddInboundPeer"),
  NETWORK_READY("networkReady"),
  REMOVE_PEER("removePeer"),
  REQUEST_RECEIVED("requestReceived"),
  INVALID_REQUEST_RECEIVED("invalidRequestReceived"),
  MESSAGE_RECEIVED("messageReceived"),
  INVALID_MESSAGE_RECEIVED("invalidMessageReceived"),
  BAN_PEER("banPeer"),
  UNBAN_PEER("unbanPeer"),
  DISCOVERED_PEER("discoveredPeer"),
  UPDATED_PEER_INFO("updatedPeerInfo"),
  FAILED_PEER_INFO_UPDATE("failedPeerInfoUpdate"),
  FAILED_TO_COLLECT_PEER_DETAILS_ON_CONNECT("failedToCollectPeerDetailsOnConnect"),
  FAILED_TO_FETCH_PEERS("failedToFetchPeers"),
  FAILED_TO_FETCH_PEER_INFO("failedToFetchPeerInfo"),
  FAILED_TO_PUSH_NODE_INFO("failedToPushNodeInfo"),
  FAILED_TO_SEND_MESSAGE("failedToSendMessage"),
  CLOSE_INBOUND("closeInbound"),
  INBOUND_SOCKET_ERROR("inboundSocketError"),
  CONNECT_OUTBOUND("connectOutbound"),
  CONNECT_ABORT_OUTBOUND("connectAbortOutbound"),
  CLOSE_OUTBOUND("closeOutbound"),
  OUTBOUND_SOCKET_ERROR("outboundSocketError"),
  EVICTED_PEER("evictedPeer"),
  PEER_PENALIZED("peerPenalized"),
  OUTBOUND_SHUFFLED("outboundShuffled");

  private final String eventName;

  PeerEvent(String eventName) {
    this.eventName = eventName;
  }

  public String eventName() {
    return eventName;
  }
}
