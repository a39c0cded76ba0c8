package org.peermesh.peer.echo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * One line of the echo protocol, {@code <verb> <argument>}: {@code hello alice}, {@code say hi}, {@code ping 42}.
 * Checked when made, so that every message that exists is one a peer may send.
 */
public record EchoMessage(Verb verb, String argument) {

  /** The longest frame, in bytes of UTF-8 after its u16 length. */
  public static final int MAX_LENGTH = 1024;
  /** The longest argument: short enough for any verb to carry, as an echo carries what a say brought. */
  public static final int MAX_ARGUMENT = MAX_LENGTH - "welcome ".length();

  public enum Verb {
    HELLO, WELCOME, SAY, ECHO, PING, PONG;

    private final String word = name().toLowerCase(Locale.ROOT);

    public String word() {
      return word;
    }
  }

  /** @throws IllegalArgumentException if a peer may not send it */
  public EchoMessage {
    Objects.requireNonNull(verb, "verb");
    Objects.requireNonNull(argument, "argument");
    if (argument.getBytes(StandardCharsets.UTF_8).length > MAX_ARGUMENT) {
      throw new IllegalArgumentException("an argument of more than " + MAX_ARGUMENT + " bytes");
    }
    if ((verb == Verb.HELLO || verb == Verb.WELCOME) && argument.isEmpty()) {
      throw new IllegalArgumentException(verb.word() + " without an id");
    }
    if (verb == Verb.PING || verb == Verb.PONG) {
      Long.parseLong(argument); // a NumberFormatException is an IllegalArgumentException
    }
  }

  /** @throws IllegalArgumentException if {@code line} is not a message */
  public static EchoMessage parse(String line) {
    int space = line.indexOf(' ');
    String word = space < 0 ? line : line.substring(0, space);
    Verb verb = Arrays.stream(Verb.values()).filter(v -> v.word().equals(word)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("a line that starts with no known verb"));
    if (space < 0) {
      throw new IllegalArgumentException(word + " without its argument");
    }
    return new EchoMessage(verb, line.substring(space + 1));
  }

  /** The nonce of a ping or pong. */
  public long nonce() {
    return Long.parseLong(argument);
  }

  public String line() {
    return verb.word() + " " + argument;
  }
}
