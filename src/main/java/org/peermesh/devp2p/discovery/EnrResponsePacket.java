package org.peermesh.devp2p.discovery;

import org.peermesh.devp2p.enr.Enr;
import org.peermesh.devp2p.enr.EnrException;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * ENRResponse (type 6, EIP-868), {@code [requestHash, record]}: the answer to an ENRRequest, naming that request's
 * packet hash. The record is decoded and verified with the packet; one that fails makes the packet {@code bad_enr}.
 */
public record EnrResponsePacket(byte[] requestHash, Enr record) implements Discv4Packet {

  public static final int TYPE = 6;

  public EnrResponsePacket {
    WireFields.requireHash(requestHash, "requestHash");
    requestHash = requestHash.clone();
    Objects.requireNonNull(record, "record");
  }

  static EnrResponsePacket fromRlp(RlpList data) {
    byte[] requestHash = WireFields.hash(data.string(0, "requestHash"), "requestHash");
    byte[] record = Rlp.encode(data.list(1, "record"));
    try {
      return new EnrResponsePacket(requestHash, Enr.decode(record));
    } catch (EnrException e) {
      throw new Discv4Exception("bad_enr", e.kind() + ": " + e.detail(), e);
    }
  }

  /** The hash of the ENRRequest answered; a copy. */
  @Override
  public byte[] requestHash() {
    return requestHash.clone();
  }

  @Override
  public int type() {
    return TYPE;
  }

  @Override
  public RlpList toRlp() {
    return RlpList.of(RlpString.of(requestHash), Rlp.decode(record.encode()));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EnrResponsePacket response && Arrays.equals(requestHash, response.requestHash)
        && record.equals(response.record);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(requestHash), record);
  }

  @Override
  public String toString() {
    return "EnrResponsePacket[requestHash=" + HexFormat.of().formatHex(requestHash) + ", record=" + record + "]";
  }
}
