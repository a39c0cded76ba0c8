package org.peermesh.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Keeps at most {@code window} messages in flight from one Vert.x context: a message is in flight from its send
 * until both its future has completed and it has {@linkplain #arrived arrived} at every receiver (an
 * {@link ArrivalWindow}). Bounding the future alone would not do: a future completes when the first hop has taken
 * the message (a peer verticle queued it, a relay replied, the router handed a broadcast to its peers), and behind
 * that hop a queue would grow as fast as the sender outruns the receivers, so the latency would measure that queue
 * and not the path. It starts sending when deployed and stops when undeployed, once every outstanding future has
 * completed. The first failed send stops it, and {@link #failure} tells a round that it measured a broken path.
 */
final class WindowedSender extends VerticleBase {

  private final int window;
  private final SendStamp stamp;
  private final Function<String, Future<?>> send;
  /** Filled on this context, emptied on the receivers'. */
  private final ArrivalWindow arrivals;
  /** Set when the window is full of messages yet to arrive: the next to reach its last receiver wakes the sender. */
  private final AtomicBoolean waitingForArrivals = new AtomicBoolean();
  private boolean running;
  /** Set while {@link #fill} runs, so that a future completed at once does not fill from within it. */
  private boolean filling;
  private long sent;
  private long completed;
  private Promise<Void> drained;
  private volatile Throwable failure;

  /**
   * Sends {@code stamp}'s messages with {@code send}, whose future completes when the path has taken one, each to
   * arrive at {@code receivers} receivers.
   */
  WindowedSender(int window, int receivers, SendStamp stamp, Function<String, Future<?>> send) {
    this.window = window;
    this.arrivals = new ArrivalWindow(window, receivers);
    this.stamp = stamp;
    this.send = send;
  }

  @Override
  public Future<?> start() {
    running = true;
    fill();
    return Future.succeededFuture();
  }

  /** Called, on any thread, each time message {@code number} arrived at one of its receivers. */
  void arrived(long number) {
    if (arrivals.arrived(number) && waitingForArrivals.compareAndSet(true, false)) {
      context.runOnContext(v -> fill());
    }
  }

  /** Sends until the window is full; if arrivals are what it waits for, asks the next one to call again. */
  private void fill() {
    if (filling) {
      return;
    }
    filling = true;
    try {
      while (running && sent - completed < window) {
        if (!arrivals.hasRoom()) {
          waitingForArrivals.set(true);
          // An arrival between the check and the flag saw no flag: look again, and go on if one came.
          if (!arrivals.hasRoom() || !waitingForArrivals.compareAndSet(true, false)) {
            return;
          }
        }
        issue();
      }
    } finally {
      filling = false;
    }
  }

  private void issue() {
    sent++;
    Future<?> sending;
    try {
      sending = send.apply(stamp.next(arrivals.open()));
    } catch (RuntimeException e) {
      sending = Future.failedFuture(e);
    }
    sending.onComplete(done -> {
      completed++;
      if (done.failed() && failure == null) {
        failure = done.cause();
        running = false;
      }
      if (running) {
        fill();
      } else if (sent == completed && drained != null) {
        drained.complete();
      }
    });
  }

  @Override
  public Future<?> stop() {
    running = false;
    if (sent == completed) {
      return Future.succeededFuture();
    }
    drained = Promise.promise();
    return drained.future();
  }

  /** The first send that failed, or null. */
  Throwable failure() {
    return failure;
  }
}
