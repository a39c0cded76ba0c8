package org.peermesh.devp2p.discovery;

import org.peermesh.devp2p.rlp.RlpList;

/**
 * One of discv4's six packets: its type byte and its data list. {@link Discv4Packets} signs and frames it, and reads
 * it back.
 */
public sealed interface Discv4Packet
    permits PingPacket, PongPacket, FindNodePacket, NeighborsPacket, EnrRequestPacket, EnrResponsePacket {

  /** The packet-type byte, 1 to 6. */
  int type();

  /** The packet data, the list that follows the type byte. */
  RlpList toRlp();
}
