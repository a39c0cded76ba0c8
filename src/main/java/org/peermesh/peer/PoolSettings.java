package org.peermesh.peer;

import java.util.List;
import java.util.Objects;

/**
 * The settings every protocol's peer pool takes, from that protocol's config section. Durations are milliseconds.
 *
 * @param listen                    where inbound peers connect; null: the pool does not listen
 * @param connect                   peers dialed at start and redialed whenever their connection ends
 * @param proxy                     a SOCKS5 proxy for every dial; null: direct
 * @param defaultPort               the port a connect command dials when it names none
 * @param maxInbound                inbound connections at once
 * @param maxPendingHandshakesPerIP inbound connections one IP may have short of an established handshake
 * @param maxMessageSize            the largest frame a peer may send or be sent; a peer that does not read is cut
 *                                  off once twice as much waits for it
 * @param connectTimeout            to open a connection, proxy included
 * @param handshakeTimeout          from the open socket to the established handshake
 * @param pingInterval              between keepalive pings, and between liveness checks
 * @param peerTimeout               a peer silent this long, or owing a pong this long, is disconnected
 * @param reconnectInterval         the first wait before a {@code connect} peer is redialed; doubled per failure
 * @param peerBanTime               how long a peer whose score reached 0 stays banned
 */
public record PoolSettings(PeerAddress listen, List<PeerAddress> connect, PeerAddress proxy, int defaultPort,
                           int maxInbound, int maxPendingHandshakesPerIP, int maxMessageSize, long connectTimeout,
                           long handshakeTimeout, long pingInterval, long peerTimeout, long reconnectInterval,
                           long peerBanTime) {

  public PoolSettings {
    connect = List.copyOf(Objects.requireNonNull(connect, "connect"));
  }
}
