package org.peermesh.devp2p.discovery;

import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

/** ENRRequest (type 5, EIP-868), {@code [expiration]}: asks for the recipient's current node record. */
public record EnrRequestPacket(long expiration) implements Discv4Packet {

  public static final int TYPE = 5;

  public EnrRequestPacket {
    WireFields.requireExpiration(expiration);
  }

  static EnrRequestPacket fromRlp(RlpList data) {
    return new EnrRequestPacket(WireFields.expiration(data, 0));
  }

  @Override
  public int type() {
    return TYPE;
  }

  @Override
  public RlpList toRlp() {
    return RlpList.of(RlpString.of(expiration));
  }
}
