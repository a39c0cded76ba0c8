package org.peermesh.hostile;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.bitcoin.peer.RawBitcoinPeer;
import org.peermesh.bitcoin.wire.BitcoinFrames;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile Bitcoin peers against a Bitcoin-only node (regtest, a listener on 127.0.0.1) started from the jar with a
 * small heap (issue 13). Bitcoin peers speak first, so the node learns of a connection only from what it sends.
 */
class HostileBitcoinIT {

  private static final int HANDSHAKE_TIMEOUT_CODE = 4105;
  private static final String STATE = BusTap.PREFIX + ".bitcoin.stateChange";
  private static final String ERROR = BusTap.PREFIX + ".bitcoin.error";

  @TempDir
  Path dir;

  /**
   * Case 2. Connections that never finish the handshake each send 3,999,998 bytes of a {@code version} whose header
   * declares 3,999,999 (under Bitcoin's 4,000,000 limit): 48 of them, 8 per IP, within the per-IP pending limit.
   * The handshake timeout is 30 s, so it cannot be what saves the node. The node must refuse such a message before
   * the handshake, cutting each connection with a reason other than the timeout, hold a bounded heap meanwhile, and
   * an honest peer from another IP completes its handshake.
   */
  @Test
  void unauthenticatedPeersCannotMakeTheNodeBufferHugeVersions() {
    JsonObject config = NodeProcess.bitcoinConfig(dir, "node");
    config.getJsonObject("bitcoin").put("handshakeTimeout", 30_000);
    try (NodeProcess node = NodeProcess.start(dir, "node", config); BusTap tap = BusTap.open(node, STATE, ERROR)) {
      int attackers = 48;
      int declared = 3_999_999;
      byte[] head = BitcoinFrames.encode(BitcoinNetwork.REGTEST.magic(), "version", Buffer.buffer()).getBytes();
      head[16] = (byte) declared;
      head[17] = (byte) (declared >>> 8);
      head[18] = (byte) (declared >>> 16);
      head[19] = (byte) (declared >>> 24);
      long almostAVersion = head.length + declared - 1L;
      Attack.Flood flood = Attack.unfinishedFrames(node.bitcoinAddress(), 30, attackers, head, almostAVersion);
      List<Socket> sockets = flood.sockets();
      try {
        System.out.println("case 2: " + flood.sentWhole() + " of " + attackers
            + " attackers sent 3,999,998 bytes of a version");

        node.assertHeapBounded("with " + attackers + " connections each 1 byte short of a 4 MB version");

        List<Attack.Ending> endings = flood.endings();
        for (int i = 0; i < attackers; i++) {
          String name = Attack.name(sockets.get(i));
          assertTrue(endings.get(i).closed(), "the node never closed the connection of attacker " + name + node.tail());
          List<JsonObject> closings = Attack.closings(tap, "bitcoin", name);
          int code = closings.isEmpty() || closings.get(0).getInteger("code") == null ? -1
              : closings.get(0).getInteger("code");
          assertNotEquals(HANDSHAKE_TIMEOUT_CODE, code, "attacker " + name + " was only dropped at the handshake "
              + "timeout: its 4 MB version was buffered meanwhile");
        }
      } finally {
        Attack.closeAll(sockets);
      }
      node.assertNoOutOfMemory();
      node.assertAlive();
      try (RawBitcoinPeer honest = new RawBitcoinPeer(node.bitcoinAddress(), BitcoinNetwork.REGTEST, "127.0.0.2")) {
        honest.handshake();
      }
    }
  }

  /**
   * Case 9. One IP opens 200 connections and sends nothing. It must not hold every inbound slot: at most
   * {@code maxPendingHandshakesPerIP} (16) of them are held, the rest refused, and a peer from another IP
   * (127.0.0.2) completes its handshake.
   */
  @Test
  void oneIpCannotHoldEveryInboundSlot() {
    JsonObject config = NodeProcess.bitcoinConfig(dir, "node");
    try (NodeProcess node = NodeProcess.start(dir, "node", config); BusTap tap = BusTap.open(node, STATE, ERROR)) {
      List<Socket> idle = new ArrayList<>();
      try {
        for (int i = 0; i < 200; i++) {
          idle.add(Attack.connect(node.bitcoinAddress(), "127.0.0.1", 0));
        }
        // The node has acted on each socket once it is either listed (held) or refused.
        await().atMost(Duration.ofSeconds(30)).until(() -> held(tap) + refused(tap) >= 200 || !node.isAlive());
        int held = held(tap);
        System.out.println("case 9: held " + held + ", refused " + refused(tap) + "; an error event: "
            + tap.bodies(ERROR).stream().findFirst().orElse(null));
        assertTrue(held <= 16, held + " idle connections from one IP held, over maxPendingHandshakesPerIP (16)");
        node.assertHeapBounded("with 200 idle connections from one IP");
        try (RawBitcoinPeer other = new RawBitcoinPeer(node.bitcoinAddress(), BitcoinNetwork.REGTEST, "127.0.0.2")) {
          other.handshake();
        }
      } finally {
        Attack.closeAll(idle);
      }
      node.assertNoOutOfMemory();
    }
  }

  /** The connections from 127.0.0.1 the node holds, as its Bitcoin peers command lists them. */
  private static int held(BusTap tap) {
    JsonObject reply = tap.request(BusTap.PREFIX + ".bitcoin.command.peers", new JsonObject());
    if (!"message".equals(reply.getString("type"))) {
      throw new AssertionError("bitcoin peers failed: " + reply);
    }
    return (int) reply.getJsonObject("body").getJsonArray("peers").stream().map(p -> (JsonObject) p)
        .filter(p -> "127.0.0.1".equals(p.getString("host"))).count();
  }

  /** The connections from 127.0.0.1 the node refused, by its error events and state changes. */
  private static int refused(BusTap tap) {
    long errors = tap.bodies(ERROR).stream().filter(e -> e.encode().contains("127.0.0.1")).count();
    long closed = tap.bodies(STATE).stream()
        .filter(e -> "closed".equals(e.getString("state")) && "127.0.0.1".equals(e.getString("host"))).count();
    return (int) Math.max(errors, closed);
  }
}
