package org.peermesh.devp2p.discovery;

import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

import java.util.Objects;

/**
 * FindNode (type 3), {@code [target, expiration]}: asks for the nodes the recipient knows closest to
 * {@code keccak256(target)}, the answer coming as Neighbors packets.
 */
public record FindNodePacket(NodeId target, long expiration) implements Discv4Packet {

  public static final int TYPE = 3;

  public FindNodePacket {
    Objects.requireNonNull(target, "target");
    WireFields.requireExpiration(expiration);
  }

  static FindNodePacket fromRlp(RlpList data) {
    return new FindNodePacket(WireFields.nodeId(data.string(0, "target"), "target"), WireFields.expiration(data, 1));
  }

  @Override
  public int type() {
    return TYPE;
  }

  @Override
  public RlpList toRlp() {
    return RlpList.of(RlpString.of(target.bytes()), RlpString.of(expiration));
  }
}
