package org.peermesh.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;

import java.util.function.Function;

/**
 * Keeps {@code window} sends outstanding from one Vert.x context: each completed send issues the next, so the
 * sender runs as fast as the path completes its futures and is never more than {@code window} ahead of it. It starts
 * sending when deployed and stops when undeployed, once every outstanding send has completed. The first failed send
 * stops it, and {@link #failure} tells a round that it measured a broken path.
 */
final class WindowedSender extends VerticleBase {

  private final int window;
  private final SendStamp stamp;
  private final Function<String, Future<?>> send;
  private boolean running;
  private int outstanding;
  private Promise<Void> drained;
  private volatile Throwable failure;

  /** Sends {@code stamp}'s messages with {@code send}, whose future completes when the path has taken one. */
  WindowedSender(int window, SendStamp stamp, Function<String, Future<?>> send) {
    this.window = window;
    this.stamp = stamp;
    this.send = send;
  }

  @Override
  public Future<?> start() {
    running = true;
    for (int i = 0; i < window && running; i++) {
      issue();
    }
    return Future.succeededFuture();
  }

  private void issue() {
    outstanding++;
    Future<?> sent;
    try {
      sent = send.apply(stamp.next());
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(done -> {
      outstanding--;
      if (done.failed() && failure == null) {
        failure = done.cause();
        running = false;
      }
      if (running) {
        issue();
      } else if (outstanding == 0 && drained != null) {
        drained.complete();
      }
    });
  }

  @Override
  public Future<?> stop() {
    running = false;
    if (outstanding == 0) {
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
