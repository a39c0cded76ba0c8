package org.peermesh.metrics;

import org.peermesh.http.HttpEndpoint;
import org.peermesh.net.PeerAddress;
import org.peermesh.testing.TestNodes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** One answer of a node's {@code GET /metrics}, fetched over HTTP and read as Prometheus' text format. */
record Scrape(String contentType, String text, List<Sample> samples) {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  /** One line of a metric: its name, labels and value. */
  record Sample(String name, Map<String, String> labels, double value) {
  }

  static Scrape of(PeerAddress http) throws IOException, InterruptedException {
    HttpResponse<String> response = CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://" + http + HttpEndpoint.METRICS_PATH)).timeout(TestNodes.DEADLINE)
            .build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("GET /metrics answered " + response.statusCode() + ": " + response.body());
    }
    return parse(response.headers().firstValue("content-type").orElse(""), response.body());
  }

  static Scrape parse(String contentType, String text) {
    List<Sample> samples = text.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).map(line -> {
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        throw new AssertionError("not a sample of the text format: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(sample.group(2));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      return new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3)));
    }).toList();
    return new Scrape(contentType, text, samples);
  }

  /** What a node's {@code /metrics} says now; a failed fetch fails the test. */
  static Scrape now(PeerAddress http) {
    try {
      return of(http);
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The sum of the samples named {@code name} whose labels include {@code labels} (pairs of name and value). */
  double value(String name, String... labels) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    return samples.stream().filter(sample -> sample.name().equals(name))
        .filter(sample -> sample.labels().entrySet().containsAll(wanted.entrySet()))
        .mapToDouble(Sample::value).sum();
  }

  /** The samples named {@code name}. */
  List<Sample> named(String name) {
    return samples.stream().filter(sample -> sample.name().equals(name)).toList();
  }

  /** The names of the metric families, from their {@code # TYPE} lines, with their types. */
  Map<String, String> families() {
    return text.lines().filter(line -> line.startsWith("# TYPE ")).map(line -> line.split(" "))
        .collect(Collectors.toMap(parts -> parts[2], parts -> parts[3], (a, b) -> a, LinkedHashMap::new));
  }

  /** The names of the families that start with {@code prefix}. */
  Set<String> familiesStartingWith(String prefix) {
    return families().keySet().stream().filter(name -> name.startsWith(prefix)).collect(Collectors.toSet());
  }
}
