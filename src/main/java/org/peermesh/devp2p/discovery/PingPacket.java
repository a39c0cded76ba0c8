package org.peermesh.devp2p.discovery;

import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Ping (type 1), {@code [version, from, to, expiration, enrSeq?]}: asks for a Pong, which proves to the sender that
 * we receive at the address it saw (the endpoint proof that FindNode answers need). The version is not checked
 * (EIP-8); we send {@link #VERSION}. {@code enrSeq} (EIP-868) is the sender's current record sequence number.
 */
public record PingPacket(int version, Endpoint from, Endpoint to, long expiration, OptionalLong enrSeq)
    implements Discv4Packet {

  public static final int TYPE = 1;
  public static final int VERSION = 4;

  public PingPacket {
    if (version < 0) {
      throw new IllegalArgumentException("version must not be negative, got " + version);
    }
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    WireFields.requireExpiration(expiration);
    Objects.requireNonNull(enrSeq, "enrSeq");
  }

  static PingPacket fromRlp(RlpList data) {
    return new PingPacket(data.string(0, "version").asInt("version"), WireFields.endpoint(data.list(1, "from"), "from"),
        WireFields.endpoint(data.list(2, "to"), "to"), WireFields.expiration(data, 3),
        WireFields.optionalEnrSeq(data, 4));
  }

  @Override
  public int type() {
    return TYPE;
  }

  @Override
  public RlpList toRlp() {
    return WireFields.withEnrSeq(enrSeq, RlpString.of(version), WireFields.endpoint(from), WireFields.endpoint(to),
        RlpString.of(expiration));
  }
}
