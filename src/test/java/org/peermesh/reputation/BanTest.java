package org.peermesh.reputation;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bus.PeerEvent;
import org.peermesh.discovery.PeerBook;
import org.peermesh.discovery.PeerDiscovery;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.Disconnect;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.testing.RawPeer;
import org.peermesh.testing.TestNodes;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;
import static org.peermesh.testing.PeerTestSupport.awaitListed;
import static org.peermesh.testing.PeerTestSupport.awaitNotListed;
import static org.peermesh.testing.PeerTestSupport.connectedPeer;
import static org.peermesh.testing.PeerTestSupport.invalidJsonAppMessageBody;

/**
 * What a ban does: which connections it refuses and when (by IP before any handshake, or by peer id after the
 * handshake for a proven peer on an exempt local address), that it survives a restart through {@code bans.json},
 * that it ends after peerBanTime, and that the banned address leaves the peer book.
 *
 * <p>Raw peers connect from distinct loopback addresses (127.6.x.x), so that banning one IP leaves the others,
 * and the node's own 127.0.0.1, alone. The bans are caused by a malformed frame: a penalty of 100.
 */
@ExtendWith(VertxExtension.class)
class BanTest {

  private static final int BANNED = DisconnectReason.BANNED.code();

  /**
   * With local addresses not exempt, a ban is by IP: the next connection from that IP is refused with BANNED
   * before any Hello, others connect, and the ban holds across a restart of the node.
   */
  @Test
  void aBannedIpIsRefusedBeforeTheHandshakeAlsoAfterARestart(Vertx vertx, @TempDir Path dir) throws Exception {
    String bad = "127.6.0.1";
    String good = "127.6.0.2";
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      NodeOptions options = nodes.options(meshOptions -> meshOptions.setExemptLocalAddresses(false));
      List<JsonObject> bans = nodes.events(options, PeerEvent.BAN_PEER);
      List<JsonObject> refused = nodes.events(options, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      PeerMeshNode node = nodes.start(options);

      String bannedId = banByMalformedFrame(node, bad);
      JsonObject ban = awaitEvent(bans, e -> bannedId.equals(e.getString("peerId")));
      assertEquals(bad, ban.getString("key"), "with local addresses not exempt the ban is by IP");
      assertEquals(bad, ban.getString("host"));

      assertRefusedBeforeHandshake(node, bad, refused);
      assertConnects(node, good);

      Path banFile = banFile(options);
      assertTrue(BanList.load(banFile, Clock.systemUTC()).isBanned(bad), Files.readString(banFile));
      assertFalse(BanList.load(banFile, Clock.systemUTC()).isBanned(good));

      TestNodes.await(node.stop());
      PeerMeshNode restarted = nodes.start(new NodeOptions(options));
      assertRefusedBeforeHandshake(restarted, bad, refused);
      assertConnects(restarted, good);
    }
  }

  /**
   * A ban lasts peerBanTime: the node checks expiry at least that often, publishes unbanPeer for the key, and the
   * address connects again; after a restart the expired ban is gone from bans.json too.
   */
  @Test
  void aBanEndsAfterPeerBanTime(Vertx vertx, @TempDir Path dir) throws Exception {
    String host = "127.6.0.3";
    int banTime = 500;
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      NodeOptions options = nodes.options(meshOptions -> meshOptions
          .setExemptLocalAddresses(false)
          .setPeerBanTime(banTime));
      List<JsonObject> bans = nodes.events(options, PeerEvent.BAN_PEER);
      List<JsonObject> unbans = nodes.events(options, PeerEvent.UNBAN_PEER);
      PeerMeshNode node = nodes.start(options);

      String bannedId = banByMalformedFrame(node, host);
      JsonObject ban = awaitEvent(bans, e -> bannedId.equals(e.getString("peerId")));
      assertEquals(host, ban.getString("key"));
      long until = ban.getLong("until");
      assertEquals(banTime, until - ban.getLong("bannedAt"));
      JsonArray saved = new JsonObject(Files.readString(banFile(options))).getJsonArray("bans");
      assertEquals(host, saved.getJsonObject(0).getString("key"), saved.encode());

      JsonObject unban = awaitEvent(unbans, e -> host.equals(e.getString("key")));
      assertEquals(bannedId, unban.getString("peerId"));
      assertEquals(until, unban.getLong("until"));
      assertTrue(System.currentTimeMillis() >= until, "unbanned no earlier than its end");
      assertConnects(node, host);

      TestNodes.await(node.stop());
      PeerMeshNode restarted = nodes.start(new NodeOptions(options));
      assertFalse(BanList.load(banFile(options), Clock.systemUTC()).isBanned(host));
      assertConnects(restarted, host);
    }
  }

  /**
   * With local addresses exempt (the default), a proven peer on 127.0.0.1 is banned by its id: its key is refused
   * after a full handshake, while another peer from the very same 127.0.0.1 connects.
   */
  @Test
  void aPeerBannedByIdIsRefusedAfterTheHandshakeWhileItsIpStillConnects(Vertx vertx, @TempDir Path dir)
      throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      NodeOptions options = nodes.options();
      List<JsonObject> bans = nodes.events(options, PeerEvent.BAN_PEER);
      List<JsonObject> refused = nodes.events(options, PeerEvent.FAILED_TO_ADD_INBOUND_PEER);
      PeerMeshNode node = nodes.start(options);

      RawPeer first = new RawPeer();
      try (first) {
        first.connect(node.listenAddress(), "127.0.0.1").handshake(TestNodes.NETWORK);
        awaitListed(node, first.peerId());
        first.sendRaw(RawPeer.frame(WireMessage.APP_MESSAGE, invalidJsonAppMessageBody()));
        assertEquals(BANNED, first.expectDisconnect().code());
      }
      JsonObject ban = awaitEvent(bans, e -> first.peerId().equals(e.getString("peerId")));
      assertEquals("peer:" + first.peerId(), ban.getString("key"));
      awaitNotListed(node, first.peerId());

      assertRefusedAfterHandshake(node, first, refused);
      assertConnects(node, "127.0.0.1");
      BanList saved = BanList.load(banFile(options), Clock.systemUTC());
      assertTrue(saved.isBanned("peer:" + first.peerId()));
      assertFalse(saved.isBanned("127.0.0.1"));

      // The ban by id survives a restart as well.
      TestNodes.await(node.stop());
      PeerMeshNode restarted = nodes.start(new NodeOptions(options));
      assertRefusedAfterHandshake(restarted, first, refused);
      assertConnects(restarted, "127.0.0.1");
    }
  }

  /** A new connection with {@code banned}'s key completes the handshake, then gets BANNED. */
  private static void assertRefusedAfterHandshake(PeerMeshNode node, RawPeer banned, List<JsonObject> refused)
      throws IOException {
    try (RawPeer again = new RawPeer(banned.key())) {
      again.connect(node.listenAddress(), "127.0.0.1");
      // The node sends its Hello and Auth; it refuses the peer only once our Auth proves who we are.
      Disconnect refusal = again.tryHandshake(TestNodes.NETWORK);
      assertNull(refusal, "refused before the handshake: " + refusal);
      assertEquals(BANNED, again.expectDisconnect().code());
      JsonObject event = awaitEvent(refused, e -> Integer.valueOf(again.localPort()).equals(e.getInteger("port")));
      assertEquals(BANNED, event.getInteger("code"));
      assertEquals(banned.peerId(), event.getString("peerId"));
    }
    assertTrue(connectedPeer(node, banned.peerId()).isEmpty());
  }

  /**
   * A banned peer's address leaves the node's peer book: its own address for a ban by id, every address of its
   * IP for a ban by IP. The book is read from {@code peerbook.json}, which discovery saves on stop; the peers are
   * booked because they connected inbound with a listen port. (getDisconnectedPeers is no help here: it is the
   * history of peers that were connected, the banned one included.) The node dials nothing
   * (maxOutboundConnections 0), so no failed dial drops a booked address either.
   */
  @Test
  void aBannedPeerIsRemovedFromThePeerBook(Vertx vertx, @TempDir Path dir) throws Exception {
    try (TestNodes nodes = new TestNodes(vertx, dir)) {
      // By id: 127.0.0.1 is exempt.
      NodeOptions byId = nodes.options(meshOptions -> meshOptions.setMaxOutbound(0));
      PeerMeshNode first = nodes.start(byId);
      List<JsonObject> idBans = nodes.events(first, PeerEvent.BAN_PEER);
      PeerAddress keptLocal = new PeerAddress("127.0.0.1", 40_002);
      PeerAddress bannedLocal = new PeerAddress("127.0.0.1", 40_001);
      try (RawPeer kept = new RawPeer().listenPort(keptLocal.port())) {
        connectAndAwaitBooked(nodes, first, kept, keptLocal.host());
        String banned = banByMalformedFrame(nodes, first, bannedLocal.host(), bannedLocal.port());
        assertEquals("peer:" + banned, awaitEvent(idBans, e -> banned.equals(e.getString("peerId"))).getString("key"));
        awaitNotListed(first, banned);
        TestNodes.await(first.stop());
      }
      PeerBook bookById = PeerBook.loadOrCreate(peerBookFile(byId), Clock.systemUTC());
      assertFalse(bookById.contains(bannedLocal), "the banned peer's address is still booked");
      assertTrue(bookById.contains(keptLocal), "the other peer's address was dropped too");

      // By IP: every address of the banned host goes, those of other hosts stay.
      NodeOptions byIp = nodes.options(meshOptions -> meshOptions
          .setMaxOutbound(0)
          .setExemptLocalAddresses(false));
      PeerMeshNode second = nodes.start(byIp);
      List<JsonObject> bans = nodes.events(second, PeerEvent.BAN_PEER);
      PeerAddress sameHost = new PeerAddress("127.6.1.1", 40_003);
      PeerAddress bannedRemote = new PeerAddress("127.6.1.1", 40_001);
      PeerAddress otherHost = new PeerAddress("127.6.1.2", 40_002);
      try (RawPeer neighbour = new RawPeer().listenPort(sameHost.port());
           RawPeer other = new RawPeer().listenPort(otherHost.port())) {
        connectAndAwaitBooked(nodes, second, neighbour, sameHost.host());
        connectAndAwaitBooked(nodes, second, other, otherHost.host());
        String banned = banByMalformedFrame(nodes, second, bannedRemote.host(), bannedRemote.port());
        assertEquals(bannedRemote.host(), awaitEvent(bans, e -> banned.equals(e.getString("peerId"))).getString("key"));
        // A ban by IP ends every connection from it.
        assertEquals(BANNED, neighbour.expectDisconnect().code());
        awaitNotListed(second, neighbour.peerId());
        TestNodes.await(second.stop());
      }
      PeerBook bookByIp = PeerBook.loadOrCreate(peerBookFile(byIp), Clock.systemUTC());
      assertFalse(bookByIp.contains(bannedRemote), "the banned peer's address is still booked");
      assertFalse(bookByIp.contains(sameHost), "another address of the banned IP is still booked");
      assertTrue(bookByIp.contains(otherHost), "an address of another IP was dropped");
    }
  }

  /**
   * A fixed peer is never banned, and not for what another peer on its IP did either: with local addresses not
   * exempt, a raw peer from the fixed peer's IP is banned by IP, and the node keeps its connection to the fixed
   * peer (it also accepts inbound connections from a fixed peer's host despite a ban of it: see PeerPool.accept).
   */
  @Test
  void aFixedPeerOutlivesTheBanOfItsIp(Vertx vertx, @TempDir Path dir) throws Exception {
    String shared = "127.6.2.1";
    try (TestNodes nodes = new TestNodes(vertx, dir);
         ServerSocket listener = RawPeer.listen(shared);
         RawPeer fixed = new RawPeer()) {
      NodeOptions options = nodes.options(meshOptions -> meshOptions
          .setExemptLocalAddresses(false)
          .setConnect(List.of(new PeerAddress(shared, listener.getLocalPort()))));
      List<JsonObject> bans = nodes.events(options, PeerEvent.BAN_PEER);
      PeerMeshNode node = nodes.startDialing(options, fixed, listener);
      awaitListed(node, fixed.peerId());
      assertTrue(connectedPeer(node, fixed.peerId()).orElseThrow().fixed());

      String bannedId = banByMalformedFrame(node, shared);
      assertEquals(shared, awaitEvent(bans, e -> bannedId.equals(e.getString("peerId"))).getString("key"));

      // Whatever the ban did to the fixed peer's connection reaches it before this message.
      node.sendToPeer(fixed.peerId(), "still-connected", 1);
      WireMessage next = fixed.readServingGetPeers();
      assertInstanceOf(AppMessage.class, next, "the fixed peer, on the banned IP, got " + next);
      assertTrue(connectedPeer(node, fixed.peerId()).isPresent());
    }
  }

  // ------------------------------------------------------------------------------------------------------ helpers

  /** Connects a raw peer from {@code host}, gets it banned with a malformed frame, returns its id. */
  private static String banByMalformedFrame(PeerMeshNode node, String host) throws IOException {
    try (RawPeer raw = new RawPeer()) {
      raw.connect(node.listenAddress(), host).handshake(TestNodes.NETWORK);
      awaitListed(node, raw.peerId());
      raw.sendRaw(RawPeer.frame(WireMessage.APP_MESSAGE, invalidJsonAppMessageBody()));
      assertEquals(BANNED, raw.expectDisconnect().code());
      return raw.peerId();
    }
  }

  /** As above, for a peer that advertises {@code listenPort} and is booked before it misbehaves. */
  private static String banByMalformedFrame(TestNodes nodes, PeerMeshNode node, String host, int listenPort)
      throws IOException {
    try (RawPeer raw = new RawPeer().listenPort(listenPort)) {
      connectAndAwaitBooked(nodes, node, raw, host);
      raw.sendRaw(RawPeer.frame(WireMessage.APP_MESSAGE, invalidJsonAppMessageBody()));
      assertEquals(BANNED, raw.expectDisconnect().code());
      return raw.peerId();
    }
  }

  /** Connects an inbound raw peer that advertises a listen port, and waits until the node has booked it. */
  private static void connectAndAwaitBooked(TestNodes nodes, PeerMeshNode node, RawPeer raw, String host)
      throws IOException {
    List<JsonObject> discovered = nodes.events(node, PeerEvent.DISCOVERED_PEER);
    raw.connect(node.listenAddress(), host).handshake(TestNodes.NETWORK);
    awaitEvent(discovered, e -> raw.peerId().equals(e.getString("sourcePeerId")));
    awaitListed(node, raw.peerId());
  }

  /** A new connection from {@code host} gets BANNED as the very first frame: no Hello, no handshake. */
  private static void assertRefusedBeforeHandshake(PeerMeshNode node, String host, List<JsonObject> refused)
      throws IOException {
    try (RawPeer raw = new RawPeer()) {
      raw.connect(node.listenAddress(), host);
      WireMessage first = raw.readMessage();
      Disconnect disconnect = assertInstanceOf(Disconnect.class, first, "the node's first frame");
      assertEquals(BANNED, disconnect.code(), disconnect.toString());
      Predicate<JsonObject> aboutRaw = e -> host.equals(e.getString("host"))
          && Integer.valueOf(raw.localPort()).equals(e.getInteger("port"));
      JsonObject event = awaitEvent(refused, aboutRaw);
      assertEquals(BANNED, event.getInteger("code"), event.encode());
    }
  }

  /** A new peer from {@code host} completes the handshake and is listed by the node. */
  private static void assertConnects(PeerMeshNode node, String host) throws IOException {
    try (RawPeer raw = new RawPeer()) {
      raw.connect(node.listenAddress(), host).handshake(TestNodes.NETWORK);
      awaitListed(node, raw.peerId());
      assertEquals(host, connectedPeer(node, raw.peerId()).orElseThrow().host());
    }
  }

  private static Path banFile(NodeOptions options) {
    return options.keyFilePath().toAbsolutePath().resolveSibling("bans.json");
  }

  private static Path peerBookFile(NodeOptions options) {
    return options.keyFilePath().toAbsolutePath().resolveSibling(PeerDiscovery.PEER_BOOK_FILE);
  }

}
