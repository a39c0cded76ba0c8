package org.peermesh.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;

import java.util.Collection;

/**
 * The Vert.x TCP event-bus bridge for services outside the JVM. It lets a client send the node's commands and
 * register for its messages, events and procedures, and nothing else: the peer mailboxes stay internal.
 */
public final class EventBusBridge {

  private EventBusBridge() {
  }

  /** The mesh's commands and events, and those of the {@code protocols} the node runs beside it. */
  public static BridgeOptions permissions(BusAddresses addresses, Collection<String> protocols) {
    BridgeOptions options = new BridgeOptions();
    for (String command : addresses.commands()) {
      options.addInboundPermitted(new PermittedOptions().setAddress(command));
    }
    if (!protocols.isEmpty()) {
      options.addInboundPermitted(new PermittedOptions().setAddressRegex(addresses.protocolCommandRegex(protocols)));
    }
    options.addOutboundPermitted(new PermittedOptions().setAddressRegex(addresses.consumableAddressRegex(protocols)));
    return options;
  }

  public static Future<TcpEventBusBridge> start(Vertx vertx, BusAddresses addresses, Collection<String> protocols,
                                                String host, int port) {
    return TcpEventBusBridge.create(vertx, permissions(addresses, protocols),
        new NetServerOptions().setTcpNoDelay(true)).listen(port, host);
  }
}
