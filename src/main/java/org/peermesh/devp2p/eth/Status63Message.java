package org.peermesh.devp2p.eth;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

/**
 * Status (eth code 0x00) on eth/63, which has no fork id: {@code [protocolVersion, networkId, td, currentBlock,
 * genesisBlock]}. go-ethereum before eth/64 (and its forks that still speak eth/63, Elastos ESC among them) decodes it
 * into {@code statusData63} (a {@code uint32}, a {@code uint64}, a {@code *big.Int} and two {@code common.Hash}), a
 * struct without a tail: exactly five elements, read as strictly as {@link StatusMessage}, with the same bound on the
 * total difficulty. eth/64's Status has eth/68's shape and is a {@link StatusMessage}.
 *
 * @param protocolVersion the eth version, a uint32 ({@link #PROTOCOL_VERSION} for ours)
 * @param networkId the network id, a uint64 held in a long
 * @param td the total difficulty of the sender's best block, 0 to 2^256 - 1
 * @param blockHash the sender's best block
 * @param genesis the sender's genesis block
 */
public record Status63Message(long protocolVersion, long networkId, BigInteger td, byte[] blockHash, byte[] genesis) {

  public static final int PROTOCOL_VERSION = 63;
  private static final int FIELDS = 5;

  /**
   * @throws IllegalArgumentException for a version outside uint32, a negative or too wide td, or a hash not of 32
   *     bytes
   */
  public Status63Message {
    EthFields.requireVersion(protocolVersion);
    EthFields.requireTd(td);
    blockHash = EthFields.requireHash(blockHash, "blockHash");
    genesis = EthFields.requireHash(genesis, "genesis");
  }

  /**
   * The eth/63 Status a payload holds.
   *
   * @throws org.peermesh.devp2p.rlp.RlpException for malformed RLP, a missing field, a field of the wrong kind or a
   *     non-canonical integer
   * @throws EthMessageException {@code extra_elements} (an eth/64 Status among them), {@code bad_length} or {@code
   *     out_of_range}
   */
  public static Status63Message decode(byte[] payload) {
    RlpList status = EthFields.struct(Rlp.decodePrefix(payload, 0).item(), FIELDS, "status");
    return new Status63Message(
        EthFields.unsigned(status, 0, Integer.SIZE, "protocol version").longValue(),
        EthFields.unsigned(status, 1, Long.SIZE, "network id").longValue(),
        EthFields.unsigned(status, 2, StatusMessage.MAX_TD_BITS, "td"),
        EthFields.fixed(status, 3, StatusMessage.HASH_LENGTH, "block hash"),
        EthFields.fixed(status, 4, StatusMessage.HASH_LENGTH, "genesis"));
  }

  /** The payload: the five fields. */
  public byte[] encode() {
    return Rlp.encode(RlpList.of(
        RlpString.of(protocolVersion),
        RlpString.of(networkId),
        RlpString.of(td),
        RlpString.of(blockHash),
        RlpString.of(genesis)));
  }

  /** A copy: the record stays immutable. */
  @Override
  public byte[] blockHash() {
    return blockHash.clone();
  }

  /** A copy: the record stays immutable. */
  @Override
  public byte[] genesis() {
    return genesis.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Status63Message that
        && protocolVersion == that.protocolVersion
        && networkId == that.networkId
        && td.equals(that.td)
        && Arrays.equals(blockHash, that.blockHash)
        && Arrays.equals(genesis, that.genesis);
  }

  @Override
  public int hashCode() {
    return Objects.hash(protocolVersion, networkId, td, Arrays.hashCode(blockHash), Arrays.hashCode(genesis));
  }

  @Override
  public String toString() {
    return "Status[eth/" + protocolVersion + " network " + Long.toUnsignedString(networkId) + " td " + td + " head "
        + EthFields.hex(blockHash) + " genesis " + EthFields.hex(genesis) + "]";
  }
}
