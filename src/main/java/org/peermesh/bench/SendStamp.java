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
    String time = Long.toString(System.nanoTime());
    int fill = payloadBytes - time.length() - 1;
    return fill < 0 ? time : time + ' ' + padding.substring(0, fill);
  }

  /** The {@link System#nanoTime} at which {@code message} was stamped. */
  static long sentAt(String message) {
    int end = message.indexOf(' ');
    return Long.parseLong(end < 0 ? message : message.substring(0, end));
  }
}
