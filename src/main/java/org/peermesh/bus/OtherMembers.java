package org.peermesh.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Hands what one member of a clustered node decided (a ban, a new nodeInfo) to the other members: published with
 * the sender's id, which the sender's own consumer skips. On a node in one JVM it reaches no one.
 */
public final class OtherMembers {

  private static final String ORIGIN_HEADER = "origin";

  private OtherMembers() {
  }

  /** Publishes {@code body} from {@code self}, a verticle's deployment id, unique to one member. */
  public static void publish(EventBus eventBus, String address, JsonObject body, String self) {
    eventBus.publish(address, body, new DeliveryOptions().addHeader(ORIGIN_HEADER, self));
  }

  /** Calls {@code handler} with what the verticles of other members, not {@code self}, publish at the address. */
  public static Future<Void> consumer(EventBus eventBus, String address, String self, Handler<JsonObject> handler) {
    return eventBus.<JsonObject>consumer(address, message -> {
      if (!self.equals(message.headers().get(ORIGIN_HEADER))) {
        handler.handle(message.body());
      }
    }).completion();
  }
}
