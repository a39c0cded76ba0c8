package org.peermesh.bitcoin.peer;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.bitcoin.wire.BitcoinFrames;
import org.peermesh.bus.BusAddresses;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.TestNodes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;

/**
 * What the peer layer's admission and reputation give Bitcoin peers: one IP cannot hold the inbound slots with
 * handshakes it never finishes, and an address that keeps breaking the protocol is banned, across a restart.
 */
class BitcoinProtectionsTest {

  private static final BitcoinNetwork NETWORK = BitcoinNetwork.REGTEST;

  private Vertx vertx;
  private TestNodes nodes;
  private NodeOptions options;
  private List<JsonObject> errors;
  private List<JsonObject> states;

  @BeforeEach
  void setUp(@TempDir Path dir) {
    vertx = Vertx.vertx();
    nodes = new TestNodes(vertx, dir);
    options = nodes.options().setMesh(null).setProtocol(BitcoinProtocol.NAME, new BitcoinOptions()
        .setNetwork(NETWORK)
        .setListen(new PeerAddress("127.0.0.1", 0)));
    BusAddresses addresses = new BusAddresses(options.getBusPrefix());
    errors = nodes.collect(addresses.protocol(BitcoinProtocol.NAME).error());
    states = nodes.collect(addresses.protocol(BitcoinProtocol.NAME).stateChange());
  }

  @AfterEach
  void tearDown() {
    nodes.close();
    TestNodes.await(vertx.close());
  }

  @Test
  void oneAddressCannotHoldTheInboundSlotsWithHandshakesItNeverFinishes() throws IOException {
    PeerMeshNode node = nodes.start(options);
    int pendingLimit = new BitcoinOptions().getMaxPendingHandshakesPerIP();
    int attempts = 200;
    List<Socket> silent = new ArrayList<>();
    try {
      for (int i = 0; i < attempts; i++) {
        PeerAddress listen = node.listenAddress(BitcoinProtocol.NAME);
        silent.add(new Socket(listen.host(), listen.port()));
      }
      await().atMost(TestNodes.DEADLINE).until(() -> refusals("too_many_pending_from_ip") == attempts - pendingLimit);
      assertEquals(pendingLimit, node.peers(BitcoinProtocol.NAME).size(), "the silent connections the node still holds");

      try (RawBitcoinPeer sameAddress = new RawBitcoinPeer(node.listenAddress(BitcoinProtocol.NAME), NETWORK)) {
        assertTrue(sameAddress.closedByNode(), "a further connection from the same IP is refused");
      }
      try (RawBitcoinPeer otherAddress = handshaken(node, "127.0.0.2")) {
        assertEquals(pendingLimit + 1, node.peers(BitcoinProtocol.NAME).size());
      }
    } finally {
      for (Socket socket : silent) {
        socket.close();
      }
    }
    // Once the silent connections are gone, their IP may handshake again.
    await().atMost(TestNodes.DEADLINE).until(() -> node.peers(BitcoinProtocol.NAME).isEmpty());
    handshaken(node, "127.0.0.1").close();
  }

  /**
   * Established peers hold every inbound slot; silent sockets from one address, then from others, wait in the
   * pending pool, bounded per IP and in all, and take no slot: the established peers stay, and a newcomer from
   * another address still handshakes, and is the one refused, for the full slots.
   */
  @Test
  void silentSocketsTakeNoInboundSlotFromEstablishedPeers() throws IOException {
    int pendingPerIp = new BitcoinOptions().getMaxPendingHandshakesPerIP();
    int pendingInAll = pendingPerIp + 4;
    ((BitcoinOptions) options.getProtocol(BitcoinProtocol.NAME)).setMaxInbound(2)
        .setMaxPendingHandshakes(pendingInAll);
    PeerMeshNode node = nodes.start(options);
    PeerAddress listen = node.listenAddress(BitcoinProtocol.NAME);
    List<Socket> silent = new ArrayList<>();
    try (RawBitcoinPeer first = handshaken(node, "127.0.0.2"); RawBitcoinPeer second = handshaken(node, "127.0.0.3")) {
      int fromOneIp = 3 * pendingPerIp;
      for (int i = 0; i < fromOneIp; i++) {
        silent.add(new Socket(listen.host(), listen.port()));
      }
      await().atMost(TestNodes.DEADLINE).until(() -> refusals("too_many_pending_from_ip") == fromOneIp - pendingPerIp);
      try (RawBitcoinPeer newcomer = new RawBitcoinPeer(listen, NETWORK, "127.0.0.4")) {
        newcomer.handshake();
        assertTrue(newcomer.closedByNode(), "a newcomer finds the slots full once it has handshaken");
        JsonObject refused = awaitEvent(errors, e -> e.getString("peer").equals(newcomer.peerName()));
        assertEquals("inbound_slots_full", refused.getString("error"), refused.encode());
        assertTrue(refused.getString("message").contains("maxInbound"), refused.encode());
      }
      int fromOthers = 10;
      for (int i = 0; i < fromOthers; i++) {
        silent.add(new Socket(listen.host(), listen.port(), InetAddress.getByName("127.0.2." + (i + 1)), 0));
      }
      await().atMost(TestNodes.DEADLINE).until(() -> refusals("too_many_pending_handshakes")
          == fromOthers - (pendingInAll - pendingPerIp));
      assertTrue(errors.stream().filter(e -> e.getString("error").equals("too_many_pending_handshakes"))
          .allMatch(e -> e.getString("message").contains("maxPendingHandshakes")), errors.toString());

      assertEquals(2 + pendingInAll, node.peers(BitcoinProtocol.NAME).size(), "two peers and the pending pool");
      for (RawBitcoinPeer established : List.of(first, second)) {
        assertTrue(node.peers(BitcoinProtocol.NAME).stream().anyMatch(p -> p.getString("peer")
            .equals(established.peerName()) && "ready".equals(p.getString("state"))), established.peerName());
      }
      assertTrue(states.stream().noneMatch(s -> "closed".equals(s.getString("state"))
          && (s.getString("peer").equals(first.peerName()) || s.getString("peer").equals(second.peerName()))),
          "an established peer was closed: " + states);
    } finally {
      for (Socket socket : silent) {
        socket.close();
      }
    }
  }

  @Test
  void anAddressThatKeepsBreakingTheProtocolIsBannedAcrossARestart() {
    PeerMeshNode node = nodes.start(options);
    // A bad checksum costs 20 of 100: the fifth bans.
    int violationsToBan = 100 / BitcoinCodec.MALFORMED_MESSAGE_PENALTY;
    for (int i = 0; i < violationsToBan; i++) {
      try (RawBitcoinPeer raw = new RawBitcoinPeer(node.listenAddress(BitcoinProtocol.NAME), NETWORK, "127.0.0.3")) {
        byte[] frame = BitcoinFrames.encode(NETWORK.magic(), RawBitcoinPeer.version(i)).getBytes();
        frame[BitcoinFrames.HEADER_SIZE - 1] ^= 0x55;
        raw.write(frame);
        assertTrue(raw.closedByNode());
        JsonObject error = awaitEvent(errors, e -> e.getString("peer").equals(raw.peerName()));
        assertEquals("bad_checksum", error.getString("error"));
      }
    }
    JsonObject banned = awaitEvent(errors, e -> e.getString("error").equals("banned"));
    assertEquals("127.0.0.3", banned.getString("host"));
    assertRefusedAsBanned(node);

    String banFile = Path.of(options.getDataDir()).resolve("bitcoin-bans.json").toString();
    assertTrue(readString(banFile).contains("\"127.0.0.3\""), "the ban is saved in " + banFile);
    TestNodes.await(node.stop());

    PeerMeshNode restarted = nodes.start(options);
    assertRefusedAsBanned(restarted);
    handshaken(restarted, "127.0.0.4").close();
  }

  private void assertRefusedAsBanned(PeerMeshNode node) {
    try (RawBitcoinPeer raw = new RawBitcoinPeer(node.listenAddress(BitcoinProtocol.NAME), NETWORK, "127.0.0.3")) {
      assertTrue(raw.closedByNode(), "a banned address is refused before its first byte");
      JsonObject refusal = awaitEvent(errors, e -> e.getString("peer").equals(raw.peerName()));
      assertEquals("banned", refusal.getString("error"));
      assertEquals(BitcoinProtocol.NAME, refusal.getString("protocol"));
    }
  }

  private long refusals(String kind) {
    return errors.stream().filter(e -> e.getString("error").equals(kind)).count();
  }

  /** A peer from {@code localHost} past version and verack. */
  private RawBitcoinPeer handshaken(PeerMeshNode node, String localHost) {
    RawBitcoinPeer raw = new RawBitcoinPeer(node.listenAddress(BitcoinProtocol.NAME), NETWORK, localHost);
    raw.handshake();
    awaitEvent(states, s -> s.getString("peer").equals(raw.peerName()) && s.getString("state").equals("ready"));
    return raw;
  }

  private static String readString(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
