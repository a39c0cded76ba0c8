package org.peermesh.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.peermesh.metrics.NodeMetrics;
import org.peermesh.net.ListenFailure;
import org.peermesh.net.PeerAddress;

/**
 * The node's {@code http} section as a verticle: one HTTP server whose router serves {@code GET /health} (readiness),
 * {@code GET /health/live} (liveness), {@code GET /metrics} and the mesh view at {@code /}. Read-only: nothing served
 * here changes the node.
 */
public final class HttpEndpoint extends VerticleBase {

  /** Readiness: every health procedure, 200 or 503. */
  public static final String HEALTH_PATH = "/health";
  /** Liveness: whether the node runs and listens, 200 or 503. */
  public static final String LIVE_PATH = "/health/live";
  /** The node's metrics, and Vert.x's when it keeps them, in Prometheus' text format. */
  public static final String METRICS_PATH = "/metrics";

  private final HttpOptions options;
  private final NodeStatus node;
  private final NodeMetrics metrics;
  private HttpServer server;
  private volatile PeerAddress listenAddress;

  public HttpEndpoint(HttpOptions options, NodeStatus node, NodeMetrics metrics) {
    this.options = options;
    this.node = node;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    NodeHealth health = new NodeHealth(vertx, options, node);
    router.get(HEALTH_PATH).handler(health::ready);
    router.get(LIVE_PATH).handler(health::live);
    router.get(METRICS_PATH).handler(PrometheusScrapingHandler.create(metrics.registry()));
    server = vertx.createHttpServer(new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort()))
        .requestHandler(router);
    // The view's page and bridge last: its static files answer whatever path no route above serves.
    return new MeshView(vertx, node, options.getViewOrigins()).mount(router)
        .compose(viewStarted -> server.listen()
            .recover(failed -> Future.failedFuture(ListenFailure.of("http.port", options.getHost(), options.getPort(),
                failed))))
        .onSuccess(bound -> listenAddress = new PeerAddress(options.getHost(), bound.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** Where the HTTP server listens, with the port actually bound; null until it does. */
  public PeerAddress listenAddress() {
    return listenAddress;
  }
}
