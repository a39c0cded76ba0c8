package org.peermesh.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import org.peermesh.bus.BusAddresses;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.PeerConnection;
import org.peermesh.peer.PeerState;
import org.peermesh.peer.PoolView;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mesh view's side on the node: the page, its bridge ({@link ViewBridge}), and what it shows. While a browser
 * watches (a client of the bridge), every {@value #INTERVAL_MS}
 * ms it publishes a snapshot on {@code <prefix>.view.snapshot}: the node, the peers of every protocol (at most
 * {@value #MAX_PEERS}) with their traffic counters and rates, and the cluster's members; and it forwards the peers'
 * state changes as they happen on {@code <prefix>.view.stateChange}, at most {@value #MAX_STATE_CHANGES_PER_INTERVAL}
 * an interval. A busy node thus sends a browser a bounded amount a second, never its messages. Both are published to
 * this JVM's consumers only: each member of a clustered node shows its own view, and a browser gets one stream.
 *
 * <p>Runs on the context of the verticle that starts it.
 */
final class MeshView {

  /** What the page reads first: the bridge's path and the view's two addresses, which carry the node's bus prefix. */
  static final String ADDRESSES_PATH = "/view.json";
  /** Where the page's files are on the class path. */
  static final String WEB_ROOT = "org/peermesh/http/view";
  static final long INTERVAL_MS = 1000;
  static final int MAX_PEERS = 256;
  static final int MAX_STATE_CHANGES_PER_INTERVAL = 64;
  /** A peer's client name is the peer's to choose: it is cut to this length. */
  static final int MAX_CLIENT_LENGTH = 64;
  /** What the protocols call the peer's software in their peers' info: Bitcoin, devp2p, Antelope. */
  private static final List<String> CLIENT_FIELDS = List.of("subversion", "clientId", "agent");
  /** What the view shows of a peer's info, beside its state, client and traffic. */
  private static final List<String> PEER_FIELDS = List.of("protocol", "peer", "host", "port", "direction", "peerId",
      "member");
  private static final Comparator<JsonObject> CONNECTED_FIRST = Comparator
      .comparing((JsonObject peer) -> !PeerState.CONNECTED.jsonName().equals(peer.getString("state")))
      .thenComparing(peer -> peer.getString("protocol"))
      .thenComparing(peer -> peer.getString("peer"));

  private final Vertx vertx;
  private final NodeStatus node;
  private final BusAddresses addresses;
  private final ViewBridge bridge;
  private final DeliveryOptions localOnly = new DeliveryOptions().setLocalOnly(true);
  private final DeliveryOptions trafficQuery = new DeliveryOptions().setLocalOnly(true).setSendTimeout(INTERVAL_MS);
  private final TrafficRates rates = new TrafficRates();
  /** A snapshot waits for its peers' counters: the next tick skips rather than pile up. */
  private boolean building;
  private int forwardedThisInterval;
  private long stateChangesDropped;

  /** @param otherOrigins the origins, besides the node's own, whose pages may watch: {@code http.viewOrigins} */
  MeshView(Vertx vertx, NodeStatus node, List<String> otherOrigins) {
    this.vertx = vertx;
    this.node = node;
    this.addresses = node.addresses();
    this.bridge = new ViewBridge(otherOrigins);
  }

  /**
   * Serves the page at {@code /}, what it reads first at {@value #ADDRESSES_PATH} and the bridge at
   * {@value ViewBridge#PATH} on {@code router}, and starts the snapshots and the forwarding of state changes;
   * completes once every protocol's state changes are consumed.
   */
  Future<Void> mount(Router router) {
    JsonObject viewAddresses = new JsonObject()
        .put("bridge", ViewBridge.NAME)
        .put("snapshot", addresses.viewSnapshot())
        .put("stateChange", addresses.viewStateChange());
    router.get(ADDRESSES_PATH).handler(request -> request.json(viewAddresses));
    router.route(ViewBridge.PATH).subRouter(bridge.router(vertx, addresses));
    // Not cached: Vert.x would mark the files immutable for a day, and a node upgraded meanwhile would serve a new
    // view.js to a browser that keeps the old one.
    router.route().handler(StaticHandler.create(WEB_ROOT).setCachingEnabled(false).setDefaultContentEncoding("UTF-8"));
    List<Future<Void>> registered = new ArrayList<>();
    node.pools().forEach((protocol, pool) -> {
      Map<String, PeerState> states = layerStates(pool);
      registered.add(vertx.eventBus().<JsonObject>consumer(addresses.protocol(protocol).stateChange(),
          change -> forward(change.body(), states)).completion());
    });
    vertx.setPeriodic(INTERVAL_MS, timer -> tick());
    return Future.all(registered).mapEmpty();
  }

  /** The layer's state for each of {@code pool}'s names: Bitcoin says "ready" for connected, "connected" before. */
  private static Map<String, PeerState> layerStates(PoolView pool) {
    Map<String, PeerState> states = new HashMap<>();
    for (PeerState state : PeerState.values()) {
      states.put(pool.stateName(state), state);
    }
    return states;
  }

  private void forward(JsonObject change, Map<String, PeerState> states) {
    if (bridge.clients() == 0) {
      return;
    }
    if (forwardedThisInterval >= MAX_STATE_CHANGES_PER_INTERVAL) {
      stateChangesDropped++;
      return;
    }
    forwardedThisInterval++;
    JsonObject event = pick(change);
    event.put("state", layerName(change.getString("state"), states));
    event.put("previous", layerName(change.getString("previous"), states));
    if (change.getString("reason") != null) {
      event.put("reason", change.getString("reason"));
    }
    vertx.eventBus().publish(addresses.viewStateChange(), event, localOnly);
  }

  private static String layerName(String protocolName, Map<String, PeerState> states) {
    PeerState state = states.get(protocolName);
    return state == null ? protocolName : state.jsonName();
  }

  private void tick() {
    forwardedThisInterval = 0;
    if (bridge.clients() == 0) {
      rates.clear();
      stateChangesDropped = 0;
      return;
    }
    if (building) {
      return;
    }
    building = true;
    long dropped = stateChangesDropped;
    stateChangesDropped = 0;
    snapshot(dropped).onComplete(built -> {
      building = false;
      if (built.succeeded()) {
        vertx.eventBus().publish(addresses.viewSnapshot(), built.result(), localOnly);
      }
    });
  }

  /** One peer of a protocol in the snapshot, before its traffic, and whether this JVM holds it. */
  private record Listed(JsonObject peer, boolean local) {
  }

  /** The snapshot, once this JVM's connected peers answered with their counters (or did not within an interval). */
  private Future<JsonObject> snapshot(long stateChangesDropped) {
    JsonArray protocols = new JsonArray();
    List<Listed> listed = new ArrayList<>();
    node.pools().forEach((protocol, pool) -> {
      Map<String, PeerState> states = layerStates(pool);
      List<JsonObject> peers = pool.peers();
      PeerAddress listen = pool.listenAddress();
      protocols.add(new JsonObject()
          .put("name", protocol)
          .put("listen", listen == null ? null : listen.toString())
          .put("connected", pool.connectedPeers())
          .put("peers", peers.size()));
      for (JsonObject info : peers) {
        JsonObject peer = pick(info).put("protocol", protocol);
        peer.put("state", layerName(info.getString("state"), states));
        clientOf(info).ifPresent(client -> peer.put("client", client));
        long latency = info.getLong("latencyMicros", -1L);
        if (latency >= 0) {
          peer.put("latencyMicros", latency);
        }
        boolean local = !info.containsKey("member");
        if (local && node.memberId() != null) {
          peer.put("member", node.memberId());
        }
        listed.add(new Listed(peer, local));
      }
    });
    listed.sort(Comparator.comparing(Listed::peer, CONNECTED_FIRST));
    List<Listed> shown = listed.subList(0, Math.min(MAX_PEERS, listed.size()));
    Map<String, JsonObject> traffic = new HashMap<>();
    List<Future<?>> counted = new ArrayList<>();
    for (Listed entry : shown) {
      JsonObject peer = entry.peer();
      if (entry.local() && PeerState.CONNECTED.jsonName().equals(peer.getString("state"))) {
        String mailbox = addresses.protocol(peer.getString("protocol")).peer(peer.getString("peer"));
        counted.add(vertx.eventBus().<JsonObject>request(mailbox,
                new JsonObject().put("action", PeerConnection.TRAFFIC), trafficQuery)
            .onSuccess(reply -> traffic.put(key(peer), reply.body())));
      }
    }
    return Future.join(counted).transform(answered -> {
      Map<String, JsonObject> rated = rates.next(traffic, System.nanoTime());
      JsonArray peers = new JsonArray();
      shown.forEach(entry -> {
        JsonObject counters = rated.get(key(entry.peer()));
        peers.add(counters == null ? entry.peer() : entry.peer().put("traffic", counters));
      });
      JsonObject self = new JsonObject().put("busPrefix", addresses.prefix());
      if (node.peerId() != null) {
        self.put("peerId", node.peerId());
      }
      if (node.memberId() != null) {
        self.put("member", node.memberId());
      }
      JsonObject snapshot = new JsonObject()
          .put("node", self)
          .put("at", System.currentTimeMillis())
          .put("intervalMs", INTERVAL_MS)
          .put("protocols", protocols)
          .put("peers", peers)
          .put("omittedPeers", listed.size() - shown.size())
          .put("stateChangesDropped", stateChangesDropped);
      if (node.isClustered()) {
        snapshot.put("cluster", new JsonObject().put("members", new JsonArray(node.clusterMembers())));
      }
      return Future.succeededFuture(snapshot);
    });
  }

  private static String key(JsonObject peer) {
    return peer.getString("protocol") + " " + peer.getString("peer");
  }

  private static JsonObject pick(JsonObject info) {
    JsonObject picked = new JsonObject();
    PEER_FIELDS.forEach(field -> {
      if (info.getValue(field) != null) {
        picked.put(field, info.getValue(field));
      }
    });
    return picked;
  }

  private static Optional<String> clientOf(JsonObject info) {
    return CLIENT_FIELDS.stream()
        .map(field -> info.getValue(field) instanceof String client ? client : null)
        .filter(client -> client != null && !client.isEmpty())
        .findFirst()
        .map(client -> client.length() > MAX_CLIENT_LENGTH ? client.substring(0, MAX_CLIENT_LENGTH) : client);
  }
}
