package org.peermesh.node;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.CommandConsumers;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.mesh.PeerPool;
import org.peermesh.mesh.StatsQuery;
import org.peermesh.net.MemoryBudget;
import org.peermesh.peer.PeerDirectory;
import org.peermesh.peer.PeerInfo;
import org.peermesh.peer.PoolView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The node's {@code peers} command: the peers of every protocol the node runs, each entry with its {@code protocol}.
 * The mesh's connected peers are the whole node's (its directory spans the cluster), with their counters when asked
 * {@code {"stats": true}} (and then this member's memory budget and its bridge's dropped deliveries), and its recently disconnected ones; another
 * protocol's as its pool lists them, the connected peers of the other members included.
 */
final class PeerListVerticle extends VerticleBase {

  private final BusAddresses addresses;
  private final PeerDirectory directory;
  /** The mesh's pool and options; null when the node runs without the mesh. */
  private final PeerPool meshPool;
  private final MeshOptions meshOptions;
  private final Map<String, ? extends PoolView> protocolPools;
  private final MemoryBudget memoryBudget;
  /** The bridge's dropped deliveries by address; empty without a bridge. */
  private final Supplier<JsonObject> bridgeDropped;

  PeerListVerticle(BusAddresses addresses, PeerDirectory directory, PeerPool meshPool, MeshOptions meshOptions,
                   Map<String, ? extends PoolView> protocolPools, MemoryBudget memoryBudget,
                   Supplier<JsonObject> bridgeDropped) {
    this.addresses = addresses;
    this.memoryBudget = memoryBudget;
    this.bridgeDropped = bridgeDropped;
    this.directory = directory;
    this.meshPool = meshPool;
    this.meshOptions = meshOptions;
    this.protocolPools = protocolPools;
  }

  @Override
  public Future<?> start() {
    return CommandConsumers.register(vertx.eventBus(), addresses, addresses.peers(), this::peers);
  }

  private void peers(Message<Object> command) {
    boolean withStats = command.body() instanceof JsonObject json && json.getBoolean("stats", false);
    JsonArray disconnected = new JsonArray();
    List<PeerInfo> meshPeers = List.of();
    if (meshPool != null) {
      meshPool.disconnectedPeers().forEach(p -> disconnected.add(mesh(p.toJson())));
      meshPeers = directory.connectedPeers();
    }
    List<Future<JsonObject>> connected = new ArrayList<>();
    for (PeerInfo peer : meshPeers) {
      connected.add(!withStats ? Future.succeededFuture(mesh(peer.toJson()))
          : vertx.eventBus().<JsonObject>request(addresses.peer(peer.peerId()), new StatsQuery(),
                  new DeliveryOptions().setSendTimeout(meshOptions.getAckTimeout()))
              .map(reply -> mesh(reply.body()))
              .otherwise(err -> mesh(peer.toJson())));
    }
    protocolPools.values().forEach(pool -> pool.peers().forEach(peer -> connected.add(Future.succeededFuture(peer))));
    Future.join(connected).onComplete(done -> {
      JsonArray entries = new JsonArray();
      connected.forEach(entry -> entries.add(entry.result()));
      JsonObject reply = new JsonObject().put("connected", entries).put("disconnected", disconnected);
      if (withStats) {
        // This member's: each JVM of a clustered node has a heap, and a budget, of its own.
        reply.put("memoryBudget", new JsonObject().put("limit", memoryBudget.limit()).put("taken", memoryBudget.taken()))
            .put("bridgeDropped", bridgeDropped.get());
      }
      command.reply(reply);
    });
  }

  private static JsonObject mesh(JsonObject entry) {
    return entry.put("protocol", BusAddresses.MESH);
  }
}
