package org.peermesh.metrics;

import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

import java.util.EnumSet;

/**
 * The metrics Vert.x keeps of itself when the command line runs a node with an {@code http} section: Micrometer's, in
 * the Prometheus registry the node's own meters then join ({@link NodeMetrics#create}), with the JVM's. An
 * application that embeds the node gets the same by creating its Vert.x with these options.
 */
public final class VertxMetrics {

  /**
   * The labels Vert.x's meters carry: only those of bounded values. Not the event-bus address, as every peer has a
   * mailbox of its own ({@code <prefix>.<protocol>.peer.<name>}) and every event a peer names an address
   * ({@code <prefix>.<protocol>.<type>}); not the local and remote addresses of sockets, one per peer; not the HTTP
   * path, which any client chooses (the route is bounded by the router's).
   */
  private static final EnumSet<Label> LABELS = EnumSet.of(Label.EB_SIDE, Label.EB_FAILURE, Label.HTTP_METHOD,
      Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME);

  private VertxMetrics() {
  }

  /** For {@code VertxOptions.setMetricsOptions}: Micrometer on, its Prometheus registry, labels of bounded values. */
  public static MicrometerMetricsOptions options() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setJvmMetricsEnabled(true)
        .setLabels(LABELS);
  }
}
