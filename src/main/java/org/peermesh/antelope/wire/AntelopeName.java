package org.peermesh.antelope.wire;

/**
 * An Antelope name ({@code eosio::chain::name}): a u64 on the wire, up to 13 characters as text. Each of the first
 * 12 characters takes 5 bits from the top ({@code .12345abcdefghijklmnopqrstuvwxyz}), the 13th the last 4 bits, so
 * it can only be one of the first 16 symbols ({@code .} to {@code j}). Trailing dots are not written.
 */
public final class AntelopeName {

  private static final String SYMBOLS = ".12345abcdefghijklmnopqrstuvwxyz";
  private static final int MAX_LENGTH = 13;
  private static final int FULL_SYMBOLS = 12;

  private AntelopeName() {
  }

  /** The text of name {@code value}: every u64 has one. */
  public static String toText(long value) {
    char[] text = new char[MAX_LENGTH];
    long rest = value;
    text[FULL_SYMBOLS] = SYMBOLS.charAt((int) (rest & 0x0F));
    rest >>>= 4;
    for (int i = FULL_SYMBOLS - 1; i >= 0; i--) {
      text[i] = SYMBOLS.charAt((int) (rest & 0x1F));
      rest >>>= 5;
    }
    int length = MAX_LENGTH;
    while (length > 0 && text[length - 1] == '.') {
      length--;
    }
    return new String(text, 0, length);
  }

  /**
   * The u64 of name {@code text}.
   *
   * @throws IllegalArgumentException if it is longer than 13 characters, has a character outside {@code .1-5a-z}, or
   *     a 13th character past {@code j}
   */
  public static long fromText(String text) {
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("name '" + text + "' is longer than " + MAX_LENGTH + " characters");
    }
    long value = 0;
    for (int i = 0; i < text.length(); i++) {
      int symbol = SYMBOLS.indexOf(text.charAt(i));
      if (symbol < 0) {
        throw new IllegalArgumentException("name '" + text + "' has '" + text.charAt(i)
            + "', not one of " + SYMBOLS);
      }
      if (i < FULL_SYMBOLS) {
        value |= (long) symbol << (64 - 5 * (i + 1));
      } else if (symbol > 0x0F) {
        throw new IllegalArgumentException("name '" + text + "' has '" + text.charAt(i)
            + "' as its 13th character, which can only be one of .12345abcdefghij");
      } else {
        value |= symbol;
      }
    }
    return value;
  }
}
