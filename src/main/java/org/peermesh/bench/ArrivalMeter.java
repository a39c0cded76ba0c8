package org.peermesh.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;

import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Counts the {@link SendStamp} messages that arrive at one event-bus address and records how long each took since
 * it was stamped. Everything it keeps is touched on its own context only: a round resets it and reads it there.
 */
final class ArrivalMeter extends VerticleBase {

  private final String address;
  private final Function<Object, String> stampOf;
  private final LongConsumer onArrival;
  private final Latencies latencies = new Latencies();
  private long sinceNanos = System.nanoTime();

  /**
   * Meters {@code address}, whose message bodies carry a stamp that {@code stampOf} takes out, and tells
   * {@code onArrival} the number of each message.
   */
  ArrivalMeter(String address, Function<Object, String> stampOf, LongConsumer onArrival) {
    this.address = address;
    this.stampOf = stampOf;
    this.onArrival = onArrival;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().consumer(address, (Message<Object> message) -> {
      String stamp = stampOf.apply(message.body());
      latencies.record(System.nanoTime() - SendStamp.sentAt(stamp));
      onArrival.accept(SendStamp.number(stamp));
    }).completion();
  }

  /** Forgets what arrived so far: a round counts from here. */
  Future<Void> reset() {
    return onContext(() -> {
      latencies.clear();
      sinceNanos = System.nanoTime();
      return null;
    });
  }

  /** How many arrived since the reset. */
  Future<Integer> arrivals() {
    return onContext(latencies::count);
  }

  /** Arrivals per second since the reset, and their 99th percentile latency in microseconds. */
  Future<double[]> read() {
    return onContext(() -> {
      if (latencies.count() == 0) {
        // The sender waits for arrivals: a window of messages lost on the way stops it for good.
        throw new IllegalStateException("nothing arrived at " + address + " during the round");
      }
      return new double[] {
          latencies.count() / ((System.nanoTime() - sinceNanos) / 1e9),
          latencies.percentileMicros(99)};
    });
  }

  private <T> Future<T> onContext(Supplier<T> work) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> {
      try {
        result.complete(work.get());
      } catch (RuntimeException e) {
        result.fail(e);
      }
    });
    return result.future();
  }
}
