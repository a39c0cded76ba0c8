package org.peermesh.devp2p.discovery;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Where a node listens, as a Ping and a Pong carry it: an IP (4 or 16 bytes on the wire), a UDP port for discovery
 * and a TCP port for RLPx (0 in a Ping's recipient endpoint, which has no meaning there).
 */
public record Endpoint(InetAddress ip, int udp, int tcp) {

  public Endpoint {
    Objects.requireNonNull(ip, "ip");
    Ports.require(udp, "udp");
    Ports.require(tcp, "tcp");
  }
}
