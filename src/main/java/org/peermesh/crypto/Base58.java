package org.peermesh.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Base58 as Bitcoin and Antelope write keys and signatures: the digits of a big-endian number in the alphabet
 * without 0, O, I and l, with one leading '1' per leading zero byte. Checksums are the caller's: Antelope's are
 * RIPEMD-160 with a key-type suffix, WIF's double SHA-256.
 */
public final class Base58 {

  private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final BigInteger BASE = BigInteger.valueOf(58);
  private static final int[] DIGITS = new int[128];

  static {
    Arrays.fill(DIGITS, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      DIGITS[ALPHABET.charAt(i)] = i;
    }
  }

  private Base58() {
  }

  public static String encode(byte[] bytes) {
    int zeros = 0;
    while (zeros < bytes.length && bytes[zeros] == 0) {
      zeros++;
    }
    StringBuilder text = new StringBuilder();
    BigInteger n = new BigInteger(1, bytes);
    while (n.signum() > 0) {
      BigInteger[] qr = n.divideAndRemainder(BASE);
      text.append(ALPHABET.charAt(qr[1].intValue()));
      n = qr[0];
    }
    text.append("1".repeat(zeros));
    return text.reverse().toString();
  }

  /**
   * The bytes {@code text} encodes.
   *
   * @param maxLength the most characters accepted, checked before any arithmetic: text comes from peers and configs
   * @throws IllegalArgumentException for a character outside the alphabet or text longer than {@code maxLength}
   */
  public static byte[] decode(String text, int maxLength) {
    if (text.length() > maxLength) {
      throw new IllegalArgumentException("base58 text of " + text.length() + " characters, more than " + maxLength);
    }
    BigInteger n = BigInteger.ZERO;
    int zeros = 0;
    boolean leading = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int digit = c < 128 ? DIGITS[c] : -1;
      if (digit < 0) {
        throw new IllegalArgumentException("'" + c + "' is not a base58 digit");
      }
      if (leading && digit == 0) {
        zeros++;
      } else {
        leading = false;
      }
      n = n.multiply(BASE).add(BigInteger.valueOf(digit));
    }
    byte[] magnitude = n.signum() == 0 ? new byte[0] : n.toByteArray();
    int skip = magnitude.length > 0 && magnitude[0] == 0 ? 1 : 0;
    byte[] out = new byte[zeros + magnitude.length - skip];
    System.arraycopy(magnitude, skip, out, zeros, magnitude.length - skip);
    return out;
  }
}
