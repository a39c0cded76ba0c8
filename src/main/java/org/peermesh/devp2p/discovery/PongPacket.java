package org.peermesh.devp2p.discovery;

import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Pong (type 2), {@code [to, pingHash, expiration, enrSeq?]}: the answer to a Ping, naming the packet hash of that
 * Ping so that only someone who received it can answer; {@code to} is where the Ping came from as seen by the
 * answerer (how a node learns its external address).
 */
public record PongPacket(Endpoint to, byte[] pingHash, long expiration, OptionalLong enrSeq) implements Discv4Packet {

  public static final int TYPE = 2;

  public PongPacket {
    Objects.requireNonNull(to, "to");
    WireFields.requireHash(pingHash, "pingHash");
    pingHash = pingHash.clone();
    WireFields.requireExpiration(expiration);
    Objects.requireNonNull(enrSeq, "enrSeq");
  }

  static PongPacket fromRlp(RlpList data) {
    return new PongPacket(WireFields.endpoint(data.list(0, "to"), "to"),
        WireFields.hash(data.string(1, "pingHash"), "pingHash"), WireFields.expiration(data, 2),
        WireFields.optionalEnrSeq(data, 3));
  }

  /** The hash of the Ping answered; a copy. */
  @Override
  public byte[] pingHash() {
    return pingHash.clone();
  }

  @Override
  public int type() {
    return TYPE;
  }

  @Override
  public RlpList toRlp() {
    return WireFields.withEnrSeq(enrSeq, WireFields.endpoint(to), RlpString.of(pingHash), RlpString.of(expiration));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PongPacket pong && to.equals(pong.to) && Arrays.equals(pingHash, pong.pingHash)
        && expiration == pong.expiration && enrSeq.equals(pong.enrSeq);
  }

  @Override
  public int hashCode() {
    return Objects.hash(to, Arrays.hashCode(pingHash), expiration, enrSeq);
  }

  @Override
  public String toString() {
    return "PongPacket[to=" + to + ", pingHash=" + HexFormat.of().formatHex(pingHash) + ", expiration=" + expiration
        + ", enrSeq=" + enrSeq + "]";
  }
}
