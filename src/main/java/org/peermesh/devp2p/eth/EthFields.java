package org.peermesh.devp2p.eth;

import java.math.BigInteger;
import java.util.HexFormat;
import org.peermesh.devp2p.rlp.RlpItem;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

/**
 * How go-ethereum's RLP decoder reads the fields of an eth struct: a list with exactly the struct's fields, byte
 * arrays of their exact size, unsigned integers in canonical form no wider than their Go type.
 */
final class EthFields {

  private static final HexFormat HEX = HexFormat.of();
  private static final long MAX_VERSION = 0xFFFF_FFFFL;

  private EthFields() {
  }

  /** {@code item} as a list of exactly {@code size} elements; fewer fail on the missing one, as they do in geth. */
  static RlpList struct(RlpItem item, int size, String field) {
    RlpList list = item.list(field);
    if (list.size() > size) {
      throw new EthMessageException("extra_elements",
          field + ": " + list.size() + " elements, go-ethereum's struct has " + size + " and no tail");
    }
    return list;
  }

  /** The string at {@code index}, which must be exactly {@code length} bytes (a Go byte array). */
  static byte[] fixed(RlpList list, int index, int length, String field) {
    byte[] bytes = list.string(index, field).bytes();
    if (bytes.length != length) {
      throw new EthMessageException("bad_length", field + ": " + bytes.length + " bytes, not " + length);
    }
    return bytes;
  }

  /** The canonical unsigned integer at {@code index}, at most {@code bits} wide (a Go uintN, or a bounded big.Int). */
  static BigInteger unsigned(RlpList list, int index, int bits, String field) {
    RlpString string = list.string(index, field);
    BigInteger value = string.asBigInteger(field);
    if (value.bitLength() > bits) {
      throw new EthMessageException("out_of_range", field + ": " + string.length() + " bytes, wider than " + bits
          + " bits");
    }
    return value;
  }

  /**
   * Bytes from hex, with or without {@code 0x}, of exactly {@code length} bytes.
   *
   * @throws IllegalArgumentException naming {@code what}, for anything else
   */
  static byte[] parseHex(String text, int length, String what) {
    String digits = text.startsWith("0x") ? text.substring(2) : text;
    if (digits.length() != 2 * length || !digits.chars().allMatch(EthFields::isHexDigit)) {
      throw new IllegalArgumentException(what + ": expected " + 2 * length + " hex digits (0x optional), got \""
          + text + "\"");
    }
    return HEX.parseHex(digits);
  }

  /** ASCII hex only: {@link Character#digit} would also take other scripts' digits, which {@link HexFormat} refuses. */
  private static boolean isHexDigit(int c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  /** A Status's protocol version, a Go uint32. */
  static long requireVersion(long protocolVersion) {
    if (protocolVersion < 0 || protocolVersion > MAX_VERSION) {
      throw new IllegalArgumentException("protocolVersion is a uint32, not " + protocolVersion);
    }
    return protocolVersion;
  }

  /** A Status's total difficulty, 0 to 2^256 - 1. */
  static BigInteger requireTd(BigInteger td) {
    if (td.signum() < 0 || td.bitLength() > StatusMessage.MAX_TD_BITS) {
      throw new IllegalArgumentException("td must be 0 to 2^256 - 1, not " + td);
    }
    return td;
  }

  /** A copy of a block hash, which must be 32 bytes. */
  static byte[] requireHash(byte[] value, String name) {
    if (value.length != StatusMessage.HASH_LENGTH) {
      throw new IllegalArgumentException(name + " is " + StatusMessage.HASH_LENGTH + " bytes, not " + value.length);
    }
    return value.clone();
  }

  static String hex(byte[] bytes) {
    return "0x" + HEX.formatHex(bytes);
  }
}
