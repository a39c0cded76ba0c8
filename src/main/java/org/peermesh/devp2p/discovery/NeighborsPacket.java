package org.peermesh.devp2p.discovery;

import org.peermesh.devp2p.rlp.RlpItem;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

import java.util.ArrayList;
import java.util.List;

/**
 * Neighbors (type 4), {@code [[ip, udp, tcp, id]..., expiration]}: (part of) the answer to a FindNode. We send at
 * most {@link #MAX_NODES} per packet, geth's {@code maxNeighbors}, the most that fit in 1280 bytes with IPv6
 * addresses; a received packet may hold more (IPv4 entries are smaller), which is read as it is.
 */
public record NeighborsPacket(List<Neighbor> nodes, long expiration) implements Discv4Packet {

  public static final int TYPE = 4;
  public static final int MAX_NODES = 12;

  public NeighborsPacket {
    nodes = List.copyOf(nodes);
    WireFields.requireExpiration(expiration);
  }

  static NeighborsPacket fromRlp(RlpList data) {
    RlpList list = data.list(0, "nodes");
    List<Neighbor> nodes = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      RlpList node = list.list(i, "node");
      nodes.add(new Neighbor(WireFields.ip(node.string(0, "node.ip"), "node.ip"),
          WireFields.port(node.string(1, "node.udp"), "node.udp"),
          WireFields.port(node.string(2, "node.tcp"), "node.tcp"),
          WireFields.nodeId(node.string(3, "node.id"), "node.id")));
    }
    return new NeighborsPacket(nodes, WireFields.expiration(data, 1));
  }

  @Override
  public int type() {
    return TYPE;
  }

  /**
   * @throws IllegalArgumentException for more than {@link #MAX_NODES} nodes: split them over several packets
   */
  @Override
  public RlpList toRlp() {
    if (nodes.size() > MAX_NODES) {
      throw new IllegalArgumentException("at most " + MAX_NODES + " nodes per packet, not " + nodes.size());
    }
    List<RlpItem> encoded = nodes.stream().<RlpItem>map(node -> RlpList.of(WireFields.ip(node.ip()),
        RlpString.of(node.udp()), RlpString.of(node.tcp()), RlpString.of(node.id().bytes()))).toList();
    return RlpList.of(new RlpList(encoded), RlpString.of(expiration));
  }
}
