package org.peermesh.devp2p.eth;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpItem;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

/**
 * An EIP-2124 fork identifier: {@code hash} is the CRC32 (IEEE) of the genesis hash and of every fork point the
 * chain has passed, {@code next} the next fork point it knows of (a block number, or since Shanghai a timestamp), or
 * 0 if none. On the wire it is the list {@code [hash(4 bytes), next(uint64)]}, which go-ethereum decodes into a
 * struct without a tail: exactly two elements, a hash of exactly 4 bytes.
 *
 * @param hash the 4-byte fork hash
 * @param next the next fork point, a uint64 held in a long ({@link Long#toUnsignedString} shows it)
 */
public record ForkId(byte[] hash, long next) {

  public static final int HASH_LENGTH = 4;
  /** The largest {@code next}, 2^64 - 1, as JSON carries it. */
  private static final BigInteger MAX_NEXT = BigInteger.ONE.shiftLeft(Long.SIZE).subtract(BigInteger.ONE);

  public ForkId {
    if (hash.length != HASH_LENGTH) {
      throw new IllegalArgumentException("a fork hash is " + HASH_LENGTH + " bytes, not " + hash.length);
    }
    hash = hash.clone();
  }

  /**
   * The fork hash of a chain with {@code genesisHash32} that has passed {@code forkPoints}, in ascending order.
   * Following EIP-2124 (and go-ethereum's {@code gatherForks}), a point of 0 (a fork active from genesis) and a point
   * repeating the one before it (two forks at one block, such as Constantinople and Petersburg) are not counted.
   *
   * @throws IllegalArgumentException if {@code genesisHash32} is not 32 bytes or the points are not ascending
   */
  public static byte[] hashOf(byte[] genesisHash32, long... forkPoints) {
    if (genesisHash32.length != StatusMessage.HASH_LENGTH) {
      throw new IllegalArgumentException("a genesis hash is 32 bytes, not " + genesisHash32.length);
    }
    CRC32 crc = new CRC32();
    crc.update(genesisHash32);
    long previous = 0;
    for (long point : forkPoints) {
      if (Long.compareUnsigned(point, previous) < 0) {
        throw new IllegalArgumentException("fork points must ascend: " + Long.toUnsignedString(point) + " after "
            + Long.toUnsignedString(previous));
      }
      if (point != previous) {
        crc.update(ByteBuffer.allocate(Long.BYTES).putLong(point).array());
        previous = point;
      }
    }
    return ByteBuffer.allocate(HASH_LENGTH).putInt((int) crc.getValue()).array();
  }

  /**
   * The fork id an item holds, read as go-ethereum reads it.
   *
   * @throws org.peermesh.devp2p.rlp.RlpException for a string where the list belongs, a missing field or a
   *     non-canonical {@code next}
   * @throws EthMessageException {@code extra_elements}, {@code bad_length} or {@code out_of_range}
   */
  public static ForkId fromRlp(RlpItem item) {
    RlpList list = EthFields.struct(item, 2, "fork id");
    return new ForkId(EthFields.fixed(list, 0, HASH_LENGTH, "fork hash"),
        EthFields.unsigned(list, 1, Long.SIZE, "fork next").longValue());
  }

  /** The fork id of an encoded {@code [hash, next]}; bytes after the list are ignored, as geth's stream reader does. */
  public static ForkId decode(byte[] encoded) {
    return fromRlp(Rlp.decodePrefix(encoded, 0).item());
  }

  public RlpList toRlp() {
    return RlpList.of(RlpString.of(hash), RlpString.of(next));
  }

  public byte[] encode() {
    return Rlp.encode(toRlp());
  }

  /**
   * The fork id a JSON object gives: {@code {"hash": "0xfc64ec04", "next": 1150000}}, the hash as 8 hex digits with
   * or without {@code 0x}, next an integer from 0 to 2^64 - 1.
   *
   * @throws IllegalArgumentException naming the key that is missing or wrong
   */
  public static ForkId fromJson(JsonObject json) {
    if (!(json.getValue("hash") instanceof String hash)) {
      throw new IllegalArgumentException("fork id hash: expected a string of 8 hex digits, got "
          + json.getValue("hash"));
    }
    Object next = json.getValue("next");
    BigInteger value = next instanceof Integer || next instanceof Long ? BigInteger.valueOf(((Number) next).longValue())
        : next instanceof BigInteger big ? big : null;
    if (value == null || value.signum() < 0 || value.compareTo(MAX_NEXT) > 0) {
      throw new IllegalArgumentException("fork id next: expected an integer from 0 to " + MAX_NEXT + ", got " + next);
    }
    return new ForkId(EthFields.parseHex(hash, HASH_LENGTH, "fork id hash"), value.longValue());
  }

  /** {@code {"hash": "0x...", "next": n}}, next as a BigInteger when it is above {@link Long#MAX_VALUE}. */
  public JsonObject toJson() {
    Object nextValue = next >= 0 ? (Object) next : new BigInteger(Long.toUnsignedString(next));
    return new JsonObject().put("hash", EthFields.hex(hash)).put("next", nextValue);
  }

  /** A copy: the record stays immutable. */
  @Override
  public byte[] hash() {
    return hash.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ForkId that && Arrays.equals(hash, that.hash) && next == that.next;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(hash), next);
  }

  /** {@code 0xfc64ec04 next 1150000}. */
  @Override
  public String toString() {
    return EthFields.hex(hash) + " next " + Long.toUnsignedString(next);
  }
}
