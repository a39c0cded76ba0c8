package org.peermesh.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;
import org.peermesh.net.MemoryBudget;
import org.peermesh.peer.PeerMetrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * The node's metrics ({@link Metric}), for {@code /metrics}: each protocol's peers ({@link #protocol}) and the node's
 * gauges. They go to the Prometheus registry of the node's Vert.x when Vert.x was created with Micrometer metrics
 * (vertx-micrometer-metrics, its default registry), so that one scrape also carries Vert.x's own figures (event bus,
 * net, JVM); else to a registry of the node's own.
 *
 * <p>A node that shares Vert.x's registry removes its meters from it when it stops, as the registry outlives it. Only
 * one node's meters fit in a registry (they have the same names), so on a Vert.x that runs several nodes the first
 * shares Vert.x's registry and the others keep their own.
 */
public final class NodeMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  /** Whether the registry is Vert.x's, which outlives the node, rather than the node's own. */
  private final boolean shared;
  private final Meters meters;
  private final Map<String, ProtocolMetrics> protocols = new ConcurrentHashMap<>();

  private NodeMetrics(PrometheusMeterRegistry registry, boolean shared) {
    this.registry = registry;
    this.shared = shared;
    this.meters = new Meters(registry);
  }

  /**
   * The metrics of a node on {@code vertx}, with its memory budget's: in Vert.x's Prometheus registry if it keeps one
   * that no other node's meters are in yet, else in a registry of their own.
   */
  public static NodeMetrics create(Vertx vertx, MemoryBudget budget) {
    MeterRegistry vertxRegistry = vertx.isMetricsEnabled() ? BackendRegistries.getDefaultNow() : null;
    if (vertxRegistry instanceof PrometheusMeterRegistry prometheus) {
      // The budget's gauges claim the registry for this node: another node's there first means it is taken.
      synchronized (prometheus) {
        if (prometheus.find(Metric.MEMORY_BUDGET_LIMIT.meterName()).meter() == null) {
          NodeMetrics shared = new NodeMetrics(prometheus, true);
          shared.bindMemoryBudget(budget);
          return shared;
        }
      }
    }
    NodeMetrics own = new NodeMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), false);
    own.bindMemoryBudget(budget);
    return own;
  }

  /** What {@code /metrics} serves. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Whether the metrics go to Vert.x's registry, with its own figures, rather than one of the node's. */
  public boolean sharesVertxRegistry() {
    return shared;
  }

  /** The metrics a protocol's pool hands its connections. */
  public PeerMetrics protocol(String name) {
    return protocols.computeIfAbsent(name, protocol -> new ProtocolMetrics(meters, protocol));
  }

  private void bindMemoryBudget(MemoryBudget budget) {
    meters.gauge(Metric.MEMORY_BUDGET_LIMIT, Tags.empty(), budget, MemoryBudget::limit);
    meters.gauge(Metric.MEMORY_BUDGET_TAKEN, Tags.empty(), budget, MemoryBudget::taken);
  }

  /** A clustered node's figures: the members this one sees, and the mesh peers of every member. */
  public void bindCluster(IntSupplier members, IntSupplier peers) {
    meters.gauge(Metric.CLUSTER_MEMBERS, Tags.empty(), members, IntSupplier::getAsInt);
    meters.gauge(Metric.CLUSTER_PEERS, Tags.empty(), peers, IntSupplier::getAsInt);
  }

  /** The TCP bridge's figures: its clients, and the deliveries it dropped for those that read too slowly. */
  public void bindBridge(IntSupplier connections, LongSupplier dropped) {
    meters.gauge(Metric.BRIDGE_CONNECTIONS, Tags.empty(), connections, IntSupplier::getAsInt);
    meters.functionCounter(Metric.BRIDGE_DELIVERIES_DROPPED, Tags.empty(), dropped, LongSupplier::getAsLong);
  }

  /** Removes the node's meters from Vert.x's registry, or closes the node's own. */
  @Override
  public void close() {
    if (!shared) {
      registry.close();
      return;
    }
    Set<String> names = Arrays.stream(Metric.values()).map(Metric::meterName).collect(Collectors.toSet());
    List<Meter> ours = registry.getMeters().stream().filter(meter -> names.contains(meter.getId().getName())).toList();
    ours.forEach(registry::remove);
  }
}
