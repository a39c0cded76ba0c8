package org.peermesh.mesh;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peermesh.bus.Failure;
import org.peermesh.bus.PeerEvent;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.Disconnect;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.Request;
import org.peermesh.mesh.wire.Response;
import org.peermesh.mesh.wire.WireCodec;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.testing.RawPeer;
import org.peermesh.testing.TestNodes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.about;
import static org.peermesh.testing.PeerTestSupport.aboutPeer;
import static org.peermesh.testing.PeerTestSupport.assertExchange;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;
import static org.peermesh.testing.PeerTestSupport.awaitListed;
import static org.peermesh.testing.PeerTestSupport.awaitNotListed;
import static org.peermesh.testing.PeerTestSupport.connectedCount;
import static org.peermesh.testing.PeerTestSupport.connectedPeer;
import static org.peermesh.testing.PeerTestSupport.invalidJsonAppMessageBody;

/**
 * What a node does with bytes that break the wire protocol, sent by a {@link RawPeer}: before the handshake and
 * after it, and that a well-behaved peer connected at the same time does not notice.
 */
@ExtendWith(VertxExtension.class)
class BadInputTest {

  private static final int PROTOCOL_VIOLATION = DisconnectReason.PROTOCOL_VIOLATION.code();
  private static final Set<Integer> KNOWN_TYPES = Set.of(0x01, 0x02, 0x03, 0x04, 0x05, 0x10, 0x11, 0x12, 0x13);

  // -------------------------------------------------------------------------------------------- before handshake

  /**
   * 64 random bytes forming one whole frame (length prefix 60) of a type the protocol does not have, sent instead
   * of a Hello. Before it is connected a node accepts only Hello, Auth and Disconnect; anything else is a
   * PROTOCOL_VIOLATION (docs/wire-protocol.md, Handshake).
   */
  @Test
  void unknownFrameTypeInsteadOfHelloEndsTheConnection(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      PeerMeshNode b = nodes.startConnectedTo(a);
      List<JsonObject> invalid = nodes.events(a, PeerEvent.INVALID_MESSAGE_RECEIVED);
      List<JsonObject> failed = nodes.events(a, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);

      Random random = new Random(42);
      byte[] garbage = new byte[64];
      random.nextBytes(garbage);
      Buffer.buffer().appendInt(60).getBytes(0, 4, garbage, 0);
      int type;
      do {
        type = random.nextInt(256);
      } while (KNOWN_TYPES.contains(type));
      garbage[4] = (byte) type;

      raw.connect(a.listenAddress());
      raw.sendRaw(garbage);
      Disconnect disconnect = raw.expectDisconnect();
      assertEquals(PROTOCOL_VIOLATION, disconnect.code(), "Disconnect " + disconnect);
      raw.expectClosed();

      JsonObject error = awaitEvent(invalid, about(raw));
      assertTrue(error.getString("error").contains("unknown message type"), error.encode());
      assertEquals(PROTOCOL_VIOLATION, awaitEvent(failed, about(raw)).getInteger("code"));
      assertEquals(1, connectedCount(a));
      assertExchange(vertx, nodes, a, b);
      assertExchange(vertx, nodes, b, a);
    }
  }

  /** Pure garbage whose length prefix is far above maxFrameSize: refused after the four prefix bytes. */
  @Test
  void garbageWithOversizedLengthPrefixEndsTheConnection(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      PeerMeshNode b = nodes.startConnectedTo(a);
      List<JsonObject> invalid = nodes.events(a, PeerEvent.INVALID_MESSAGE_RECEIVED);
      List<JsonObject> failed = nodes.events(a, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);

      byte[] garbage = new byte[64];
      new Random(7).nextBytes(garbage);
      garbage[0] = (byte) (garbage[0] | 0x10); // >= 0x10000000 = 256 MiB, above any allowed maxFrameSize
      long length = Integer.toUnsignedLong(Buffer.buffer(garbage).getInt(0));
      assertTrue(length > a.config().getMesh().getMaxMessageSize());

      raw.connect(a.listenAddress());
      raw.sendRaw(garbage);
      Disconnect disconnect = raw.expectDisconnect();
      assertEquals(PROTOCOL_VIOLATION, disconnect.code(), "Disconnect " + disconnect);
      raw.expectClosed();

      JsonObject error = awaitEvent(invalid, about(raw));
      assertTrue(error.getString("error").contains("exceeds the maximum"), error.encode());
      JsonObject refusal = awaitEvent(failed, about(raw));
      assertEquals(PROTOCOL_VIOLATION, refusal.getInteger("code"));
      assertEquals("local", refusal.getString("initiator"));
      assertEquals(1, connectedCount(a));
      assertExchange(vertx, nodes, a, b);
      assertExchange(vertx, nodes, b, a);
    }
  }

  /**
   * 2^31 would be negative as a Java int, 2^32-1 is the largest u32, 0 leaves no room for the type byte: each is
   * refused on the four prefix bytes alone.
   */
  @ParameterizedTest
  @ValueSource(longs = {0x80000000L, 0xFFFFFFFFL, 0L})
  void badLengthPrefixIsRefusedWithoutABody(long length, Vertx vertx, @TempDir Path dir) throws Exception {
    assertLengthPrefixRefused(length, false, vertx, dir);
  }

  /** The same prefix split over four writes (TCP_NODELAY), which the decoder assembles byte by byte. */
  @Test
  void lengthPrefixArrivingByteByByteIsChecked(Vertx vertx, @TempDir Path dir) throws Exception {
    assertLengthPrefixRefused(0x80000000L, true, vertx, dir);
  }

  /**
   * Before its handshake a peer may send no more than a Hello or an Auth needs (maxPeerInfoSize plus its envelope):
   * a frame one byte larger, legal once established, is refused on its prefix, so that connections that have proven
   * nothing cannot make the node hold maximal frames.
   */
  @Test
  void aFrameLargerThanTheHandshakeNeedsIsRefusedBeforeTheHandshake(Vertx vertx, @TempDir Path dir) throws Exception {
    MeshOptions defaults = new MeshOptions();
    long justTooLarge = defaults.getMaxPeerInfoSize() + MeshOptions.FRAME_OVERHEAD + 1;
    assertTrue(justTooLarge < defaults.getMaxMessageSize());
    JsonObject error = assertLengthPrefixRefused(justTooLarge, false, vertx, dir);
    assertTrue(error.getString("error").contains("before the handshake is done"), error.encode());
  }

  private static JsonObject assertLengthPrefixRefused(long length, boolean byteByByte, Vertx vertx, Path dir)
      throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> invalid = nodes.events(a, PeerEvent.INVALID_MESSAGE_RECEIVED);
      List<JsonObject> failed = nodes.events(a, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);

      raw.connect(a.listenAddress());
      raw.readHello(); // the node is reading
      byte[] prefix = Buffer.buffer().appendUnsignedInt(length).getBytes(); // the prefix, and not one byte more
      if (byteByByte) {
        for (byte b : prefix) {
          raw.sendRaw(new byte[] {b});
        }
      } else {
        raw.sendRaw(prefix);
      }
      Disconnect disconnect = raw.expectDisconnect();
      assertEquals(PROTOCOL_VIOLATION, disconnect.code(), "Disconnect " + disconnect);
      raw.expectClosed();

      JsonObject error = awaitEvent(invalid, about(raw));
      assertTrue(error.getString("error").contains(Long.toString(length)), error.encode());
      assertEquals(PROTOCOL_VIOLATION, awaitEvent(failed, about(raw)).getInteger("code"));
      assertTrue(a.isActive());
      return error;
    }
  }

  /** Half a frame, then the client goes away: the node forgets the connection, as closed by the remote side. */
  @Test
  void truncatedFrameThenCloseBeforeHandshake(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start();
      PeerMeshNode b = nodes.startConnectedTo(a);
      List<JsonObject> failed = nodes.events(a, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      int before = connectedCount(a);

      RawPeer raw = new RawPeer().connect(a.listenAddress());
      raw.readHello();
      byte[] hello = Buffer.buffer().appendInt(100).appendByte(WireMessage.HELLO).appendBytes(new byte[20]).getBytes();
      raw.sendRaw(hello);
      raw.close();

      JsonObject closed = awaitEvent(failed, about(raw));
      assertEquals(DisconnectReason.NORMAL.code(), closed.getInteger("code"));
      assertEquals("remote", closed.getString("initiator"));
      assertTrue(a.isActive());
      assertEquals(before, connectedCount(a));
      assertExchange(vertx, nodes, a, b);
    }
  }

  @Test
  void truncatedFrameThenCloseAfterHandshake(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      PeerMeshNode a = nodes.start();
      PeerMeshNode b = nodes.startConnectedTo(a);
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);
      List<JsonObject> removed = nodes.events(a, PeerEvent.REMOVE_PEER);
      int before = connectedCount(a);

      RawPeer raw = new RawPeer().connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      assertEquals(before + 1, connectedCount(a));
      byte[] whole = WireCodec.encode(new AppMessage("cut", JsonPayload.of(new JsonObject().put("x", "y")))).getBytes();
      raw.sendRaw(Arrays.copyOf(whole, whole.length - 3));
      raw.close();

      JsonObject closed = awaitEvent(closes, aboutPeer(raw.peerId()));
      assertEquals(DisconnectReason.NORMAL.code(), closed.getInteger("code"));
      assertEquals("remote", closed.getString("initiator"));
      awaitEvent(removed, aboutPeer(raw.peerId()));
      awaitNotListed(a, raw.peerId());
      assertEquals(before, connectedCount(a));
      assertExchange(vertx, nodes, a, b);
    }
  }

  // --------------------------------------------------------------------------------------------- after handshake

  @Test
  void appMessageWithInvalidJsonIsAProtocolViolation(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      PeerMeshNode b = nodes.startConnectedTo(a);
      List<JsonObject> invalid = nodes.events(a, PeerEvent.INVALID_MESSAGE_RECEIVED);
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);
      List<JsonObject> received = nodes.collect(a.addresses().message("chat"));

      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      raw.sendRaw(RawPeer.frame(WireMessage.APP_MESSAGE, invalidJsonAppMessageBody()));

      // A malformed frame costs 100: a peer that proved its id is banned by it.
      Disconnect disconnect = raw.expectDisconnect();
      assertEquals(DisconnectReason.BANNED.code(), disconnect.code(), "Disconnect " + disconnect);
      raw.expectClosed();
      JsonObject error = awaitEvent(invalid, aboutPeer(raw.peerId()));
      assertTrue(error.getString("error").contains("JSON"), error.encode());
      JsonObject closed = awaitEvent(closes, aboutPeer(raw.peerId()));
      assertEquals(DisconnectReason.BANNED.code(), closed.getInteger("code"));
      assertEquals("local", closed.getString("initiator"));
      awaitNotListed(a, raw.peerId());
      assertTrue(received.isEmpty(), "the broken message must not be delivered: " + received);
      assertExchange(vertx, nodes, a, b);
    }
  }

  /** A newer minor version may add frame types: a connected node skips an unknown one and stays connected. */
  @Test
  void unknownTypeAfterHandshakeIsSkipped(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> invalid = nodes.events(a, PeerEvent.INVALID_MESSAGE_RECEIVED);
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);
      List<JsonObject> received = nodes.collect(a.addresses().message("after-unknown"));

      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      raw.sendRaw(RawPeer.frame(0x7F, "some future frame".getBytes(StandardCharsets.UTF_8)));
      JsonObject error = awaitEvent(invalid, aboutPeer(raw.peerId()));
      assertTrue(error.getString("error").contains("0x7f"), error.encode());

      raw.send(new AppMessage("after-unknown", JsonPayload.of(new JsonObject().put("still", "here"))));
      await().atMost(TestNodes.DEADLINE).until(() -> !received.isEmpty());
      assertEquals(raw.peerId(), received.get(0).getString("peerId"));
      assertEquals("here", received.get(0).getJsonObject("data").getString("still"));
      assertTrue(connectedPeer(a, raw.peerId()).isPresent());
      assertTrue(closes.isEmpty(), "no close expected: " + closes);
      assertEquals(1, invalid.size(), "only the unknown frame is invalid: " + invalid);
    }
  }

  /**
   * Frames the node skips are not free: a peer that floods unknown types is held at maxMessageRate (its reading
   * paused), then charged for every window it stays there until it is banned; its skipped frames become a few
   * aggregated events, not one each; and a peer that behaves is not affected.
   */
  @Test
  void aFloodOfUnknownFramesIsPacedAggregatedAndBanned(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start(nodes.options(mesh -> mesh.setMaxMessageRate(1_000)));
      PeerMeshNode b = nodes.startConnectedTo(a);
      List<JsonObject> invalid = nodes.events(a, PeerEvent.INVALID_MESSAGE_RECEIVED);
      List<JsonObject> closes = nodes.events(a, PeerEvent.CLOSE_INBOUND);

      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      byte[] unknown = RawPeer.frame(0x7F, new byte[0]);
      byte[] burst = new byte[unknown.length * 10_000];
      for (int i = 0; i < 10_000; i++) {
        System.arraycopy(unknown, 0, burst, i * unknown.length, unknown.length);
      }
      long[] framesSent = {0};
      Thread flooder = new Thread(() -> {
        try {
          // Until the node cuts the connection, or at most 200 MB: the node must have acted long before.
          for (int i = 0; i < 4_000; i++) {
            raw.sendRaw(burst);
            framesSent[0] += 10_000;
          }
        } catch (RuntimeException cut) {
          // The node reset the connection.
        }
      });
      flooder.start();

      JsonObject closed = awaitEvent(closes, aboutPeer(raw.peerId()));
      flooder.join();
      assertEquals(DisconnectReason.BANNED.code(), closed.getInteger("code"), closed.encode());
      assertTrue(closed.getString("reason").contains("maxMessageRate"), closed.encode());
      List<JsonObject> reports = invalid.stream().filter(aboutPeer(raw.peerId())).toList();
      assertTrue(!reports.isEmpty() && reports.size() < 20 && reports.size() * 1_000L < framesSent[0],
          reports.size() + " reports of " + framesSent[0] + " frames sent");
      assertTrue(reports.stream().anyMatch(r -> r.getString("error").contains("more skipped since the last report")),
          reports.toString());
      assertExchange(vertx, nodes, a, b);
    }
  }

  @Test
  void requestForAnUnservedProcedureIsAnswered501(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> invalidRequests = nodes.events(a, PeerEvent.INVALID_REQUEST_RECEIVED);

      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      raw.send(new Request(77, "nobody-serves-this", JsonPayload.of(new JsonObject().put("q", 1))));

      Response response = assertInstanceOf(Response.class, raw.readSkippingPings());
      assertEquals(77, response.id());
      assertEquals(Failure.NO_HANDLER.code(), response.status());
      assertTrue(response.error().contains("nobody-serves-this"), response.error());
      JsonObject event = awaitEvent(invalidRequests, aboutPeer(raw.peerId()));
      assertEquals("nobody-serves-this", event.getString("procedure"));
      assertTrue(connectedPeer(a, raw.peerId()).isPresent());
    }
  }

  @Test
  void requestAnsweredByAConsumer(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir); RawPeer raw = new RawPeer()) {
      PeerMeshNode a = nodes.start();
      List<JsonObject> requests = nodes.events(a, PeerEvent.REQUEST_RECEIVED);
      MessageConsumer<JsonObject> sum = vertx.eventBus().consumer(a.addresses().rpc("sum"), m -> {
        JsonObject data = m.body().getJsonObject("data");
        m.reply(new JsonObject().put("sum", data.getInteger("x") + data.getInteger("y"))
            .put("from", m.body().getString("peerId")));
      });
      TestNodes.await(sum.completion());

      raw.connect(a.listenAddress()).handshake(TestNodes.NETWORK);
      awaitListed(a, raw.peerId());
      raw.send(new Request(5, "sum", JsonPayload.of(new JsonObject().put("x", 2).put("y", 3))));

      Response response = assertInstanceOf(Response.class, raw.readSkippingPings());
      assertEquals(5, response.id());
      assertEquals(Response.SUCCESS, response.status());
      assertEquals(new JsonObject().put("sum", 5).put("from", raw.peerId()), response.data().value());
      assertEquals("sum", awaitEvent(requests, aboutPeer(raw.peerId())).getString("procedure"));
    }
  }
}
