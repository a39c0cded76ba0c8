package org.peermesh.bitcoin.peer;

import java.util.Locale;

/** bitcore's peer states, in the order a connection passes them; a peer ends where it started, disconnected. */
public enum BitcoinPeerState {
  DISCONNECTED,
  /** Dialing, through the proxy if there is one. */
  CONNECTING,
  /** The socket is open and the version/verack handshake under way. */
  CONNECTED,
  /** Both versions and both veracks exchanged: messages flow. */
  READY;

  /** The name in events and replies: {@code "ready"}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
