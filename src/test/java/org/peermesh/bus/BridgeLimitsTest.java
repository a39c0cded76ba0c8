package org.peermesh.bus;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.net.MemoryBudget;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestNodes;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.TestNodes.DEADLINE;

/**
 * What a bridge client may cost the node ({@link BridgeOptions}): each test starts a node whose bridge has the limit
 * under test set low, breaks it from a plain socket, and checks the refusal the client reads and that the node goes
 * on serving its other clients.
 */
@ExtendWith(VertxExtension.class)
class BridgeLimitsTest {

  /** The size of one flooding event's padding: a few of them fill a small write queue. */
  private static final int EVENT_PADDING = 8 * 1024;
  /**
   * Events in a flood: 48 MiB, several times what the kernel's socket buffers on loopback take, so that the node's
   * write queue fills however large they grow.
   */
  private static final int FLOOD = 6_000;

  private Vertx vertx;
  private TestNodes nodes;
  private PeerMeshNode node;
  private int port;
  private final List<BridgeClient> clients = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx, @TempDir Path dir) {
    this.vertx = vertx;
    nodes = new TestNodes(vertx, dir);
  }

  @AfterEach
  void tearDown() {
    clients.forEach(BridgeClient::close);
    nodes.close();
  }

  private void startBridge(UnaryOperator<BridgeOptions> limits) {
    port = TestNodes.freePort();
    node = nodes.start(nodes.options().setBridge(limits.apply(new BridgeOptions().setPort(port))));
  }

  private BridgeClient connect() {
    BridgeClient client = BridgeClient.connect("127.0.0.1", port);
    clients.add(client);
    return client;
  }

  /** The node still answers a command from a new client. */
  private void assertServesAnotherClient() {
    BridgeClient other = connect();
    other.send(node.addresses().peers(), new JsonObject(), "reply-peers");
    JsonObject reply = other.readMessage("reply-peers");
    assertTrue(reply.getJsonObject("body").containsKey("connected"), reply.encode());
  }

  private static byte[] lengthPrefix(int length) {
    return ByteBuffer.allocate(4).putInt(length).array();
  }

  /**
   * Bridge clients' frames come from the node's memory budget as its peers' do: six clients each send all but the
   * last byte of a frame so large that three fit in a budget of 1 % of the heap; the bridge reads three and stops
   * reading the others until those are done, and then every frame is answered.
   */
  @Test
  void largeFramesFromManyClientsWaitForRoomInTheMemoryBudget() throws Exception {
    long budget = Runtime.getRuntime().maxMemory() / 100;
    int step = MemoryBudget.FREE_BYTES;
    long frameStep = (budget * 2 / 7 / step + 1) * step;
    assertTrue(3 * frameStep <= budget && 4 * frameStep > budget, frameStep + " of " + budget);
    port = TestNodes.freePort();
    node = nodes.start(nodes.options().setMemoryBudgetPercent(1).setBridge(new BridgeOptions().setPort(port)));
    String ping = new JsonObject().put("type", "ping").put("pad", "").encode();
    int padding = (int) frameStep - step / 2 - 4 - ping.length();
    byte[] json = new JsonObject().put("type", "ping").put("pad", "x".repeat(padding)).encode()
        .getBytes(StandardCharsets.UTF_8);
    byte[] frame = ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();

    CountDownLatch finish = new CountDownLatch(1);
    List<Thread> senders = new ArrayList<>();
    List<BridgeClient> large = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      BridgeClient client = connect();
      large.add(client);
      Thread sender = new Thread(() -> {
        client.writeBytes(Arrays.copyOf(frame, frame.length - 1));
        try {
          finish.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        client.writeBytes(new byte[] {frame[frame.length - 1]});
      });
      sender.start();
      senders.add(sender);
    }
    BridgeClient observer = connect();
    await().atMost(DEADLINE).until(() -> memoryTaken(observer) == 3 * frameStep);

    finish.countDown();
    for (Thread sender : senders) {
      sender.join();
    }
    for (BridgeClient client : large) {
      assertEquals("pong", client.readFrame().getString("type"));
    }
    await().atMost(DEADLINE).until(() -> memoryTaken(observer) == 0);
  }

  /** The node's memory budget in use now, as the peers command with stats reports it. */
  private long memoryTaken(BridgeClient client) {
    client.send(node.addresses().peers(), new JsonObject().put("stats", true), "reply-stats");
    return client.readMessage("reply-stats").getJsonObject("body").getJsonObject("memoryBudget").getLong("taken");
  }

  @Test
  void aFrameDeclaredLargerThanMaxFrameSizeIsRefusedBeforeItsBytesAreKept() {
    startBridge(b -> b.setMaxFrameSize(4096));
    BridgeClient client = connect();

    // The attack's length: 2 GiB less 16 bytes, followed by the start of a body the node must not wait for.
    client.writeBytes(lengthPrefix(0x7FFFFFF0)).writeBytes(new byte[64]);

    JsonObject err = client.readFrame();
    assertEquals(new JsonObject().put("type", "err")
        .put("message", "frame of 2147483632 bytes exceeds bridge.maxFrameSize 4096"), err);
    client.assertClosed();
    assertServesAnotherClient();
  }

  @Test
  void aNegativeLengthIsAHugeOneAndAFrameOfMaxFrameSizeIsTaken() {
    startBridge(b -> b.setMaxFrameSize(4096));
    BridgeClient atTheLimit = connect();
    JsonObject ping = new JsonObject().put("type", "ping").put("pad", "");
    int padding = 4096 - ping.encode().length();
    atTheLimit.write(ping.put("pad", "x".repeat(padding)));
    assertEquals("pong", atTheLimit.readFrame().getString("type"));

    BridgeClient negative = connect();
    negative.writeBytes(lengthPrefix(-1));
    assertEquals("frame of 4294967295 bytes exceeds bridge.maxFrameSize 4096", negative.readError().getString("message"));
    negative.assertClosed();
  }

  @Test
  void anUnfinishedFrameIsCutOffAfterFrameTimeout() {
    startBridge(b -> b.setFrameTimeout(300));
    BridgeClient client = connect();

    client.writeBytes(lengthPrefix(100)).writeBytes("{\"type\": \"pi".getBytes(StandardCharsets.UTF_8));

    assertEquals(new JsonObject().put("type", "err").put("message", "frame unfinished after bridge.frameTimeout 300 ms"),
        client.readFrame());
    client.assertClosed();
    assertServesAnotherClient();
  }

  @Test
  void aConnectionBeyondMaxConnectionsIsRefusedAndOneMayConnectAgainOnceAnotherLeaves() {
    startBridge(b -> b.setMaxConnections(2));
    BridgeClient first = connect().sync();
    connect().sync();

    BridgeClient third = connect();
    assertEquals(new JsonObject().put("type", "err")
        .put("message", "too many connections: bridge.maxConnections 2 reached"), third.readFrame());
    third.assertClosed();

    first.close();
    await().atMost(DEADLINE).untilAsserted(() -> {
      try (BridgeClient again = BridgeClient.connect("127.0.0.1", port)) {
        again.ping();
        assertEquals("pong", again.readFrame().getString("type"));
      }
    });
  }

  @Test
  void aFrameThatIsNotAJsonObjectCostsItsSenderTheConnection() {
    startBridge(UnaryOperator.identity());
    BridgeClient client = connect();

    client.writeRaw("[1, 2]".getBytes(StandardCharsets.UTF_8));

    assertEquals("invalid frame: not a JSON object in UTF-8", client.readError().getString("message"));
    client.assertClosed();
  }

  @Test
  void aFieldOfTheWrongTypeIsAnsweredAndTheConnectionStays() {
    startBridge(UnaryOperator.identity());
    BridgeClient client = connect();

    client.write(new JsonObject().put("type", "send").put("address", 7));
    client.write(new JsonObject().put("type", "publish").put("address", node.addresses().broadcast())
        .put("headers", new JsonObject().put("timeout", "soon")));

    assertEquals("invalid frame: 'address' must be a string", client.readError().getString("message"));
    assertEquals("invalid frame: header 'timeout' must be a positive number of milliseconds",
        client.readError().getString("message"));
    client.sync();
  }

  @Test
  void deliveriesToAClientThatReadsTooSlowlyAreDroppedCountedAndReportedWhileOthersGetTheirs() {
    startBridge(b -> b.setMaxWriteQueueSize(16 * 1024).setWriteTimeout(DEADLINE.toMillis() * 4));
    String busy = node.addresses().event(PeerEvent.INVALID_MESSAGE_RECEIVED);
    String marker = node.addresses().message("marker");
    BridgeClient slow = connect().register(busy).sync();
    BridgeClient other = connect().register(marker).sync();

    String padding = "x".repeat(EVENT_PADDING);
    for (int i = 0; i < FLOOD; i++) {
      vertx.eventBus().publish(busy, new JsonObject().put("i", i).put("pad", padding));
    }
    vertx.eventBus().publish(marker, new JsonObject().put("last", true));

    // The slow client has not read a byte yet: the other one gets its delivery and its answer all the same.
    assertEquals(new JsonObject().put("last", true), other.readMessage(marker).getJsonObject("body"));
    other.send(node.addresses().peers(), new JsonObject(), "reply-peers");
    assertTrue(other.readMessage("reply-peers").getJsonObject("body").containsKey("connected"));

    // Every event is either delivered, in order, or counted in a notice that comes before the deliveries after it.
    long delivered = 0;
    long dropped = 0;
    int previous = -1;
    while (delivered + dropped < FLOOD) {
      JsonObject frame = slow.readFrame();
      if (busy.equals(frame.getString("address"))) {
        int i = frame.getJsonObject("body").getInteger("i");
        assertTrue(i > previous, "deliveries out of order: " + i + " after " + previous);
        previous = i;
        delivered++;
      } else {
        assertEquals(node.addresses().bridgeDropped(), frame.getString("address"), frame.encode());
        assertEquals("message", frame.getString("type"), frame.encode());
        JsonObject counts = frame.getJsonObject("body").getJsonObject("dropped");
        assertEquals(List.of(busy), List.copyOf(counts.fieldNames()), frame.encode());
        dropped += counts.getLong(busy);
      }
    }
    assertEquals(FLOOD, delivered + dropped);
    assertTrue(dropped > 0, "a 16 KiB queue cannot hold " + FLOOD + " events of 8 KiB");
    assertTrue(delivered > 0);
    assertEquals(List.of(), slow.sync().unreadFrames());
    // The operator sees the same count, the bridge's total for the address, in the peers command's stats.
    other.send(node.addresses().peers(), new JsonObject().put("stats", true), "reply-stats");
    JsonObject stats = other.readMessage("reply-stats").getJsonObject("body");
    assertEquals(dropped, stats.getJsonObject("bridgeDropped").getLong(busy), stats.encode());
  }

  @Test
  void aRequestToAClientWhoseQueueIsFullIsFailedAtOnce() {
    startBridge(b -> b.setMaxWriteQueueSize(16 * 1024).setWriteTimeout(DEADLINE.toMillis() * 4));
    String busy = node.addresses().message("busy");
    String procedure = node.addresses().rpc("slow");
    BridgeClient slow = connect().register(busy).register(procedure).sync();

    String padding = "x".repeat(EVENT_PADDING);
    for (int i = 0; i < FLOOD; i++) {
      vertx.eventBus().publish(busy, new JsonObject().put("pad", padding));
    }

    ReplyException refused = assertInstanceOf(ReplyException.class,
        TestNodes.awaitFailure(vertx.eventBus().request(procedure, new JsonObject())));
    assertEquals(Failure.TOO_MANY_REQUESTS.code(), refused.failureCode(), refused.toString());
    assertTrue(refused.getMessage().contains("bridge.maxWriteQueueSize 16384"), refused.getMessage());
    // Notices count what was dropped since the one before: the request is in one of them.
    long requestsDropped = 0;
    while (requestsDropped == 0) {
      JsonObject notice = slow.readFrame(f -> node.addresses().bridgeDropped().equals(f.getString("address")),
          "a drop notice");
      requestsDropped = notice.getJsonObject("body").getJsonObject("dropped").getLong(procedure, 0L);
    }
    assertEquals(1, requestsDropped);
  }

  @Test
  void registrationsBeyondTheLimitAreRefusedNamingIt() {
    startBridge(b -> b.setMaxRegistrations(3));
    BridgeClient client = connect();
    for (int i = 0; i < 3; i++) {
      client.register(node.addresses().message("topic" + i));
    }
    client.register(node.addresses().message("topic0"));
    client.sync();
    client.register(node.addresses().message("one-too-many"));
    assertEquals("too many registrations: bridge.maxRegistrations 3 reached; unregister an address first",
        client.readError().getString("message"));
    client.unregister(node.addresses().message("topic0")).register(node.addresses().message("one-too-many")).sync();
    vertx.eventBus().publish(node.addresses().message("one-too-many"), new JsonObject().put("got", true));
    assertEquals(new JsonObject().put("got", true),
        client.readMessage(node.addresses().message("one-too-many")).getJsonObject("body"));
  }

  @Test
  void requestsToAClientThatDoesNotAnswerAreFailedPastTheLimit() {
    startBridge(b -> b.setMaxPendingRequests(2));
    String procedure = node.addresses().rpc("silent");
    BridgeClient silent = connect().register(procedure).sync();
    for (int i = 0; i < 2; i++) {
      vertx.eventBus().request(procedure, new JsonObject().put("i", i));
      assertEquals(i, silent.readMessage(procedure).getJsonObject("body").getInteger("i"));
    }
    ReplyException refused = assertInstanceOf(ReplyException.class,
        TestNodes.awaitFailure(vertx.eventBus().request(procedure, new JsonObject().put("i", 2))));
    assertEquals(Failure.TOO_MANY_REQUESTS.code(), refused.failureCode(), refused.toString());
    assertTrue(refused.getMessage().contains("bridge.maxPendingRequests 2"), refused.getMessage());
  }

  @Test
  void aClientThatDoesNotReadIsCutOffAfterWriteTimeoutAndItsRegistrationsEnd() {
    startBridge(b -> b.setMaxWriteQueueSize(16 * 1024).setWriteTimeout(200));
    String flood = node.addresses().message("flood");
    connect().register(flood).sync();

    String padding = "x".repeat(EVENT_PADDING);
    for (int i = 0; i < FLOOD; i++) {
      vertx.eventBus().publish(flood, new JsonObject().put("pad", padding));
    }

    await().atMost(DEADLINE).untilAsserted(() -> {
      ReplyException failure = assertInstanceOf(ReplyException.class,
          TestNodes.awaitFailure(vertx.eventBus().request(flood, new JsonObject())));
      assertEquals(ReplyFailure.NO_HANDLERS, failure.failureType(), failure.toString());
    });
    assertServesAnotherClient();
  }
}
