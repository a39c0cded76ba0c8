package org.peermesh.hostile;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile mesh peers against a node started from the jar with a small heap (issue 13, "a node no one can exhaust"),
 * over real sockets on 127.x addresses. Each case starts its own node, attacks it, and asserts what the node must do:
 * hold a bounded heap, never run out of memory, cut the attacker (with a reason) and keep serving honest peers.
 */
class HostileMeshIT {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final int MAX_MESSAGE_SIZE = 3 * 1024 * 1024;
  private static final int HANDSHAKE_TIMEOUT_CODE = 4105;
  private static final int PEER_TIMEOUT_CODE = 4107;

  @TempDir
  Path dir;

  /**
   * Case 1. Connections that never finish the handshake each send all but the last byte of a frame whose prefix
   * declares {@code maxMessageSize} (3 MiB): 64 of them, 8 per IP, so that the per-IP pending limit (16) lets them
   * in. The handshake timeout is 30 s, so it cannot be what saves the node. The node must refuse such a frame before
   * the handshake (a pre-handshake frame limit), cutting each connection with a reason other than the timeout, hold a
   * bounded heap meanwhile, and still admit and serve an honest peer.
   */
  @Test
  void unauthenticatedPeersCannotMakeTheNodeBufferFullFrames() {
    JsonObject config = NodeProcess.meshConfig(dir, "node");
    config.getJsonObject("mesh").put("handshakeTimeout", 30_000);
    try (NodeProcess node = NodeProcess.start(dir, "node", config); BusTap tap = BusTap.open(node)) {
      int attackers = 64;
      byte[] head = Buffer.buffer().appendInt(MAX_MESSAGE_SIZE).appendByte((byte) 0x01).getBytes();
      long almostAFrame = 4L + MAX_MESSAGE_SIZE - 1;
      Attack.Flood flood = Attack.unfinishedFrames(node.meshAddress(), 10, attackers, head, almostAFrame);
      List<Socket> sockets = flood.sockets();
      try {
        System.out.println("case 1: " + flood.sentWhole() + " of " + attackers
            + " attackers sent all but the last byte of a 3 MiB frame");

        // While the attackers are still connected: nothing of what they sent may be held beyond a small limit.
        node.assertHeapBounded("with " + attackers + " connections each 1 byte short of a 3 MiB pre-handshake frame");

        // Each attacker is cut for its frame, not dropped by the handshake timeout.
        List<Attack.Ending> endings = flood.endings();
        for (int i = 0; i < attackers; i++) {
          String name = Attack.name(sockets.get(i));
          assertTrue(endings.get(i).closed(), "the node never closed the connection of attacker " + name);
          int code = closeCode(tap, "mesh", name, endings.get(i));
          assertNotEquals(HANDSHAKE_TIMEOUT_CODE, code, "attacker " + name + " was only dropped at the handshake "
              + "timeout: its 3 MiB frame was buffered meanwhile");
        }
      } finally {
        Attack.closeAll(sockets);
      }
      node.assertNoOutOfMemory();
      Probes.assertMeshServes(node, tap, "127.0.0.250");
    }
  }

  /** Whether the node's memory budget is three quarters used, when a stalled peer is cut for holding it. */
  private static boolean tight(JsonObject budget) {
    return budget.getLong("taken") >= budget.getLong("limit") / 4 * 3;
  }

  /**
   * Case 3. Forty authenticated peers stop reading while the node broadcasts 64 KiB messages (160 of them, 10 MiB
   * to each peer, 400 MiB in all). The node must hold a bounded heap and stay up, and cut non-readers (their queue is
   * full, or the node's memory budget is tight while they take nothing) — never for silence, pings are far apart
   * here — until the budget has room again: those left hold no more than it allows. An honest peer that reads
   * receives every broadcast the node did not report as failed to it.
   */
  @Test
  void peersThatStopReadingAreCutBeforeTheyExhaustTheNode() {
    JsonObject config = NodeProcess.meshConfig(dir, "node");
    config.getJsonObject("mesh").put("pingInterval", 60_000).put("peerTimeout", 120_000);
    try (NodeProcess node = NodeProcess.start(dir, "node", config); BusTap tap = BusTap.open(node)) {
      List<MeshPeer> stalled = new ArrayList<>();
      try (MeshPeer honest = MeshPeer.join(node, tap, "127.0.0.3", 0).startReading()) {
        for (int i = 0; i < 40; i++) {
          stalled.add(MeshPeer.join(node, tap, "127.0.0.1", 4096)); // never reads
        }
        int broadcasts = 160;
        for (int n = 0; n < broadcasts; n++) {
          tap.send(BusTap.PREFIX + ".broadcast",
              new JsonObject().put("event", "big").put("data", MeshPeer.payload(64 * 1024, n)));
        }
        Set<String> stalledIds = stalled.stream().map(MeshPeer::peerId).collect(Collectors.toSet());
        // Until every non-reader is cut, or the node gives out (then the checks below say how).
        try {
          await().atMost(DEADLINE).until(() -> !node.isAlive() || node.output().contains("OutOfMemoryError")
              || cut(tap, stalledIds).size() == stalledIds.size()
              || !cut(tap, stalledIds).isEmpty() && !tight(tap.memoryBudget()));
        } catch (ConditionTimeoutException notAllCut) {
          // reported below
        }
        node.assertNoOutOfMemory();
        node.assertAlive();
        node.assertHeapBounded("after " + broadcasts + " broadcasts of 64 KiB to 40 peers that do not read");
        Map<String, JsonObject> cut = cut(tap, stalledIds);
        System.out.println("case 3: non-readers cut with " + cut.values().stream()
            .map(e -> e.getInteger("code") + " " + e.getString("reason")).collect(Collectors.toSet()));
        assertFalse(cut.isEmpty(), "no non-reader was cut");
        JsonObject budget = tap.memoryBudget();
        assertTrue(cut.size() == stalledIds.size() || !tight(budget),
            "non-readers still hold a tight budget: " + budget + ", " + cut.size() + " of 40 cut");
        cut.values().forEach(e -> assertNotEquals(PEER_TIMEOUT_CODE, e.getInteger("code"), e.encode()));

        // The honest peer got every broadcast the node did not report as failed to it, and stays connected.
        String id = honest.peerId();
        int failed = (int) tap.count(BusTap.event("failedToSendMessage"), e -> id.equals(e.getString("peerId")));
        honest.awaitReceived("big", broadcasts - failed, DEADLINE);
        assertFalse(honest.ended(), "the honest reader was cut: " + honest.disconnect());
        assertTrue(tap.isConnected(id), "the honest reader is no longer listed as connected");
      } finally {
        stalled.forEach(MeshPeer::close);
      }
      Probes.assertMeshServes(node, tap, "127.0.0.250");
    }
  }

  /** The closeInbound events (initiated by the node) of the given peers, by peer id. */
  private static Map<String, JsonObject> cut(BusTap tap, Set<String> peerIds) {
    Map<String, JsonObject> cut = new TreeMap<>();
    for (JsonObject e : tap.bodies(BusTap.event("closeInbound"))) {
      if (peerIds.contains(e.getString("peerId")) && "local".equals(e.getString("initiator"))) {
        cut.putIfAbsent(e.getString("peerId"), e);
      }
    }
    return cut;
  }

  /**
   * Case 4. Frames of a type the node does not know are skipped (a newer minor version may add types), but must not
   * be free: three authenticated peers send 700,000 each (5 bytes a frame, 2.1 million in all). The node must penalise, slow or cut
   * each of them, and an honest peer's 50 messages are all delivered to a bridge subscriber.
   */
  @Test
  void floodsOfUnknownFramesCostTheSender() {
    JsonObject config = NodeProcess.meshConfig(dir, "node");
    // The flooders never read: pings far apart, so that silence is not what gets them cut.
    config.getJsonObject("mesh").put("pingInterval", 60_000).put("peerTimeout", 120_000);
    try (NodeProcess node = NodeProcess.start(dir, "node", config); BusTap tap = BusTap.open(node, "honest")) {
      List<MeshPeer> flooders = new ArrayList<>();
      try (MeshPeer honest = MeshPeer.join(node, tap, "127.0.0.5", 0).startReading()) {
        for (int i = 0; i < 3; i++) {
          flooders.add(MeshPeer.join(node, tap, "127.0.0." + (10 + i), 0));
        }
        byte[] chunk = unknownFrames(13_107); // 64 KiB of 5-byte frames of type 0x7f
        int chunks = 700_000 / 13_107 + 1;
        List<Callable<Boolean>> floods = new ArrayList<>();
        flooders.forEach(f -> floods.add(() -> {
          try {
            for (int c = 0; c < chunks; c++) {
              f.sendRaw(chunk);
            }
            return true;
          } catch (RuntimeException cutOff) {
            return false;
          }
        }));
        long start = System.nanoTime();
        List<Boolean> whole = Attack.inParallel(floods, Duration.ofSeconds(90));
        System.out.println("case 4: flooders that sent all their frames: " + whole + " in "
            + (System.nanoTime() - start) / 1_000_000 + " ms");
        long flooded = System.nanoTime();

        int honestMessages = 50;
        for (int n = 0; n < honestMessages; n++) {
          honest.sendMessage("honest", new JsonObject().put("n", n));
        }
        String honestId = honest.peerId();
        await().atMost(DEADLINE).until(() -> tap.count(BusTap.message("honest"),
            m -> honestId.equals(m.getString("peerId"))) == honestMessages || !node.isAlive());
        node.assertNoOutOfMemory();
        node.assertAlive();
        assertEquals(honestMessages, tap.count(BusTap.message("honest"), m -> honestId.equals(m.getString("peerId"))));

        Set<String> flooderIds = flooders.stream().map(MeshPeer::peerId).collect(Collectors.toSet());
        // The node has read the flood by now (the honest messages came after it); the costs are due already.
        try {
          await().atMost(Duration.ofSeconds(10)).until(() -> costed(tap, flooderIds).equals(flooderIds));
        } catch (ConditionTimeoutException e) {
          throw new AssertionError("flooders of unknown frames the node penalised or cut: " + costed(tap, flooderIds)
              + " of " + flooderIds + "; peerPenalized events: " + tap.bodies(BusTap.event("peerPenalized")));
        }
        System.out.println("case 4: honest messages delivered " + (System.nanoTime() - flooded) / 1_000_000
            + " ms after the flood was sent; penalties " + tap.bodies(BusTap.event("peerPenalized")).size()
            + ", cut " + tap.bodies(BusTap.event("closeInbound")));
        assertFalse(honest.ended(), "the honest peer was cut: " + honest.disconnect());
        assertEquals(0, tap.count(BusTap.event("peerPenalized"), e -> honestId.equals(e.getString("peerId"))),
            "the honest peer was penalised");
      } finally {
        flooders.forEach(MeshPeer::close);
      }
    }
  }

  /** {@code count} frames of the unknown type 0x7f with an empty body, back to back. */
  static byte[] unknownFrames(int count) {
    Buffer frames = Buffer.buffer(count * 5);
    for (int i = 0; i < count; i++) {
      frames.appendInt(1).appendByte((byte) 0x7f);
    }
    return frames.getBytes();
  }

  /** The peers among {@code peerIds} that the node penalised, banned or cut. */
  private static Set<String> costed(BusTap tap, Set<String> peerIds) {
    Set<String> costed = new HashSet<>();
    for (String event : List.of("peerPenalized", "banPeer")) {
      tap.bodies(BusTap.event(event)).forEach(e -> costed.add(e.getString("peerId")));
    }
    tap.bodies(BusTap.event("closeInbound")).stream().filter(e -> "local".equals(e.getString("initiator"))
            && !Integer.valueOf(PEER_TIMEOUT_CODE).equals(e.getInteger("code")))
        .forEach(e -> costed.add(e.getString("peerId")));
    costed.retainAll(peerIds);
    return costed;
  }

  /**
   * Case 7. Six honest peers are connected; then 150 sockets connect and never send a byte (10 per IP). Sockets that
   * proved nothing must not evict a proven peer: no honest peer is evicted (evictedPeer, 4114) or cut, whatever
   * happens to the silent sockets (refused or held until the handshake timeout).
   */
  @Test
  void silentSocketsNeverEvictHonestPeers() {
    JsonObject config = NodeProcess.meshConfig(dir, "node");
    config.getJsonObject("mesh").put("handshakeTimeout", 30_000);
    try (NodeProcess node = NodeProcess.start(dir, "node", config); BusTap tap = BusTap.open(node)) {
      List<MeshPeer> honest = new ArrayList<>();
      List<Socket> silent = new ArrayList<>();
      try {
        for (int i = 1; i <= 6; i++) {
          honest.add(MeshPeer.join(node, tap, "127.20.0." + i, 0).startReading());
        }
        for (int i = 0; i < 150; i++) {
          silent.add(Attack.connect(node.meshAddress(), Attack.spreadHost(21, i, 10), 0));
        }
        // The node has acted on every silent socket once each got its Hello (held) or was closed (refused).
        List<Callable<Boolean>> seen = new ArrayList<>();
        silent.forEach(s -> seen.add(() -> firstByteOrEnd(s)));
        Attack.inParallel(seen, Duration.ofSeconds(60));

        Set<String> honestIds = honest.stream().map(MeshPeer::peerId).collect(Collectors.toSet());
        List<JsonObject> evicted = tap.bodies(BusTap.event("evictedPeer")).stream()
            .filter(e -> honestIds.contains(e.getString("peerId"))).toList();
        System.out.println("case 7: evictedPeer events " + tap.bodies(BusTap.event("evictedPeer")).size()
            + ", of honest peers " + evicted.size());
        assertEquals(List.of(), evicted, "honest peers evicted for sockets that never sent a byte");
        Set<String> listed = tap.connectedPeers().stream().map(p -> p.getString("peerId")).collect(Collectors.toSet());
        assertTrue(listed.containsAll(honestIds), "honest peers no longer connected: " + honestIds.stream()
            .filter(id -> !listed.contains(id)).toList());
        honest.forEach(p -> assertNull(p.disconnect(), "an honest peer was told " + p.disconnect()));
      } finally {
        Attack.closeAll(silent);
        honest.forEach(MeshPeer::close);
      }
      node.assertNoOutOfMemory();
    }
  }

  /** Waits (at most 30 s) for the node's first byte on {@code socket} or for its close. */
  private static boolean firstByteOrEnd(Socket socket) throws Exception {
    socket.setSoTimeout(30_000);
    try {
      return socket.getInputStream().read() >= 0;
    } catch (java.net.SocketException reset) {
      return false;
    }
  }

  /**
   * Case 8. An honest peer stalls: it stops reading while the node keeps broadcasting 64 KiB messages, until the
   * node has reported 64 broadcasts it could not queue for it (failedToSendMessage), then reads again. It must stay
   * connected (no 4108 "more than 8388608 bytes waiting"): what it missed is reported, and it receives what comes
   * after.
   */
  @Test
  void aPeerThatStallsForAWhileIsNotCut() {
    JsonObject config = NodeProcess.meshConfig(dir, "node");
    try (NodeProcess node = NodeProcess.start(dir, "node", config); BusTap tap = BusTap.open(node);
         MeshPeer staller = MeshPeer.join(node, tap, "127.0.0.7", 16 * 1024).startReading()) {
      String id = staller.peerId();
      staller.pause();
      int sent = 0;
      // Broadcasts until the node reports 64 it could not queue for the staller (or cuts it); 1000 is a guard.
      while (sent < 1000 && reported(tap, id) < REFUSALS_BEFORE_RESUMING && !cutOff(tap, id)) {
        for (int i = 0; i < 8; i++, sent++) {
          tap.send(BusTap.PREFIX + ".broadcast",
              new JsonObject().put("event", "big").put("data", MeshPeer.payload(64 * 1024, sent)));
        }
        tap.connectedPeers(); // a round trip: the broadcasts before it have reached the node
      }
      final int broadcasts = sent;
      try {
        await().atMost(DEADLINE).until(() -> reported(tap, id) >= REFUSALS_BEFORE_RESUMING || cutOff(tap, id)
            || !node.isAlive());
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("after " + broadcasts + " broadcasts to a peer that stopped reading, the node "
            + "neither reported a message it could not queue nor cut the peer");
      }
      System.out.println("case 8: after " + broadcasts + " broadcasts: failedToSendMessage for the staller "
          + tap.count(BusTap.event("failedToSendMessage"), e -> id.equals(e.getString("peerId")))
          + ", cut: " + tap.bodies(BusTap.event("closeInbound")));
      staller.resume();
      tap.send(BusTap.PREFIX + ".broadcast", new JsonObject().put("event", "after").put("data", 1));
      staller.awaitReceived("after", 1, DEADLINE);
      assertFalse(cutOff(tap, id), "the staller was cut: " + tap.bodies(BusTap.event("closeInbound")));
      assertNull(staller.disconnect());
      assertTrue(tap.isConnected(id));
      node.assertHeapBounded("after " + broadcasts + " broadcasts of 64 KiB to a peer that stalled");
    }
  }

  private static final int REFUSALS_BEFORE_RESUMING = 64;

  private static long reported(BusTap tap, String peerId) {
    return tap.count(BusTap.event("failedToSendMessage"), e -> peerId.equals(e.getString("peerId")));
  }

  private static boolean cutOff(BusTap tap, String peerId) {
    return tap.count(BusTap.event("closeInbound"), e -> peerId.equals(e.getString("peerId"))) > 0;
  }

  /**
   * Case 10. A message whose data is nested 999 deep is either delivered to a bridge subscriber, or refused at the
   * peer with an invalidMessageReceived event that names the limit; never accepted and then lost. A message sent
   * after it by the same peer marks when the node is done with it.
   */
  @Test
  void deeplyNestedJsonIsDeliveredOrRefusedAtThePeer() {
    JsonObject config = NodeProcess.meshConfig(dir, "node");
    try (NodeProcess node = NodeProcess.start(dir, "node", config);
         BusTap tap = BusTap.open(node, "deep", "after", BusTap.event("invalidMessageReceived"));
         MeshPeer peer = MeshPeer.join(node, tap, "127.0.0.8", 0).startReading()) {
      String id = peer.peerId();
      String json = "[".repeat(999) + "]".repeat(999);
      peer.sendRaw(appMessageFrame("deep", json));
      peer.sendMessage("after", 1);
      try {
        tap.await(BusTap.message("after"), m -> id.equals(m.getString("peerId")), DEADLINE);
      } catch (ConditionTimeoutException e) {
        // The peer was cut for its deep message: an event must name why (checked below).
      }
      tap.connectedPeers(); // a round trip through the bridge after everything published before it
      long delivered = tap.count(BusTap.message("deep"), m -> id.equals(m.getString("peerId")));
      List<JsonObject> refusals = tap.bodies(BusTap.event("invalidMessageReceived")).stream()
          .filter(e -> id.equals(e.getString("peerId"))).toList();
      System.out.println("case 10: delivered " + delivered + ", refusals " + refusals);
      boolean refusedNamingTheLimit = refusals.stream().anyMatch(e -> String.valueOf(e.getString("error"))
          .toLowerCase().matches("(?s).*(depth|deep|nest).*"));
      assertTrue(delivered == 1 || refusedNamingTheLimit, "a message nested 999 deep was neither delivered ("
          + delivered + ") nor refused with an event naming the limit (" + refusals + ")");
      node.assertNoOutOfMemory();
    }
  }

  /** An AppMessage frame with its JSON given as text (so that no encoder in this JVM limits its depth). */
  static byte[] appMessageFrame(String event, String json) {
    byte[] name = event.getBytes(StandardCharsets.UTF_8);
    byte[] data = json.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer().appendInt(1 + 2 + name.length + data.length).appendByte((byte) 0x10)
        .appendUnsignedShort(name.length).appendBytes(name).appendBytes(data).getBytes();
  }

  /**
   * Case 11. A two-node mesh: node A dials node B as a seed and shuffles its outbound peers every 500 ms. B is A's
   * only peer, so dropping it to make room for another is never right: over ten shuffle periods A keeps the
   * connection it dialed. No event marks a shuffle that drops no one, so the test watches for a disconnect for ten
   * periods (5 s), failing as soon as one happens; a drop before the bridge subscriber was registered shows in A's
   * log ("dropped by the outbound shuffle").
   */
  @Test
  void theOutboundShuffleNeverDropsTheOnlyConnection() {
    try (NodeProcess b = NodeProcess.start(dir, "b", NodeProcess.meshConfig(dir, "b"))) {
      JsonObject configA = NodeProcess.meshConfig(dir, "a");
      configA.getJsonObject("mesh").put("outboundShuffleInterval", 500)
          .put("seedPeers", new io.vertx.core.json.JsonArray().add(new JsonObject()
              .put("host", b.meshAddress().host()).put("port", b.meshAddress().port())));
      try (NodeProcess a = NodeProcess.start(dir, "a", configA); BusTap tap = BusTap.open(a)) {
        await().atMost(DEADLINE).until(() -> tap.connectedPeers().size() == 1);
        int periods = 10;
        try {
          await().atMost(Duration.ofMillis(500L * periods)).until(() -> disconnects(tap) > 0);
        } catch (ConditionTimeoutException noDisconnect) {
          // what must happen: ten periods without a disconnect
        }
        List<JsonObject> peers = tap.connectedPeers();
        System.out.println("case 11: A's peers " + peers + ", closeOutbound "
            + tap.bodies(BusTap.event("closeOutbound")) + ", A's shuffle drops "
            + a.output().lines().filter(l -> l.contains("outbound shuffle")).toList());
        assertEquals(List.of(), a.output().lines().filter(l -> l.contains("dropped by the outbound shuffle")).toList(),
            "A dropped its only connection to the shuffle");
        assertEquals(List.of(), tap.bodies(BusTap.event("closeOutbound")), "A's connections closed");
        assertEquals(0, disconnects(tap));
        assertEquals(1, peers.size());
      }
    }
  }

  private static long disconnects(BusTap tap) {
    return tap.bodies(BusTap.event("closeOutbound")).size() + tap.bodies(BusTap.event("removePeer")).size();
  }

  /** The node's close code for an attacker's connection: its state change, else the Disconnect frame it read. */
  static int closeCode(BusTap tap, String protocol, String name, Attack.Ending ending) {
    List<JsonObject> closings = Attack.closings(tap, protocol, name);
    if (!closings.isEmpty() && closings.get(0).getInteger("code") != null) {
      return closings.get(0).getInteger("code");
    }
    return Attack.meshDisconnectCode(ending.bytesRead());
  }
}
