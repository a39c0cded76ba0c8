package org.peermesh.examples;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.peermesh.bus.BusAddresses;
import org.peermesh.testing.TestNodes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The consumer's reports on a bus where the test plays the node, with rounds every few milliseconds: what it prints
 * while no node answers, once one does, and once it is gone again.
 */
@ExtendWith(VertxExtension.class)
class ConsumerExampleTest {

  private static final String PREFIX = "consumer-test";
  private static final long INTERVAL_MS = 20;
  private static final String NO_NODE_YET = "no node answers on bus prefix " + PREFIX + " yet (none in this cluster "
      + "has that prefix); waiting for one";
  private static final String NODE_GONE = "the node on bus prefix " + PREFIX + " no longer answers (it left the "
      + "cluster); waiting";

  @Test
  void saysOnceThatNoNodeAnswersReportsTheNodeOnceItDoesAndSaysOnceWhenItIsGone(Vertx vertx) {
    BusAddresses addresses = new BusAddresses(PREFIX);
    AtomicInteger asked = new AtomicInteger();
    AtomicInteger broadcasts = new AtomicInteger();
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      String address = delivery.message().address();
      if (address.equals(addresses.peers())) {
        asked.incrementAndGet();
      } else if (address.equals(addresses.broadcast())) {
        broadcasts.incrementAndGet();
      }
      delivery.next();
    });
    List<String> lines = new CopyOnWriteArrayList<>();
    TestNodes.await(ConsumerExample.run(vertx, PREFIX, "hello", INTERVAL_MS, lines::add));

    // Rounds go on (each a request, failed at once for want of a handler); the first round's line is the only one.
    await().atMost(TestNodes.DEADLINE).until(() -> asked.get() >= 6 && lines.contains(NO_NODE_YET));
    assertEquals(List.of("consumer ready on bus prefix " + PREFIX, NO_NODE_YET), lines);
    assertEquals(0, broadcasts.get(), "no broadcast while no node answers");

    MessageConsumer<JsonObject> node = vertx.eventBus().consumer(addresses.peers(),
        request -> request.reply(new JsonObject().put("connected", new JsonArray().add("a").add("b"))));
    vertx.eventBus().<JsonObject>consumer(addresses.broadcast(),
        request -> request.reply(new JsonObject().put("peerIds", new JsonArray().add("a"))));
    TestNodes.await(node.completion());
    await().atMost(TestNodes.DEADLINE).until(() -> lines.contains("broadcast hello reached 1 peers"));
    assertEquals("peers 2 connected", lines.get(2));

    TestNodes.await(node.unregister());
    int askedBefore = asked.get();
    await().atMost(TestNodes.DEADLINE).until(() -> asked.get() >= askedBefore + 6 && lines.contains(NODE_GONE));
    assertEquals(1, lines.stream().filter(NODE_GONE::equals).count(), lines.toString());
    assertEquals(1, lines.stream().filter(NO_NODE_YET::equals).count(), lines.toString());
  }
}
