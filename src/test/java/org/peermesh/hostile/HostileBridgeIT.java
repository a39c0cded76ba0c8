package org.peermesh.hostile;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.net.PeerAddress;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile clients of the TCP event-bus bridge, and a peer whose events flood a slow one, against a node started from
 * the jar with a small heap (issue 13). The bridge is the node's API for services: whoever reaches its port must not
 * be able to exhaust the node, and a subscriber that reads slowly must cost the node a bounded amount.
 */
class HostileBridgeIT {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  /** A dropped-events count in any frame: {@code "dropped": 123}, {@code "droppedEvents": 123}, ... */
  private static final Pattern DROPPED = Pattern.compile("\"dropped[A-Za-z]*\"\\s*:\\s*(\\d+)");

  @TempDir
  Path dir;

  /**
   * Case 5. A bridge client registers for invalidMessageReceived and then reads nothing (a 4 KiB receive buffer),
   * while an authenticated peer sends 600,000 frames of an unknown type, each an invalidMessageReceived event. The
   * node must hold a bounded heap while the subscriber stalls, and lose nothing without a word: once the subscriber
   * reads again, the events about the flooder it gets, each counting as its {@code count} field says (events
   * aggregated) or 1, plus the counts of frames that report dropped events ({@code "dropped…": n}), add up to every
   * frame the flooder sent, unless the node cut the flooder (its own event then says why).
   */
  @Test
  void aSlowEventSubscriberCostsTheNodeABoundedAmount() throws IOException {
    JsonObject config = NodeProcess.meshConfig(dir, "node");
    config.getJsonObject("mesh").put("pingInterval", 60_000).put("peerTimeout", 120_000);
    try (NodeProcess node = NodeProcess.start(dir, "node", config); BusTap tap = BusTap.open(node, "flood-end");
         Socket slow = Attack.connect(new PeerAddress("127.0.0.1", node.bridgePort()), "127.0.0.1", 4096)) {
      String address = BusTap.event("invalidMessageReceived");
      RawBridge subscriber = new RawBridge(slow);
      subscriber.write(new JsonObject().put("type", "register").put("address", address));
      subscriber.write(new JsonObject().put("type", "ping"));
      subscriber.readUntilPong(); // registered; from now on it reads nothing

      int frames = 600_000;
      try (MeshPeer flooder = MeshPeer.join(node, tap, "127.0.0.9", 0).startReading()) {
        String id = flooder.peerId();
        byte[] chunk = HostileMeshIT.unknownFrames(10_000);
        boolean whole = true;
        try {
          for (int c = 0; c < frames / 10_000; c++) {
            flooder.sendRaw(chunk);
          }
          flooder.sendMessage("flood-end", 1);
        } catch (RuntimeException cut) {
          whole = false;
        }
        // The node has read the whole flood once the message after it arrives (or it cut the flooder).
        try {
          await().atMost(Duration.ofSeconds(60)).until(() -> !node.isAlive() || flooder.ended()
              || tap.count(BusTap.message("flood-end"), m -> id.equals(m.getString("peerId"))) > 0);
        } catch (ConditionTimeoutException e) {
          // checked below
        }
        System.out.println("case 5: flooder sent all " + frames + " unknown frames: " + whole);
        node.assertNoOutOfMemory();
        node.assertAlive();
        node.assertHeapBounded("with " + frames + " invalidMessageReceived events for a subscriber that does not read");

        // The subscriber reads again: every frame up to the pong of a new ping.
        subscriber.write(new JsonObject().put("type", "ping"));
        List<JsonObject> got = subscriber.readUntilPong();
        long accounted = 0;
        long dropped = 0;
        for (JsonObject frame : got) {
          JsonObject body = frame.getValue("body") instanceof JsonObject b ? b : null;
          if (address.equals(frame.getString("address")) && body != null && id.equals(body.getString("peerId"))) {
            accounted += body.getValue("count") instanceof Number n ? n.longValue() : 1;
          }
          Matcher m = DROPPED.matcher(frame.encode());
          while (m.find()) {
            dropped += Long.parseLong(m.group(1));
          }
        }
        boolean flooderCut = tap.count(BusTap.event("closeInbound"), e -> id.equals(e.getString("peerId"))) > 0;
        System.out.println("case 5: the subscriber got " + got.size() + " frames, events about the flooder counting "
            + accounted + ", dropped counts " + dropped + "; flooder cut: " + flooderCut);
        if (!flooderCut) {
          assertTrue(accounted + dropped >= frames, "of " + frames + " invalid frames, the subscriber was told of "
              + accounted + " and of " + dropped + " dropped events");
        }
        assertTrue(accounted > 0, "the subscriber was never told of the flooder's invalid frames");
      }
      Probes.assertMeshServes(node, tap, "127.0.0.250");
    }
  }

  /**
   * Case 6. A bridge client declares a frame of 0x7FFFFFF0 bytes and streams zeros (up to 320 MiB, twice the node's
   * heap). The bridge must refuse the frame — an err frame, then the connection closed — without buffering it: the
   * heap stays bounded, and the bridge still serves other clients.
   */
  @Test
  void theBridgeRefusesAHugeFrame() throws IOException {
    JsonObject config = NodeProcess.meshConfig(dir, "node");
    try (NodeProcess node = NodeProcess.start(dir, "node", config); BusTap tap = BusTap.open(node);
         Socket attacker = Attack.connect(new PeerAddress("127.0.0.1", node.bridgePort()), "127.0.0.1", 0)) {
      byte[] head = Buffer.buffer().appendInt(0x7FFFFFF0).getBytes();
      long streamed = 320L * 1024 * 1024;
      boolean whole = Attack.writeAll(attacker, head, streamed);
      System.out.println("case 6: the bridge took all " + streamed / 1024 / 1024 + " MiB of the frame: " + whole);
      node.assertNoOutOfMemory();
      node.assertAlive();
      node.assertHeapBounded("after a bridge client streamed " + streamed / 1024 / 1024 + " MiB of a declared 2 GiB frame");

      Attack.Ending ending = Attack.awaitEnd(attacker, DEADLINE);
      List<JsonObject> answers = RawBridge.frames(ending.bytesRead());
      System.out.println("case 6: the bridge answered " + answers + ", closed: " + ending.closed());
      assertTrue(answers.stream().anyMatch(f -> "err".equals(f.getString("type"))), "no err frame: " + answers);
      assertTrue(ending.closed(), "the bridge did not close the connection");

      assertEquals(List.of(), tap.connectedPeers(), "the bridge no longer answers commands");
      Probes.assertMeshServes(node, tap, "127.0.0.250");
    }
  }

  /** A bridge client on a plain socket whose reading the test controls (BridgeClient reads as it is asked to). */
  private static final class RawBridge {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawBridge(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    void write(JsonObject frame) throws IOException {
      byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
      out.write(Buffer.buffer().appendInt(json.length).appendBytes(json).getBytes());
      out.flush();
    }

    /** Every frame up to and including the next pong; fails if none comes within 30 s of silence. */
    List<JsonObject> readUntilPong() throws IOException {
      socket.setSoTimeout(30_000);
      List<JsonObject> frames = new ArrayList<>();
      try {
        while (true) {
          int length = in.readInt();
          byte[] json = new byte[length];
          in.readFully(json);
          JsonObject frame = new JsonObject(new String(json, StandardCharsets.UTF_8));
          if ("pong".equals(frame.getString("type"))) {
            return frames;
          }
          frames.add(frame);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no pong from the bridge within 30 s of silence, after " + frames.size()
            + " frames", e);
      }
    }

    /** The complete bridge frames in {@code bytes}. */
    static List<JsonObject> frames(byte[] bytes) {
      List<JsonObject> frames = new ArrayList<>();
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.remaining() >= 4) {
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
          break;
        }
        byte[] json = new byte[length];
        buffer.get(json);
        frames.add(new JsonObject(new String(json, StandardCharsets.UTF_8)));
      }
      return frames;
    }
  }
}
