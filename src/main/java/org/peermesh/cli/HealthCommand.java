package org.peermesh.cli;

import org.peermesh.http.HttpEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code health}: asks a node's {@code /health} whether it is ready, the way a container's {@code HEALTHCHECK} needs
 * it: exit 0 for a 200, 1 for anything else, with no curl or wget in the image. It runs in a JVM of its own every few
 * seconds beside the node, so it uses the JDK's HTTP client rather than starting a Vert.x.
 */
@Command(name = "health", sortOptions = false,
    description = {"Ask a node's HTTP endpoint whether it is ready, print its answer, and exit 0 when it is (200).",
        "The node needs an http section; exit code 1 when the answer is not 200 or none comes."})
final class HealthCommand implements Callable<Integer> {

  /** The endpoint of a node with the http section's default host and port. */
  static final String DEFAULT_URL = "http://127.0.0.1:8080" + HttpEndpoint.HEALTH_PATH;
  /** Longer than a health check takes, shorter than Docker's default HEALTHCHECK timeout (30 s). */
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  /** A health report is a few hundred bytes; what is beyond this is not printed, nor read. */
  static final int MAX_PRINTED_BYTES = 16 * 1024;

  private final PrintStream out;
  private final PrintStream err;

  @Spec
  private CommandSpec spec;

  @Option(names = "--url", paramLabel = "URL", defaultValue = DEFAULT_URL,
      description = "The node's health endpoint: /health for readiness, /health/live for liveness "
          + "(default: ${DEFAULT-VALUE}).")
  private URI url;

  @Mixin
  private HelpOption help;

  HealthCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (!Set.of("http", "https").contains(url.getScheme()) || url.getHost() == null) {
      throw new ParameterException(spec.commandLine(), "--url must be an http:// or https:// URL with a host, not '"
          + url + "'");
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build();
    try {
      HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        out.println(new String(body.readNBytes(MAX_PRINTED_BYTES), StandardCharsets.UTF_8));
      }
      if (response.statusCode() != 200) {
        err.println("not ready: HTTP " + response.statusCode() + " from " + url);
        return 1;
      }
      return 0;
    } catch (HttpTimeoutException e) {
      throw new UncheckedIOException("no answer from " + url + " within " + TIMEOUT.toSeconds() + " s", e);
    } catch (IOException e) {
      throw new UncheckedIOException("no answer from " + url + ": " + reason(e), e);
    }
  }

  /** The JDK's client leaves the messages of its most common failures empty. */
  private static String reason(IOException e) {
    if (e.getMessage() != null) {
      return e.getMessage();
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    if (root instanceof UnresolvedAddressException) {
      return "unknown host";
    }
    return e instanceof ConnectException ? "cannot connect" : e.getClass().getSimpleName();
  }
}
