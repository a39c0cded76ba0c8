package org.peermesh.bus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.peermesh.testing.TestNodes;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An address is heard from a consumer's registration until its unregistration, as the event bus sees it. */
@ExtendWith(VertxExtension.class)
class LocalConsumersTest {

  @Test
  void anAddressIsHeardWhileAConsumerIsRegistered(Vertx vertx) {
    LocalConsumers consumers = LocalConsumers.of(vertx);
    assertFalse(consumers.heard("firehose"));

    MessageConsumer<Object> first = vertx.eventBus().consumer("firehose", message -> { });
    MessageConsumer<Object> second = vertx.eventBus().localConsumer("firehose", message -> { });
    TestNodes.await(first.completion());
    assertTrue(consumers.heard("firehose"));
    assertFalse(consumers.heard("elsewhere"));

    TestNodes.await(first.unregister());
    assertTrue(consumers.heard("firehose"));
    TestNodes.await(second.unregister());
    assertFalse(consumers.heard("firehose"));
  }
}
