package org.peermesh.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * Keeps a fixed number of operations in flight from one event-loop context for a while, as a client with a
 * window does: each completion starts the next operation until the time is up. Latency is measured per operation
 * from its start to its completion.
 */
public final class InFlightWindow {

  /** What one run did: operations completed, in how long, and their latencies. */
  public record Result(long completed, long elapsedNanos, Latencies latencies) {

    public double perSecond() {
      return completed * 1e9 / elapsedNanos;
    }
  }

  private final Supplier<Future<?>> operation;
  private final int window;
  private final Latencies latencies = new Latencies();
  private final Promise<Result> done = Promise.promise();
  private long deadline;
  private long started;
  private long completed;
  private int inFlight;

  private InFlightWindow(Supplier<Future<?>> operation, int window) {
    this.operation = operation;
    this.window = window;
  }

  /** One round of {@code options}: runs {@code operation} with {@code window} in flight and waits for the result. */
  public static Result round(Vertx vertx, BenchOptions options, int window, Supplier<Future<?>> operation) {
    return BenchNodes.await(run(vertx, window, options.roundMillis(), operation));
  }

  /** Runs {@code operation} with {@code window} in flight for {@code millis} on a new context of {@code vertx}. */
  private static Future<Result> run(Vertx vertx, int window, long millis, Supplier<Future<?>> operation) {
    InFlightWindow run = new InFlightWindow(operation, window);
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> run.start(millis));
    return run.done.future();
  }

  private void start(long millis) {
    started = System.nanoTime();
    deadline = started + millis * 1_000_000;
    for (int i = 0; i < window; i++) {
      next();
    }
  }

  private void next() {
    inFlight++;
    long start = System.nanoTime();
    operation.get().onComplete(ar -> {
      inFlight--;
      if (ar.failed()) {
        done.tryFail(ar.cause());
        return;
      }
      long now = System.nanoTime();
      latencies.record(now - start);
      completed++;
      if (now < deadline) {
        next();
      } else if (inFlight == 0) {
        done.tryComplete(new Result(completed, now - started, latencies));
      }
    });
  }
}
