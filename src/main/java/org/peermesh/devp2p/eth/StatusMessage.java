package org.peermesh.devp2p.eth;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

/**
 * Status (eth code 0x00), the first message each side sends on eth/68, and on eth/64, where it has the same shape:
 * {@code [protocolVersion, networkId, td, blockHash, genesis, [forkHash, forkNext]]}. go-ethereum decodes it into
 * {@code StatusPacket68} (eth/64's {@code statusData} in the geth of eth/64, the same fields: a {@code uint32},
 * a {@code uint64}, a {@code *big.Int}, two {@code common.Hash} and a {@code forkid.ID}), a struct without a tail, so
 * reading here is as strict as there: exactly six elements, hashes of exactly 32 bytes, canonical integers no wider
 * than their Go types. Bytes after the list are ignored, as geth's stream decoder leaves them unread.
 *
 * <p>One deliberate difference: geth takes a total difficulty of any size (bounded only by the message's), we refuse
 * one over 32 bytes. No chain's difficulty comes near 2^256 (mainnet's final one is below 2^76), and the bound keeps
 * a hostile value from costing more than a hash.
 *
 * @param protocolVersion the eth version, a uint32 ({@link #PROTOCOL_VERSION} or {@link #ETH64})
 * @param networkId the network id, a uint64 held in a long ({@link Long#toUnsignedString} shows it)
 * @param td the total difficulty of the sender's best block, 0 to 2^256 - 1
 * @param blockHash the sender's best block
 * @param genesis the sender's genesis block
 * @param forkId the sender's EIP-2124 fork id
 */
public record StatusMessage(long protocolVersion, long networkId, BigInteger td, byte[] blockHash, byte[] genesis,
                            ForkId forkId) {

  /** The code relative to eth's offset; absolute, it is {@code 0x10} when eth is the only capability. */
  public static final int CODE = 0x00;
  public static final int PROTOCOL_VERSION = 68;
  /** The first eth version with a fork id, whose Status this also is. */
  public static final int ETH64 = 64;
  public static final int HASH_LENGTH = 32;
  /** The widest total difficulty read or written: 32 bytes. */
  public static final int MAX_TD_BITS = 256;
  private static final int FIELDS = 6;

  /**
   * @throws IllegalArgumentException for a version outside uint32, a negative or too wide td, or a hash not of 32
   *     bytes
   */
  public StatusMessage {
    EthFields.requireVersion(protocolVersion);
    EthFields.requireTd(td);
    blockHash = EthFields.requireHash(blockHash, "blockHash");
    genesis = EthFields.requireHash(genesis, "genesis");
    Objects.requireNonNull(forkId, "forkId");
  }

  /**
   * The Status a payload holds.
   *
   * @throws org.peermesh.devp2p.rlp.RlpException for malformed RLP, a missing field, a field of the wrong kind or a
   *     non-canonical integer
   * @throws EthMessageException {@code extra_elements}, {@code bad_length} or {@code out_of_range}
   */
  public static StatusMessage decode(byte[] payload) {
    RlpList status = EthFields.struct(Rlp.decodePrefix(payload, 0).item(), FIELDS, "status");
    return new StatusMessage(
        EthFields.unsigned(status, 0, Integer.SIZE, "protocol version").longValue(),
        EthFields.unsigned(status, 1, Long.SIZE, "network id").longValue(),
        EthFields.unsigned(status, 2, MAX_TD_BITS, "td"),
        EthFields.fixed(status, 3, HASH_LENGTH, "block hash"),
        EthFields.fixed(status, 4, HASH_LENGTH, "genesis"),
        ForkId.fromRlp(status.get(5, "fork id")));
  }

  /** The payload: the six fields. */
  public byte[] encode() {
    return Rlp.encode(RlpList.of(
        RlpString.of(protocolVersion),
        RlpString.of(networkId),
        RlpString.of(td),
        RlpString.of(blockHash),
        RlpString.of(genesis),
        forkId.toRlp()));
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
    return other instanceof StatusMessage that
        && protocolVersion == that.protocolVersion
        && networkId == that.networkId
        && td.equals(that.td)
        && Arrays.equals(blockHash, that.blockHash)
        && Arrays.equals(genesis, that.genesis)
        && forkId.equals(that.forkId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(protocolVersion, networkId, td, Arrays.hashCode(blockHash), Arrays.hashCode(genesis), forkId);
  }

  @Override
  public String toString() {
    return "Status[eth/" + protocolVersion + " network " + Long.toUnsignedString(networkId) + " td " + td + " head "
        + EthFields.hex(blockHash) + " genesis " + EthFields.hex(genesis) + " fork " + forkId + "]";
  }
}
