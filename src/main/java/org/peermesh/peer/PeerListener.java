package org.peermesh.peer;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.peermesh.net.ListenFailure;
import org.peermesh.net.PeerAddress;

import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool's listening address, accepted on every event loop: one Vert.x server per event loop, each bound from a
 * context of its own loop, share the port, and Vert.x hands each accepted socket to them in turn on the server's
 * loop. An inbound peer then lives on its socket's event loop, as an outbound one does on the loop it dialed from,
 * and the node's inbound peers spread over every loop instead of sharing the pool's one.
 *
 * <p>Servers bound from a context outside any deployment are not closed by an undeploy: {@link #close} is the
 * owner's to call.
 */
public final class PeerListener {

  /**
   * A negative port asks Vert.x for a random port shared by every server bound with that same negative number; each
   * listener of port 0 takes a number of its own, so two pools of one Vert.x never share a port.
   */
  private static final AtomicInteger SHARED_RANDOM_PORTS = new AtomicInteger();
  /**
   * The fixed addresses listened on, per Vert.x: Vert.x would let a second pool bound to a taken port share it,
   * splitting the first pool's peers between the two, where a pool expects to be told the address is in use.
   */
  private static final Set<Bound> FIXED = ConcurrentHashMap.newKeySet();

  private final List<NetServer> servers;
  private final PeerAddress address;
  private final Bound fixed;

  private PeerListener(List<NetServer> servers, PeerAddress address, Bound fixed) {
    this.servers = servers;
    this.address = address;
    this.fixed = fixed;
  }

  /**
   * Listens on {@code at} (port 0: a random port) from every event loop of {@code vertx}; {@code accept} runs on
   * the event loop of the socket it is given. A failure to bind names {@code key}, the config key of the port
   * ({@code mesh.listen.port}), and the address: see {@link ListenFailure}.
   */
  public static Future<PeerListener> listen(Vertx vertx, PeerAddress at, String key, Handler<NetSocket> accept) {
    VertxInternal internal = (VertxInternal) vertx;
    int loops = 0;
    for (EventExecutor ignored : internal.nettyEventLoopGroup()) {
      loops++;
    }
    Bound fixed = at.port() == 0 ? null : new Bound(vertx, at);
    if (fixed != null && !FIXED.add(fixed)) {
      return Future.failedFuture(ListenFailure.of(key, at.host(), at.port(),
          new BindException("Address already in use: " + at + " is another pool's")));
    }
    int port = fixed == null ? -SHARED_RANDOM_PORTS.incrementAndGet() : at.port();
    NetServerOptions options = new NetServerOptions().setHost(at.host()).setPort(port).setTcpNoDelay(true);
    List<NetServer> servers = new ArrayList<>();
    List<Future<NetServer>> bound = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      ContextInternal loop = internal.createEventLoopContext();
      Promise<NetServer> listening = Promise.promise();
      NetServer server = vertx.createNetServer(options).connectHandler(accept);
      servers.add(server);
      loop.runOnContext(v -> server.listen().onComplete(listening));
      bound.add(listening.future());
    }
    // Every bind settles before any server is closed: Vert.x's close of a server whose bind is under way or failed
    // throws, which would replace the failure that names the address.
    return Future.join(bound).transform(settled -> {
      if (settled.succeeded()) {
        return Future.succeededFuture(
            new PeerListener(servers, new PeerAddress(at.host(), servers.get(0).actualPort()), fixed));
      }
      List<NetServer> listening = new ArrayList<>();
      Throwable failed = null;
      for (int i = 0; i < servers.size(); i++) {
        if (bound.get(i).succeeded()) {
          listening.add(servers.get(i));
        } else if (failed == null) {
          failed = bound.get(i).cause();
        }
      }
      Throwable cause = failed;
      return closeAll(listening, fixed)
          .transform(closed -> Future.failedFuture(ListenFailure.of(key, at.host(), at.port(), cause)));
    });
  }

  /** The address listened on, with the port bound. */
  public PeerAddress address() {
    return address;
  }

  /** Stops listening; in Vert.x 5 this also closes every socket the servers accepted. */
  public Future<Void> close() {
    return closeAll(servers, fixed);
  }

  private static Future<Void> closeAll(List<NetServer> servers, Bound fixed) {
    return Future.join(servers.stream().map(NetServer::close).toList()).<Void>mapEmpty()
        .onComplete(closed -> {
          if (fixed != null) {
            FIXED.remove(fixed);
          }
        });
  }

  /** A fixed address listened on by a Vert.x instance; by identity of the instance, as Vert.x shares servers. */
  private record Bound(Vertx vertx, PeerAddress address) {
  }
}
