package org.peermesh.devp2p.rlp;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Java values as RLP, as go-ethereum's {@code rlp.Encode} takes Go values: what {@code SendItems} takes from a
 * sub-protocol written in Java.
 */
public final class RlpObjects {

  private RlpObjects() {
  }

  /**
   * {@code value} as an RLP item: a String is its UTF-8 bytes, a byte[] its bytes, an Integer, Long, Short, Byte or
   * BigInteger (not negative) its minimal big-endian bytes, an {@link RlpItem} itself, a List or Object[] a list of
   * its elements.
   *
   * @throws IllegalArgumentException for null, a negative number, or any other type
   */
  public static RlpItem toItem(Object value) {
    if (value instanceof RlpItem item) {
      return item;
    }
    if (value instanceof String text) {
      return RlpString.of(text);
    }
    if (value instanceof byte[] bytes) {
      return RlpString.of(bytes);
    }
    if (value instanceof BigInteger big) {
      requireNotNegative(big.signum() < 0, value);
      return RlpString.of(big);
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      long number = ((Number) value).longValue();
      requireNotNegative(number < 0, value);
      return RlpString.of(number);
    }
    if (value instanceof List<?> list) {
      return list(list.toArray());
    }
    if (value instanceof Object[] array) {
      return list(array);
    }
    throw new IllegalArgumentException("no RLP form for " + (value == null ? "null" : value.getClass().getName()));
  }

  /** The RLP list of {@code values}, each as {@link #toItem} reads it. */
  public static RlpList list(Object... values) {
    List<RlpItem> items = new ArrayList<>(values.length);
    for (Object value : values) {
      items.add(toItem(value));
    }
    return new RlpList(items);
  }

  private static void requireNotNegative(boolean negative, Object value) {
    if (negative) {
      throw new IllegalArgumentException("RLP has no negative numbers: " + value);
    }
  }
}
