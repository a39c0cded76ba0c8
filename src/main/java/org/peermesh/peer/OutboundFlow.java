package org.peermesh.peer;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.peermesh.bus.Failure;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * What local senders (the node's API, a bus service, a router) send one peer, at the peer's pace: the session of
 * every protocol hands their messages here instead of to {@link PeerLink#send}, and answers the sender when the
 * returned future completes. Runs on the connection's context, as the session does.
 *
 * <ul>
 *   <li>Messages are queued at once while the outbox has room, and the sender is answered once the socket takes
 *       more: at once unless the peer reads slower than we write. A sender that keeps a bounded window of answers
 *       open goes at the peer's pace. An answer held ackTimeout is a 504: the messages are queued, the peer did not
 *       drain them in time, whatever timeout the sender itself set.</li>
 *   <li>Messages that do not fit in the outbox while the peer still reads (its socket drained within ackTimeout) wait
 *       here, in order, for the drain: a burst does not get a reading peer cut off. What waited ackTimeout is
 *       dropped and its sender told 504, as its own timeout has told it by then. At most {@code maxWriteQueueSize}
 *       bytes wait: beyond, a message is refused at once with 429, so that a peer that reads a trickle holds no more
 *       than twice its write-queue limit, whatever its senders do.</li>
 *   <li>A peer whose socket has not drained for ackTimeout does not read: what waits, and what comes, goes to the
 *       outbox again, whose limit ({@code maxWriteQueueSize}) cuts the peer off.</li>
 * </ul>
 *
 * @param <M> the protocol's message type
 */
public final class OutboundFlow<M> {

  /** Messages waiting for room in the outbox, their size, since when, and their sender's answer. */
  private record Waiting<M>(List<? extends M> messages, long bytes, long sinceNanos, Promise<Void> answer) {
  }

  /** The answer to messages queued while the socket was backed up, and since when it waits for the drain. */
  private record Held(Promise<Void> answer, long sinceNanos) {
  }

  private final PeerLink<M> link;
  private final String peer;
  private final ToLongFunction<M> sizeOnWire;
  private final long ackTimeoutNanos;
  private final long maxWaitingBytes;
  /**
   * Answers to messages queued while the socket was backed up, given when it drains; bounded as the outbox is. Both
   * queues start empty, not at ArrayDeque's 16 slots: most peers never back up, and a node holds thousands.
   */
  private final ArrayDeque<Held> heldAnswers = new ArrayDeque<>(0);
  private final ArrayDeque<Waiting<M>> waiting = new ArrayDeque<>(0);
  private long waitingBytes;
  /** Armed while an answer is held or messages wait, for the oldest's ackTimeout. */
  private long expiryTimer = -1;
  private long messagesQueued;
  private String closedReason;

  /**
   * @param peer             how failures name the peer
   * @param sizeOnWire       how many bytes a message takes in the outbox
   * @param ackTimeoutMillis how long a sender waits for its answer: the protocol's ackTimeout
   * @param maxWaitingBytes  how many bytes of messages may wait for room: the protocol's maxWriteQueueSize
   */
  public OutboundFlow(PeerLink<M> link, String peer, ToLongFunction<M> sizeOnWire, long ackTimeoutMillis,
                      long maxWaitingBytes) {
    this.link = link;
    this.peer = peer;
    this.sizeOnWire = sizeOnWire;
    this.ackTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(ackTimeoutMillis);
    this.maxWaitingBytes = maxWaitingBytes;
  }

  /**
   * Sends {@code messages}, in order after everything sent before.
   *
   * @return completes once they are queued and the socket takes more; fails with 429 if they would wait beyond
   *     maxWaitingBytes, 504 if they waited ackTimeout for room and were dropped, or 502 if the connection closed
   *     first
   */
  public Future<Void> send(List<? extends M> messages) {
    if (closedReason != null) {
      return Future.failedFuture(disconnected());
    }
    expire();
    long bytes = 0;
    for (M message : messages) {
      bytes += sizeOnWire.applyAsLong(message);
    }
    Promise<Void> answer = Promise.promise();
    boolean peerReads = link.backedUpNanos() < ackTimeoutNanos;
    if (peerReads && (!waiting.isEmpty() || !link.hasRoomFor(bytes))) {
      if (waitingBytes + bytes > maxWaitingBytes) {
        link.metrics().dropped(PeerMetrics.Drop.WRITE_QUEUE_FULL, messages.size());
        return Future.failedFuture(Failure.TOO_MANY_REQUESTS.exception("peer " + peer + " reads slower than it is "
            + "sent to: " + waitingBytes + " bytes wait for its queue already, at most " + maxWaitingBytes));
      }
      if (!link.holdWaiting(waitingBytes + bytes)) {
        link.metrics().dropped(PeerMetrics.Drop.MEMORY_BUDGET, messages.size());
        return Future.failedFuture(Failure.TOO_MANY_REQUESTS.exception("peer " + peer + " reads slower than it is "
            + "sent to, and the node's memory budget has no room for more messages waiting for it"));
      }
      waiting.add(new Waiting<>(messages, bytes, System.nanoTime(), answer));
      waitingBytes += bytes;
      armExpiry();
      return answer.future();
    }
    while (!waiting.isEmpty() && closedReason == null) {
      queue(pollWaiting());
    }
    queue(messages, answer);
    return answer.future();
  }

  /** Whether the socket is backed up: answers are held until it drains. */
  public boolean backedUp() {
    return !link.writable();
  }

  /** Messages queued to the outbox so far. */
  public long messagesQueued() {
    return messagesQueued;
  }

  /** The socket drained ({@link Session#drained}): answers what was held, then sends what waits while it fits. */
  public void drained() {
    while (link.writable() && !heldAnswers.isEmpty()) {
      heldAnswers.poll().answer().tryComplete();
    }
    expire();
    while (!waiting.isEmpty() && closedReason == null && link.hasRoomFor(waiting.peek().bytes())) {
      queue(pollWaiting());
    }
  }

  /** The connection closed: every sender still waiting is told 502. */
  public void closed(String reason) {
    closedReason = reason;
    if (expiryTimer >= 0) {
      link.vertx().cancelTimer(expiryTimer);
      expiryTimer = -1;
    }
    heldAnswers.forEach(held -> held.answer().tryFail(disconnected()));
    heldAnswers.clear();
    waiting.forEach(unsent -> unsent.answer().tryFail(disconnected()));
    waiting.clear();
    waitingBytes = 0;
    link.holdWaiting(0);
  }

  /**
   * Answers 504 what waited ackTimeout: held answers (their messages are queued, the peer did not drain them in
   * time) and waiting messages, dropped unsent, as their senders will not expect them any more.
   */
  private void expire() {
    long now = System.nanoTime();
    while (!heldAnswers.isEmpty() && now - heldAnswers.peek().sinceNanos() >= ackTimeoutNanos) {
      heldAnswers.poll().answer().tryFail(Failure.TIMEOUT.exception(
          "peer " + peer + " did not read what was queued for it within ackTimeout"));
    }
    while (!waiting.isEmpty() && now - waiting.peek().sinceNanos() >= ackTimeoutNanos) {
      Waiting<M> expired = pollWaiting();
      link.metrics().dropped(PeerMetrics.Drop.ACK_TIMEOUT, expired.messages().size());
      expired.answer().tryFail(Failure.TIMEOUT.exception(
          "peer " + peer + " read too slowly: the messages waited ackTimeout for room in its queue"));
    }
  }

  private void armExpiry() {
    if (expiryTimer >= 0 || closedReason != null || (heldAnswers.isEmpty() && waiting.isEmpty())) {
      return;
    }
    long oldest = Math.min(heldAnswers.isEmpty() ? Long.MAX_VALUE : heldAnswers.peek().sinceNanos(),
        waiting.isEmpty() ? Long.MAX_VALUE : waiting.peek().sinceNanos());
    long delayMillis = TimeUnit.NANOSECONDS.toMillis(oldest + ackTimeoutNanos - System.nanoTime()) + 1;
    expiryTimer = link.vertx().setTimer(Math.max(1, delayMillis), t -> {
      expiryTimer = -1;
      expire();
      armExpiry();
    });
  }

  private Waiting<M> pollWaiting() {
    Waiting<M> next = waiting.poll();
    waitingBytes -= next.bytes();
    link.holdWaiting(waitingBytes);
    return next;
  }

  private void queue(Waiting<M> next) {
    queue(next.messages(), next.answer());
  }

  private void queue(List<? extends M> messages, Promise<Void> answer) {
    messagesQueued += messages.size();
    messages.forEach(link::send);
    if (closedReason != null) {
      answer.tryFail(disconnected());
    } else if (link.writable()) {
      answer.tryComplete();
    } else {
      heldAnswers.add(new Held(answer, System.nanoTime()));
      armExpiry();
    }
  }

  private Throwable disconnected() {
    return Failure.PEER_DISCONNECTED.exception("peer " + peer + " disconnected before its queue drained: "
        + closedReason);
  }
}
