package org.peermesh.bus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.impl.EventBusImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * Whether an address has a consumer, for publishing what only a listener needs (the {@code messageReceived}
 * firehose, a copy of every message) at no cost when no one listens. Vert.x asks no such question publicly; the
 * handler table of its event bus answers it, read once by reflection. On a clustered bus, whose consumers on other
 * members are not in that table, or where the table cannot be read, every address counts as heard.
 */
public final class LocalConsumers {

  private static final Logger LOG = LoggerFactory.getLogger(LocalConsumers.class);

  /** The event bus's consumers by address; null when every address counts as heard. */
  private final Map<String, ?> handlers;

  private LocalConsumers(Map<String, ?> handlers) {
    this.handlers = handlers;
  }

  @SuppressWarnings("unchecked")
  public static LocalConsumers of(Vertx vertx) {
    EventBus eventBus = vertx.eventBus();
    if (vertx.isClustered() || !(eventBus instanceof EventBusImpl)) {
      return new LocalConsumers(null);
    }
    try {
      Field table = EventBusImpl.class.getDeclaredField("handlerMap");
      table.setAccessible(true);
      return new LocalConsumers((Map<String, ?>) table.get(eventBus));
    } catch (ReflectiveOperationException | RuntimeException unreadable) {
      LOG.debug("The event bus's handler table cannot be read ({}): every event is published", unreadable.toString());
      return new LocalConsumers(null);
    }
  }

  /** Whether something may consume {@code address}: false only when no consumer of it is registered. */
  public boolean heard(String address) {
    return handlers == null || handlers.containsKey(address);
  }
}
