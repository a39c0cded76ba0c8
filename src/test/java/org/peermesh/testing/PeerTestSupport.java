package org.peermesh.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.Failure;
import org.peermesh.peer.PeerInfo;
import org.peermesh.node.PeerMeshNode;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Waiting and checking helpers shared by the raw-peer tests. */
public final class PeerTestSupport {

  private PeerTestSupport() {
  }

  /** Waits until an event matching {@code match} has been collected, and returns the first such. */
  public static JsonObject awaitEvent(List<JsonObject> events, Predicate<JsonObject> match) {
    return awaitEvent(events, match, TestNodes.DEADLINE);
  }

  /** As {@link #awaitEvent(List, Predicate)}, waiting up to {@code deadline}. */
  public static JsonObject awaitEvent(List<JsonObject> events, Predicate<JsonObject> match, Duration deadline) {
    await().atMost(deadline).until(() -> events.stream().anyMatch(match));
    return events.stream().filter(match).findFirst().orElseThrow();
  }

  /** Matches the events about the connection whose client side is {@code raw} (before admission, by its port). */
  public static Predicate<JsonObject> about(RawPeer raw) {
    int port = raw.localPort();
    return e -> "127.0.0.1".equals(e.getString("host")) && Integer.valueOf(port).equals(e.getInteger("port"));
  }

  /** Matches the events about an admitted peer, by its id. */
  public static Predicate<JsonObject> aboutPeer(String peerId) {
    return e -> peerId.equals(e.getString("peerId"));
  }

  public static Optional<PeerInfo> connectedPeer(PeerMeshNode node, String peerId) {
    return TestNodes.await(node.getConnectedPeers()).stream().filter(p -> peerId.equals(p.peerId())).findFirst();
  }

  public static void awaitListed(PeerMeshNode node, String peerId) {
    await().atMost(TestNodes.DEADLINE).until(() -> connectedPeer(node, peerId).isPresent());
  }

  public static void awaitNotListed(PeerMeshNode node, String peerId) {
    await().atMost(TestNodes.DEADLINE).until(() -> connectedPeer(node, peerId).isEmpty());
  }

  public static int connectedCount(PeerMeshNode node) {
    return TestNodes.await(node.getConnectedPeers()).size();
  }

  /**
   * Proves that two connected real nodes still talk both ways: {@code b} sends {@code a} a message that a consumer
   * on {@code a} receives, and {@code a} gets an answer to a request served on {@code b}.
   */
  public static void assertExchange(Vertx vertx, TestNodes nodes, PeerMeshNode a, PeerMeshNode b) {
    String suffix = UUID.randomUUID().toString();
    String event = "check-" + suffix;
    List<JsonObject> got = nodes.collect(a.addresses().message(event));
    TestNodes.await(b.sendToPeer(a.peerId(), event, new JsonObject().put("n", 1)));
    await().atMost(TestNodes.DEADLINE).until(() -> !got.isEmpty());
    assertEquals(b.peerId(), got.get(0).getString("peerId"));
    assertEquals(1, got.get(0).getJsonObject("data").getInteger("n"));

    String procedure = "echo-" + suffix;
    MessageConsumer<JsonObject> echo = vertx.eventBus().consumer(b.addresses().rpc(procedure),
        m -> m.reply(m.body().getValue("data")));
    TestNodes.await(echo.completion());
    try {
      assertEquals("ping", TestNodes.await(a.requestFromPeer(b.peerId(), procedure, "ping")));
    } finally {
      TestNodes.await(echo.unregister());
    }
  }

  /**
   * Issues a burst of {@code count} sends ({@code send} makes send {@code n}) in order from one context, to a peer
   * that is not reading yet, and returns how many the node took: it takes what fits in the peer's queue and may wait,
   * and refuses the rest at once (429, "too many"), in order. The last send's refusal therefore settles the burst,
   * and what was refused before it has reached this one context by then. Asserts that the node refused the burst's
   * tail and nothing else, so the taken sends are its first ones, still waiting for the peer to read.
   */
  public static int takenOfBurst(Vertx vertx, int count, IntFunction<Future<?>> send, List<Future<?>> sends) {
    Context context = vertx.getOrCreateContext();
    TestNodes.await(Future.<Void>future(issued -> context.runOnContext(v -> {
      for (int n = 0; n < count; n++) {
        sends.add(send.apply(n));
      }
      issued.complete();
    })));
    Throwable last = TestNodes.awaitFailure(sends.get(count - 1));
    assertEquals(Failure.TOO_MANY_REQUESTS.code(), ((ReplyException) last).failureCode(), last.getMessage());
    int taken = 0;
    while (!sends.get(taken).failed()) {
      taken++;
    }
    for (int n = taken; n < count; n++) {
      Throwable refused = sends.get(n).cause();
      assertEquals(Failure.TOO_MANY_REQUESTS.code(), refused instanceof ReplyException reply ? reply.failureCode()
          : -1, "send " + n + " of " + count + ", after " + taken + " taken: " + refused);
    }
    return taken;
  }

  /** The body of an AppMessage frame whose JSON never ends: a frame a well-behaved peer cannot send. */
  public static byte[] invalidJsonAppMessageBody() {
    byte[] event = "chat".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return io.vertx.core.buffer.Buffer.buffer().appendUnsignedShort(event.length).appendBytes(event)
        .appendString("{\"text\": \"unterminated").getBytes();
  }
}
