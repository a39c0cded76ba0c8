package org.peermesh.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** What the sender keeps in flight, with sends whose futures the test completes by hand. */
class WindowedSenderTest {

  private static final int WINDOW = 4;

  private final Vertx vertx = Vertx.vertx();
  private final List<Promise<Void>> sends = new CopyOnWriteArrayList<>();
  private volatile Context senderContext;
  private final WindowedSender sender = new WindowedSender(WINDOW, new SendStamp(32), message -> {
    senderContext = Vertx.currentContext();
    Promise<Void> sent = Promise.promise();
    sends.add(sent);
    return sent.future();
  });

  private String deployment;

  /** Undeploys the sender, which waits for every outstanding send: the test completes them. */
  @AfterEach
  void close() {
    Future<Void> undeployed = vertx.undeploy(deployment);
    // Until the sender has stopped, a completed send may still issue another.
    await().until(() -> {
      onSenderContext(() -> sends.forEach(Promise::tryComplete));
      return undeployed.isComplete();
    });
    BenchNodes.await(vertx.close());
  }

  @Test
  void aMessageStaysInTheWindowUntilItsFutureCompletedAndItArrived() {
    deployment = BenchNodes.await(vertx.deployVerticle(sender));
    assertEquals(WINDOW, sends.size(), "a full window at start");

    onSenderContext(() -> sends.forEach(Promise::complete));
    assertEquals(WINDOW, sends.size(), "completed but not arrived: still in flight");

    sender.arrived();
    sender.arrived();
    await().until(() -> sends.size() == WINDOW + 2);
    for (int i = 0; i < 2 * WINDOW; i++) {
      sender.arrived();
    }
    await().until(() -> sends.size() == 2 * WINDOW);
    onSenderContext(() -> { });
    assertEquals(2 * WINDOW, sends.size(), "arrived ahead of their futures: still in flight until those complete");
    assertNull(sender.failure());
  }

  @Test
  void aFailedSendStopsTheSender() {
    deployment = BenchNodes.await(vertx.deployVerticle(sender));
    IllegalStateException refused = new IllegalStateException("refused");
    onSenderContext(() -> sends.get(0).fail(refused));
    for (int i = 0; i < WINDOW; i++) {
      sender.arrived();
    }
    onSenderContext(() -> { });

    assertSame(refused, sender.failure());
    assertEquals(WINDOW, sends.size(), "nothing sent after the failure");
  }

  /** Runs {@code work} on the sender's context and waits until it and what it triggered there have run. */
  private void onSenderContext(Runnable work) {
    Promise<Void> done = Promise.promise();
    senderContext.runOnContext(v -> {
      work.run();
      senderContext.runOnContext(w -> done.complete());
    });
    BenchNodes.await(done.future());
  }
}
