package org.peermesh.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.PoolView;

import java.util.List;
import java.util.Map;

/**
 * The node's health as Vert.x health-check procedures: {@value #LISTENING} (the node runs and every protocol that
 * listens is bound), {@value #PEERS} (each protocol has its {@code http.minPeers} connected) and, in a clustered node,
 * {@value #CLUSTER} (this member is in its cluster). Liveness asks only the first: a node without its peers yet is
 * alive, and restarting it would not bring them; readiness asks all of them.
 */
final class NodeHealth {

  static final String LISTENING = "listening";
  static final String PEERS = "peers";
  static final String CLUSTER = "cluster";

  private final HealthChecks live;
  private final HealthChecks ready;

  NodeHealth(Vertx vertx, HttpOptions options, NodeStatus node) {
    live = HealthChecks.create(vertx).register(LISTENING, done -> done.complete(listening(node)));
    ready = HealthChecks.create(vertx)
        .register(LISTENING, done -> done.complete(listening(node)))
        .register(PEERS, done -> done.complete(peers(node, options)));
    if (node.isClustered()) {
      ready.register(CLUSTER, done -> done.complete(cluster(node)));
    }
  }

  private static Status listening(NodeStatus node) {
    JsonObject where = new JsonObject();
    node.pools().forEach((protocol, pool) -> {
      PeerAddress address = pool.listenAddress();
      where.put(protocol, address == null ? null : address.toString());
    });
    return node.isActive() ? Status.OK(where) : Status.KO(where.put("reason", "the node is not running"));
  }

  private static Status peers(NodeStatus node, HttpOptions options) {
    JsonObject counts = new JsonObject();
    boolean enough = true;
    for (Map.Entry<String, PoolView> pool : node.pools().entrySet()) {
      int connected = pool.getValue().connectedPeers();
      int min = options.minPeers(pool.getKey());
      enough &= connected >= min;
      counts.put(pool.getKey(), new JsonObject().put("connected", connected).put("min", min));
    }
    return new Status().setOk(enough).setData(counts);
  }

  private static Status cluster(NodeStatus node) {
    List<String> members = node.clusterMembers();
    JsonObject data = new JsonObject().put("members", members.size());
    return members.isEmpty() ? Status.KO(data.put("reason", "this member is not in its cluster")) : Status.OK(data);
  }

  /** {@code GET /health/live}. */
  void live(RoutingContext request) {
    respond(request, live.checkStatus());
  }

  /** {@code GET /health}. */
  void ready(RoutingContext request) {
    respond(request, ready.checkStatus());
  }

  /** 200 when every procedure is up, else 503, with each procedure's status and data as JSON. */
  private static void respond(RoutingContext request, Future<CheckResult> checked) {
    checked.onComplete(ar -> {
      CheckResult result = ar.succeeded() ? ar.result() : CheckResult.from("node", ar.cause());
      request.response()
          .setStatusCode(CheckResult.isUp(result) ? 200 : 503)
          .putHeader("content-type", "application/json")
          .end(result.toJson().encode());
    });
  }
}
