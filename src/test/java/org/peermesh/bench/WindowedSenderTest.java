package org.peermesh.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** What the sender keeps in flight, with sends whose futures the test completes by hand. */
class WindowedSenderTest {

  private static final int WINDOW = 4;

  private final Vertx vertx = Vertx.vertx();
  private final List<Promise<Void>> sends = new CopyOnWriteArrayList<>();
  private final List<Long> numbers = new CopyOnWriteArrayList<>();
  private volatile Context senderContext;
  private String deployment;

  /** Deploys a sender whose messages each go to {@code receivers}. */
  private WindowedSender deploy(int receivers) {
    WindowedSender sender = new WindowedSender(WINDOW, receivers, new SendStamp(32), message -> {
      senderContext = Vertx.currentContext();
      numbers.add(SendStamp.number(message));
      Promise<Void> sent = Promise.promise();
      sends.add(sent);
      return sent.future();
    });
    deployment = BenchNodes.await(vertx.deployVerticle(sender));
    return sender;
  }

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
    WindowedSender sender = deploy(1);
    assertEquals(WINDOW, sends.size(), "a full window at start");

    onSenderContext(() -> sends.forEach(Promise::complete));
    assertEquals(WINDOW, sends.size(), "completed but not arrived: still in flight");

    sender.arrived(0);
    sender.arrived(1);
    await().until(() -> sends.size() == WINDOW + 2);
    for (int number = 2; number < WINDOW + 2; number++) {
      sender.arrived(number);
    }
    await().until(() -> sends.size() == 2 * WINDOW);
    sender.arrived(WINDOW + 2);
    sender.arrived(WINDOW + 3);
    onSenderContext(() -> { });
    assertEquals(2 * WINDOW, sends.size(), "arrived ahead of their futures: still in flight until those complete");
    assertEquals(LongStream.range(0, 2 * WINDOW).boxed().toList(), numbers, "numbered in send order");
    assertNull(sender.failure());
  }

  @Test
  void aMessageStaysInTheWindowUntilEveryReceiverHasIt() {
    WindowedSender sender = deploy(2);
    onSenderContext(() -> sends.forEach(Promise::complete));

    sender.arrived(0);
    onSenderContext(() -> { });
    assertEquals(WINDOW, sends.size(), "message 0 at one receiver of two: still in flight");

    sender.arrived(0);
    await().until(() -> sends.size() == WINDOW + 1);
    sender.arrived(2);
    sender.arrived(2);
    onSenderContext(() -> { });
    assertEquals(WINDOW + 1, sends.size(), "message 2 at both, but message 1 still in flight");

    sender.arrived(1);
    sender.arrived(1);
    await().until(() -> sends.size() == WINDOW + 3);
    assertNull(sender.failure());
  }

  @Test
  void aFailedSendStopsTheSender() {
    WindowedSender sender = deploy(1);
    IllegalStateException refused = new IllegalStateException("refused");
    onSenderContext(() -> sends.get(0).fail(refused));
    for (int number = 0; number < WINDOW; number++) {
      sender.arrived(number);
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
