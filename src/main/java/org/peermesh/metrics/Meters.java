package org.peermesh.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.function.ToDoubleFunction;
import java.util.stream.DoubleStream;

/** Registers the meters of {@link Metric} in one registry, each with its name, unit, help text and tags. */
final class Meters {

  /**
   * The buckets of request latencies: a request on loopback takes a fraction of a millisecond, and none waits longer
   * than ackTimeout (seconds to a minute). Fixed, a few per decade, rather than Micrometer's percentile histogram,
   * which has about 90 per series here.
   */
  private static final Duration[] REQUEST_BUCKETS = DoubleStream.of(0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500,
          1_000, 2_500, 5_000, 10_000, 30_000, 60_000)
      .mapToObj(millis -> Duration.ofNanos((long) (millis * 1_000_000))).toArray(Duration[]::new);

  private final MeterRegistry registry;

  Meters(MeterRegistry registry) {
    this.registry = registry;
  }

  Counter counter(Metric metric, Tags tags) {
    return Counter.builder(metric.meterName()).description(metric.description()).baseUnit(metric.baseUnit())
        .tags(tags).register(registry);
  }

  /** A gauge that holds {@code state} strongly: the node's objects live as long as its meters. */
  <T> void gauge(Metric metric, Tags tags, T state, ToDoubleFunction<T> value) {
    Gauge.builder(metric.meterName(), state, value).description(metric.description()).baseUnit(metric.baseUnit())
        .tags(tags).strongReference(true).register(registry);
  }

  /** A counter of what {@code state} counts itself, read at each scrape. */
  <T> void functionCounter(Metric metric, Tags tags, T state, ToDoubleFunction<T> count) {
    FunctionCounter.builder(metric.meterName(), state, count).description(metric.description())
        .baseUnit(metric.baseUnit()).tags(tags).register(registry);
  }

  /** A timer published as a Prometheus histogram, whose buckets span what a request can take. */
  Timer histogram(Metric metric, Tags tags) {
    return Timer.builder(metric.meterName()).description(metric.description()).tags(tags)
        .serviceLevelObjectives(REQUEST_BUCKETS).register(registry);
  }
}
