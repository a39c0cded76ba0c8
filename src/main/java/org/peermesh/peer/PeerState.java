package org.peermesh.peer;

/** The life of one peer connection; every change is published on {@code <busPrefix>.<protocol>.stateChange}. */
public enum PeerState {
  /** Outbound: the TCP connection is being opened. */
  CONNECTING,
  /** The socket is open and the two sides are proving their identities. */
  HANDSHAKING,
  /** The peer proved its identity and passed every check: messages flow. */
  CONNECTED,
  /** The socket is closed and the peer verticle is undeployed or about to be. */
  CLOSED;

  public String jsonName() {
    return name().toLowerCase();
  }

  public static PeerState fromJsonName(String name) {
    return valueOf(name.toUpperCase());
  }
}
