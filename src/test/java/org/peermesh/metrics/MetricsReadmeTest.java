package org.peermesh.metrics;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's table of metrics says what the code registers, both ways: each {@link Metric}, registered as the node
 * registers it and scraped as Prometheus reads it, is a row with its Prometheus name, type and tags, and each row is
 * a {@link Metric}. The node registers meters only through {@link Meters}, which takes only a {@link Metric}.
 */
class MetricsReadmeTest {

  private static final Path README = Path.of("README.md");
  private static final String MARKER = "<!-- metrics:";

  /** A row of the table, or a metric as the code registers it. */
  private record Row(String name, String type, List<String> tags) {
  }

  @Test
  void theReadmeTableListsEveryMetricTheCodeRegistersWithItsTypeAndTags() throws IOException {
    Map<String, Row> documented = readmeRows().stream()
        .collect(Collectors.toMap(Row::name, row -> row, (a, b) -> {
          throw new AssertionError("the README lists " + a.name() + " twice");
        }, TreeMap::new));
    Map<String, Row> registered = Arrays.stream(Metric.values()).map(MetricsReadmeTest::asRegistered)
        .collect(Collectors.toMap(Row::name, row -> row, (a, b) -> {
          throw new AssertionError("two metrics are " + a.name() + " in Prometheus");
        }, TreeMap::new));
    assertEquals(registered.keySet(), documented.keySet(), "metric names, code and README");
    registered.forEach((name, row) -> assertEquals(row, documented.get(name), name));
  }

  @Test
  void everyMetricIsANodeMetricWithTheConventionalSuffix() {
    for (Metric metric : Metric.values()) {
      Row row = asRegistered(metric);
      assertTrue(row.name().startsWith("peermesh_"), row.name());
      if (row.type().equals("counter")) {
        assertTrue(row.name().endsWith("_total"), row.name());
      }
      if ("bytes".equals(metric.baseUnit())) {
        assertTrue(row.name().endsWith("_bytes") || row.name().endsWith("_bytes_total"), row.name());
      }
    }
  }

  /** The metric's family as a scrape shows it: registered alone, as the node registers it, with its tags. */
  private static Row asRegistered(Metric metric) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Meters meters = new Meters(registry);
    Tags tags = Tags.empty();
    for (String tag : metric.tags()) {
      tags = tags.and(tag, "x");
    }
    switch (metric.type()) {
      case COUNTER -> meters.counter(metric, tags);
      case GAUGE -> meters.gauge(metric, tags, new AtomicInteger(), AtomicInteger::get);
      case TIMER -> meters.histogram(metric, tags);
      default -> throw new AssertionError("a type the node does not register: " + metric.type());
    }
    Scrape scrape = Scrape.parse("", registry.scrape());
    // A timer is a histogram and its _max gauge: the histogram is the row.
    Map.Entry<String, String> family = scrape.families().entrySet().stream()
        .filter(entry -> scrape.families().size() == 1 || !entry.getKey().endsWith("_max")).findFirst()
        .orElseThrow();
    Set<String> labels = scrape.samples().stream().filter(sample -> sample.name().startsWith(family.getKey()))
        .flatMap(sample -> sample.labels().keySet().stream()).filter(label -> !label.equals("le"))
        .collect(Collectors.toSet());
    assertEquals(Set.copyOf(metric.tags()), labels, metric.name());
    return new Row(family.getKey(), family.getValue(), metric.tags());
  }

  /** The rows of the table after the marker: {@code | `name` | type | `tag`, `tag` | meaning |}. */
  private static List<Row> readmeRows() throws IOException {
    List<String> lines = Files.readAllLines(README);
    int start = lines.indexOf(lines.stream().filter(line -> line.startsWith(MARKER)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + MARKER + " marker in the README")));
    return lines.stream().skip(start + 3).takeWhile(line -> line.startsWith("|")).map(line -> {
      String[] cells = line.split("\\|", -1);
      String tags = cells[3].trim();
      return new Row(cells[1].trim().replace("`", ""), cells[2].trim(), tags.isEmpty() ? List.of()
          : Arrays.stream(tags.split(",")).map(tag -> tag.trim().replace("`", "")).toList());
    }).toList();
  }
}
