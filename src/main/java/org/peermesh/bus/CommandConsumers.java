package org.peermesh.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * Registers the handler of a command twice: on its public address, for callers anywhere in a cluster, and on
 * {@link BusAddresses#local the address local to this JVM}, for the node's own Java API.
 */
public final class CommandConsumers {

  private CommandConsumers() {
  }

  public static <T> Future<Void> register(EventBus eventBus, BusAddresses addresses, String address,
                                          Handler<Message<T>> handler) {
    return Future.all(eventBus.<T>consumer(address, handler).completion(),
        eventBus.<T>localConsumer(addresses.local(address), handler).completion()).mapEmpty();
  }
}
