package org.peermesh.bench;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Which of a sender's messages are on their way, a message being on its way from its send until every one of its
 * receivers has it (one for a send, two for the 3-node broadcast). The sender numbers its messages from 0 and sends
 * message n only once message n - window has reached every receiver; so each message on its way has a slot of its
 * own, n modulo the window, that counts the receivers it has yet to reach, and arrivals may come in any order and
 * from any thread without a map or a lock.
 *
 * <p>{@link #hasRoom} and {@link #open} run on the sender's thread only; {@link #arrived} on any.
 */
final class ArrivalWindow {

  private final int receivers;
  /** Per slot, the receivers its message has yet to reach; 0 for a free slot. */
  private final AtomicIntegerArray missing;
  /** The number of the next message. */
  private long next;
  /** The number of the oldest message that may still be on its way; every one before it has arrived everywhere. */
  private long oldest;

  ArrivalWindow(int window, int receivers) {
    this.receivers = receivers;
    this.missing = new AtomicIntegerArray(window);
  }

  /** Whether the next message may go: the one a window before it has reached every receiver. */
  boolean hasRoom() {
    while (oldest < next && missing.get(slot(oldest)) == 0) {
      oldest++;
    }
    return next - oldest < missing.length();
  }

  /** Numbers the next message, for which there must be {@linkplain #hasRoom room}, and counts it on its way. */
  long open() {
    if (!hasRoom()) {
      throw new IllegalStateException("message " + next + " opened with " + missing.length() + " on their way");
    }
    missing.set(slot(next), receivers);
    return next++;
  }

  /**
   * One receiver has message {@code number}: whether that was the last receiver it was missing. The message must be
   * on its way, and each receiver report it once.
   */
  boolean arrived(long number) {
    return missing.decrementAndGet(slot(number)) == 0;
  }

  private int slot(long number) {
    return (int) (number % missing.length());
  }
}
