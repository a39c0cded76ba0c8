package org.peermesh.bench;

/**
 * The data of one benchmark message: its send time and padding up to the payload size, as one ASCII string. The
 * receiver reads the latency off the message itself, so sender and receiver share no per-message bookkeeping; the
 * time is {@link System#nanoTime}, so both must run in one JVM.
 */
final class SendStamp {

  private final int payloadBytes;
  private final String padding;

  /** Messages of {@code payloadBytes} characters, or of the send time alone when that is longer. */
  SendStamp(int payloadBytes) {
    this.payloadBytes = payloadBytes;
    this.padding = "x".repeat(payloadBytes);
  }

  /** A message stamped now. */
  String next() {
    // Room for the 19 digits of the time, should the payload be shorter.
    StringBuilder message = new StringBuilder(Math.max(payloadBytes, 19)).append(System.nanoTime());
    int fill = payloadBytes - message.length() - 1;
    if (fill >= 0) {
      message.append(' ').append(padding, 0, fill);
    }
    return message.toString();
  }

  /** The {@link System#nanoTime} at which {@code message} was stamped; parsed in place, as it runs per arrival. */
  static long sentAt(String message) {
    int end = message.indexOf(' ');
    return Long.parseLong(message, 0, end < 0 ? message.length() : end, 10);
  }
}
