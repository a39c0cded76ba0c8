package org.peermesh.http;

import io.vertx.core.Vertx;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.Transport;
import org.peermesh.bus.BusAddresses;

import java.net.URI;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The mesh view's SockJS event-bus bridge: a browser may register on the view's two addresses
 * ({@link #outboundAddresses}) and nothing else, and may send or publish nowhere. It is bounded: at most
 * {@value #MAX_CLIENTS} clients at once; a client of SockJS's polling transports with more than
 * {@value #MAX_QUEUED_CHARS} characters waiting for it misses deliveries until it has caught up (the next snapshot
 * tells it everything again); a client that stops pinging is closed after the bridge's ping timeout (10 s), which
 * bounds what waits for a browser that stopped reading a WebSocket, whose SockJS session queues nothing. A page of
 * another origin is refused unless {@code http.viewOrigins} names it, so that a web site the user visits cannot watch
 * the node through the user's browser; so are SockJS's script-tag transports, which carry no origin (JSONP,
 * htmlfile).
 */
final class ViewBridge {

  /** The bridge's path, relative to the page's: the page connects to {@code eventbus} beside it. */
  static final String NAME = "eventbus";
  static final String PATH = "/" + NAME + "/*";
  static final int MAX_CLIENTS = 16;
  /** Two snapshots of {@value MeshView#MAX_PEERS} peers, about; SockJS counts what waits in characters. */
  static final int MAX_QUEUED_CHARS = 256 * 1024;

  /** The clients connected now; touched on the HTTP server's context only. */
  private final Set<SockJSSocket> clients = Collections.newSetFromMap(new IdentityHashMap<>());
  /** The origins, besides the node's own, whose pages may connect: {@code http.viewOrigins}. */
  private final Set<String> otherOrigins;

  ViewBridge(List<String> otherOrigins) {
    this.otherOrigins = Set.copyOf(otherOrigins);
  }

  /** What a client may register on: the view's snapshot and state changes. */
  static List<String> outboundAddresses(BusAddresses addresses) {
    return List.of(addresses.viewSnapshot(), addresses.viewStateChange());
  }

  /** What a client may send or publish to: nothing, the view is read-only. */
  static List<String> inboundAddresses(BusAddresses addresses) {
    return List.of();
  }

  /** The bridge's router, to mount at {@link #PATH}. */
  Router router(Vertx vertx, BusAddresses addresses) {
    SockJSBridgeOptions bridge = new SockJSBridgeOptions()
        .setMaxHandlersPerSocket(outboundAddresses(addresses).size());
    outboundAddresses(addresses).forEach(address -> bridge.addOutboundPermitted(new PermittedOptions()
        .setAddress(address)));
    inboundAddresses(addresses).forEach(address -> bridge.addInboundPermitted(new PermittedOptions()
        .setAddress(address)));
    SockJSHandlerOptions sockJs = new SockJSHandlerOptions()
        .addDisabledTransport(Transport.JSON_P.toString())
        .addDisabledTransport(Transport.HTML_FILE.toString());
    return SockJSHandler.create(vertx, sockJs).bridge(bridge, this::onEvent);
  }

  /** How many clients watch now. */
  int clients() {
    return clients.size();
  }

  private void onEvent(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    switch (event.type()) {
      case SOCKET_CREATED -> {
        boolean admitted = clients.size() < MAX_CLIENTS && mayConnect(socket);
        if (admitted) {
          clients.add(socket);
          socket.setWriteQueueMaxSize(MAX_QUEUED_CHARS);
        }
        event.complete(admitted);
      }
      case SOCKET_CLOSED, SOCKET_ERROR -> {
        clients.remove(socket);
        event.complete(true);
      }
      case RECEIVE -> event.complete(!socket.writeQueueFull());
      default -> event.complete(true);
    }
  }

  /**
   * Whether the page that opened the socket is served by this node or by one of the origins allowed: a browser names
   * the page's origin; a client that is not a browser names none.
   */
  private boolean mayConnect(SockJSSocket socket) {
    String origin = socket.headers().get("Origin");
    if (origin == null || otherOrigins.contains(origin.toLowerCase(Locale.ROOT))) {
      return true;
    }
    String host = socket.headers().get("Host");
    try {
      String authority = URI.create(origin).getRawAuthority();
      return host != null && authority != null && authority.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
