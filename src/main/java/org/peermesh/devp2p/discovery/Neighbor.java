package org.peermesh.devp2p.discovery;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A node as discv4 passes it on: its id and where it listens. The entries of a Neighbors packet, and what the
 * {@link NodeTable} keeps of a node.
 */
public record Neighbor(InetAddress ip, int udp, int tcp, NodeId id) {

  public Neighbor {
    Objects.requireNonNull(ip, "ip");
    Ports.require(udp, "udp");
    Ports.require(tcp, "tcp");
    Objects.requireNonNull(id, "id");
  }
}
