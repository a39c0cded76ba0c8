package org.peermesh.bench;

/**
 * The data of one benchmark message: its send time, its number and padding up to the {@linkplain Payload payload}
 * size, as one ASCII string. The receiver reads the latency off the message itself and tells the sender which message
 * arrived by its number, so sender and receiver share no per-message bookkeeping; the time is {@link System#nanoTime},
 * so both must run in one JVM.
 */
final class SendStamp {

  private final String padding;

  /** Messages of {@code payloadBytes} as {@link Payload} counts them, or of the stamp alone when that is longer. */
  SendStamp(int payloadBytes) {
    this.padding = Payload.of(payloadBytes);
  }

  /** Message {@code number}, stamped now: {@code "<nanoTime> <number> <padding>"}. */
  String next(long number) {
    // Room for the 19 digits of the time and a number, should the payload be shorter.
    StringBuilder message = new StringBuilder(Math.max(padding.length(), 40))
        .append(System.nanoTime()).append(' ').append(number);
    int fill = padding.length() - message.length() - 1;
    if (fill >= 0) {
      message.append(' ').append(padding, 0, fill);
    }
    return message.toString();
  }

  /** The {@link System#nanoTime} at which {@code message} was stamped; parsed in place, as it runs per arrival. */
  static long sentAt(String message) {
    return Long.parseLong(message, 0, message.indexOf(' '), 10);
  }

  /** The number {@code message} was sent with. */
  static long number(String message) {
    int start = message.indexOf(' ') + 1;
    int end = message.indexOf(' ', start);
    return Long.parseLong(message, start, end < 0 ? message.length() : end, 10);
  }
}
