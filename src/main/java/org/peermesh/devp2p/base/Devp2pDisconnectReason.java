package org.peermesh.devp2p.base;

import java.util.Arrays;
import java.util.Optional;

/**
 * The reasons a devp2p Disconnect gives, with go-ethereum's words for them ({@code p2p/peer_error.go}), so that logs
 * read the same as a geth operator's. Named apart from {@code org.peermesh.peer.DisconnectReason}, PeerMesh's own
 * protocol's reasons; a Disconnect may carry a code outside this list, which {@link DisconnectMessage} keeps as a
 * number.
 */
public enum Devp2pDisconnectReason {
  REQUESTED(0x00, "disconnect requested"),
  NETWORK_ERROR(0x01, "network error"),
  PROTOCOL_ERROR(0x02, "breach of protocol"),
  USELESS_PEER(0x03, "useless peer"),
  TOO_MANY_PEERS(0x04, "too many peers"),
  ALREADY_CONNECTED(0x05, "already connected"),
  INCOMPATIBLE_VERSION(0x06, "incompatible p2p protocol version"),
  INVALID_IDENTITY(0x07, "invalid node identity"),
  QUITTING(0x08, "client quitting"),
  UNEXPECTED_IDENTITY(0x09, "unexpected identity"),
  CONNECTED_TO_SELF(0x0a, "connected to self"),
  READ_TIMEOUT(0x0b, "read timeout"),
  SUBPROTOCOL_ERROR(0x10, "subprotocol error");

  private final int code;
  private final String words;

  Devp2pDisconnectReason(int code, String words) {
    this.code = code;
    this.words = words;
  }

  /** The reason with {@code code}, if devp2p defines one. */
  public static Optional<Devp2pDisconnectReason> fromCode(int code) {
    return Arrays.stream(values()).filter(reason -> reason.code == code).findFirst();
  }

  public int code() {
    return code;
  }

  /** go-ethereum's words for this reason. */
  public String words() {
    return words;
  }
}
