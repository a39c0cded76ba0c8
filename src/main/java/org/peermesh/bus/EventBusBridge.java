package org.peermesh.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.peermesh.net.ListenFailure;
import org.peermesh.net.MemoryBudget;
import org.peermesh.net.Sockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The TCP event-bus bridge for services outside the JVM: the wire protocol of vertx-tcp-eventbus-bridge (a 4-byte
 * big-endian length and a UTF-8 JSON object per frame), served by the node itself so that every client has limits.
 * The library's bridge buffered a frame of any declared length and wrote every delivery to a client that did not
 * read; here a frame is refused by its length before a byte of it is kept, an unfinished frame and a client that
 * leaves its write queue full are cut off after their timeouts, connections beyond {@code maxConnections} are
 * refused, and deliveries that do not fit a client's write queue are dropped and counted (see
 * {@link BridgeConnection}). A client may send the node's commands and register for its messages, events and
 * procedures, and nothing else ({@link BridgePermissions}): the peer mailboxes stay internal.
 */
public final class EventBusBridge {

  private static final Logger LOG = LoggerFactory.getLogger(EventBusBridge.class);

  private final Vertx vertx;
  private final BridgeOptions options;
  private final BridgePermissions permissions;
  private final String droppedAddress;
  private final NetServer server;
  private final MemoryBudget memoryBudget;
  /** Clients connected now, on every event loop. */
  private final AtomicInteger connections = new AtomicInteger();
  /** Deliveries dropped for clients that read too slowly, by address, since the bridge started. */
  private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();
  /** Lines about clients' bad frames: 10 in 10 s at most, for all clients together. */
  private final LogLimit badFrameLog = new LogLimit(10, TimeUnit.SECONDS.toNanos(10), System::nanoTime);

  private EventBusBridge(Vertx vertx, BusAddresses addresses, Collection<String> protocols, BridgeOptions options,
                         MemoryBudget memoryBudget) {
    this.vertx = vertx;
    this.memoryBudget = memoryBudget;
    this.options = options;
    this.permissions = BridgePermissions.of(addresses, protocols);
    this.droppedAddress = addresses.bridgeDropped();
    this.server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true)).connectHandler(this::connected);
  }

  /**
   * Listens where {@code options} say, for the mesh's commands and events and those of the {@code protocols} the
   * node runs beside it. What clients' frames and queues hold beyond their free bytes comes from the node's
   * {@code memoryBudget}, as its peers' does.
   */
  public static Future<EventBusBridge> start(Vertx vertx, BusAddresses addresses, Collection<String> protocols,
                                             BridgeOptions options, MemoryBudget memoryBudget) {
    EventBusBridge bridge = new EventBusBridge(vertx, addresses, protocols, options, memoryBudget);
    return bridge.server.listen(options.getPort(), options.getHost()).map(bridge)
        .recover(failed -> Future.failedFuture(ListenFailure.of("bridge.port", options.getHost(), options.getPort(),
            failed)));
  }

  /**
   * The deliveries dropped for clients that read too slowly since the bridge started, by address: what no client
   * got, in one place for the operator, where each client hears of its own in its drop notices.
   */
  public JsonObject dropped() {
    JsonObject counts = new JsonObject();
    dropped.forEach((address, count) -> counts.put(address, count.sum()));
    return counts;
  }

  /** The clients connected now. */
  public int connections() {
    return connections.get();
  }

  /** The deliveries dropped for clients that read too slowly since the bridge started, on every address. */
  public long droppedTotal() {
    return dropped.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Stops listening and closes every client's connection, which ends its registrations. */
  public Future<Void> close() {
    return server.close();
  }

  private void connected(NetSocket socket) {
    if (connections.incrementAndGet() > options.getMaxConnections()) {
      connections.decrementAndGet();
      String reason = "too many connections: bridge.maxConnections " + options.getMaxConnections() + " reached";
      LOG.info("Bridge client {} refused: {}", socket.remoteAddress(), reason);
      Sockets.close(vertx, socket, BridgeConnection.errFrame(reason), options.getWriteTimeout());
      return;
    }
    new BridgeConnection(vertx, socket, options, permissions, droppedAddress, memoryBudget.open(),
        address -> dropped.computeIfAbsent(address, a -> new LongAdder()).increment(), badFrameLog,
        connections::decrementAndGet).start();
  }
}
