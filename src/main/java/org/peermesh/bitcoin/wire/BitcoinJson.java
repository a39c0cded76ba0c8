package org.peermesh.bitcoin.wire;

import java.math.BigInteger;
import org.peermesh.json.JsonFields;
import org.peermesh.json.JsonFields.TextForm;

/**
 * What Bitcoin's JSON form adds to {@link JsonFields}: its hashes, the u64s it writes as decimal strings, and the
 * rendering of u64s as JSON numbers, reading and writing side by side. The messages read with plain
 * {@link JsonFields#of(io.vertx.core.json.JsonObject)}, as this form writes every other integer as a JSON integer.
 */
final class BitcoinJson {

  /** A hash in the byte order block explorers and Bitcoin Core's RPC show. */
  static final TextForm<Sha256Hash> HASH = new TextForm<>("a 64-digit hex hash", Sha256Hash::fromHex);

  /** A u64 written as a decimal string, how the JSON carries random values such as nonces; bit for bit in a long. */
  static final TextForm<Long> U64_DECIMAL =
      new TextForm<>("an unsigned 64-bit decimal string", Long::parseUnsignedLong);

  private BitcoinJson() {
  }

  /** A u64 as a JSON number, beyond Long.MAX_VALUE as a BigInteger, never negative. */
  static Number unsignedNumber(long value) {
    return value >= 0 ? (Number) value : new BigInteger(Long.toUnsignedString(value));
  }
}
