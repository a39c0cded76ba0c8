package org.peermesh.bitcoin.peer;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.bus.BusAddresses;
import org.peermesh.bus.Failure;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.testing.Interop;
import org.peermesh.testing.TestNodes;
import org.peermesh.testing.bitcoin.BcoinNode;
import org.peermesh.testing.bitcoin.Microsocks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.PeerTestSupport.awaitEvent;
import static org.peermesh.testing.TestNodes.DEADLINE;
import static org.peermesh.testing.TestNodes.await;
import static org.peermesh.testing.TestNodes.awaitFailure;

/**
 * PeerMesh against a real Bitcoin node: bcoin 1.0.2 from npm, on regtest on 127.0.0.1 with an in-memory chain, its
 * blocks mined on demand through its RPC. Three PeerMesh nodes watch it: {@code watcher} dials bcoin, bcoin dials
 * {@code listener}, and {@code proxied} dials bcoin through Debian's microsocks, a real SOCKS5 server.
 */
@Interop
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BcoinInteropTest {

  /** bcoin's first ping comes 30 s after the handshake. */
  private static final Duration PING_DEADLINE = Duration.ofSeconds(90);
  private static final String BCOIN_USER_AGENT = "/bcoin:v1.0.2/";

  private Vertx vertx;
  private TestNodes nodes;
  private BcoinNode bcoin;
  private Microsocks socks;
  private String wallet;
  private Watched watcher;
  private Watched listener;
  private Watched proxied;

  /** A PeerMesh node and the Bitcoin events it published, by address, collected from before it started. */
  private final class Watched {
    final NodeOptions options;
    final BusAddresses addresses;
    final Map<String, List<JsonObject>> events = new ConcurrentHashMap<>();
    PeerMeshNode node;

    Watched(BitcoinOptions bitcoin) {
      options = nodes.options().setMesh(null).setProtocol(BitcoinProtocol.NAME, bitcoin.setNetwork(BitcoinNetwork.REGTEST)
          .setReconnectInterval(500));
      addresses = new BusAddresses(options.getBusPrefix());
      for (String name : List.of("stateChange", "message", "error", "block", "tx", "inv", "headers", "ping",
          "getaddr", "addr", "sendcmpct", "version")) {
        events.put(name, nodes.collect(switch (name) {
          case "stateChange" -> addresses.protocol(BitcoinProtocol.NAME).stateChange();
          case "message" -> addresses.protocol(BitcoinProtocol.NAME).raw();
          case "error" -> addresses.protocol(BitcoinProtocol.NAME).error();
          default -> addresses.protocol(BitcoinProtocol.NAME).message(name);
        }));
      }
    }

    Watched start() {
      node = nodes.start(options);
      return this;
    }

    List<JsonObject> events(String name) {
      return events.get(name);
    }

    JsonObject await(String name, Predicate<JsonObject> match) {
      return awaitEvent(events(name), match);
    }

    JsonObject awaitReady(String peer) {
      return await("stateChange", readyState(peer));
    }

    /** How many times {@code peer} has become ready so far. */
    long readyCount(String peer) {
      return events("stateChange").stream().filter(readyState(peer)).count();
    }

    /** The decoded blocks received, by hash. */
    Map<String, JsonObject> blocks() {
      return events("block").stream().map(e -> e.getJsonObject("message"))
          .collect(Collectors.toMap(b -> b.getString("hash"), b -> b, (a, b) -> a));
    }

    Object command(String address, JsonObject body) {
      return TestNodes.await(vertx.eventBus().request(address, body)).body();
    }
  }

  @BeforeAll
  void start(@TempDir Path dir) {
    vertx = Vertx.vertx();
    nodes = new TestNodes(vertx, dir);
    bcoin = BcoinNode.start();
    socks = Microsocks.start();
    wallet = bcoin.newAddress();
    // NODE_NETWORK: bcoin dials only peers that claim it.
    listener = new Watched(new BitcoinOptions().setListen(new PeerAddress("127.0.0.1", 0)).setServices(1)).start();
    // Added before the watcher connects, so that bcoin's answer to the watcher's getaddr names the listener.
    bcoin.rpc("addnode", listener.node.listenAddress(BitcoinProtocol.NAME).toString(), "add");
    watcher = new Watched(new BitcoinOptions().setConnect(List.of(bcoinAddress()))).start();
    proxied = new Watched(new BitcoinOptions().setConnect(List.of(bcoinAddress()))
        .setProxy(new PeerAddress(socks.host(), socks.port()))).start();
  }

  @AfterAll
  void stop() {
    if (nodes != null) {
      nodes.close();
    }
    if (vertx != null) {
      await(vertx.close());
    }
    if (socks != null) {
      socks.close();
    }
    if (bcoin != null) {
      bcoin.close();
    }
  }

  private static Predicate<JsonObject> readyState(String peer) {
    return e -> e.getString("peer").equals(peer) && e.getString("state").equals("ready");
  }

  private PeerAddress bcoinAddress() {
    return new PeerAddress(bcoin.host(), bcoin.p2pPort());
  }

  @Test
  @Order(1)
  void peerMeshDialsBcoinAndBothSeeTheHandshake() {
    JsonObject ready = watcher.awaitReady(bcoinAddress().toString());
    assertEquals("outbound", ready.getString("direction"));
    JsonObject info = watcher.node.peers(BitcoinProtocol.NAME).stream()
        .filter(p -> p.getString("peer").equals(bcoinAddress().toString())).findFirst().orElseThrow();
    assertEquals("ready", info.getString("state"));
    assertEquals(70015, info.getInteger("version"));
    assertEquals(BCOIN_USER_AGENT, info.getString("subversion"));
    assertEquals(9L, info.getLong("services"));
    assertTrue(info.getInteger("bestHeight") >= 0);
    assertTrue(peersOfBcoin().stream().anyMatch(p -> p.getString("subver").equals(new BitcoinOptions().getUserAgent())
        && p.getBoolean("inbound")), () -> peersOfBcoin().toString());
  }

  @Test
  @Order(2)
  void bcoinDialsPeerMesh() {
    JsonObject ready = listener.await("stateChange",
        e -> e.getString("state").equals("ready") && e.getString("direction").equals("inbound"));
    assertEquals("127.0.0.1", ready.getString("host"));
    JsonObject version = listener.await("version", e -> e.getString("peer").equals(ready.getString("peer")));
    assertEquals(BCOIN_USER_AGENT, version.getJsonObject("message").getString("userAgent"));
    assertTrue(peersOfBcoin().stream().anyMatch(p -> !p.getBoolean("inbound")
        && p.getString("addr").equals(listener.node.listenAddress(BitcoinProtocol.NAME).toString())), () -> peersOfBcoin().toString());
  }

  @Test
  @Order(3)
  void getaddrAndAddrBothWays() {
    String bcoinPeer = bcoinAddress().toString();
    // bcoin asks every peer for addresses after the handshake; PeerMesh answers (and bcoin keeps the connection).
    watcher.await("getaddr", e -> e.getString("peer").equals(bcoinPeer));
    // PeerMesh asks the peers it dialed, as Bitcoin Core does; bcoin names the listener, which it was told to add.
    JsonObject addr = watcher.await("addr", e -> e.getString("peer").equals(bcoinPeer));
    PeerAddress listenerAddress = listener.node.listenAddress(BitcoinProtocol.NAME);
    assertTrue(addr.getJsonObject("message").getJsonArray("addresses").stream().map(JsonObject.class::cast)
            .anyMatch(a -> a.getString("host").equals(listenerAddress.host()) && a.getInteger("port") == listenerAddress.port()),
        addr::encode);
    assertTrue(watcher.node.peers(BitcoinProtocol.NAME).stream().anyMatch(p -> p.getString("peer").equals(bcoinPeer)
        && p.getString("state").equals("ready")));
  }

  @Test
  @Order(4)
  void minedBlocksArriveAnnouncedFetchedAndDecoded() {
    List<String> mined = bcoin.generateToAddress(3, wallet);
    for (Watched watched : List.of(watcher, listener, proxied)) {
      Awaitility.await().atMost(DEADLINE).until(() -> watched.blocks().keySet().containsAll(mined));
      Set<String> announced = watched.events("inv").stream()
          .flatMap(e -> e.getJsonObject("message").getJsonArray("items").stream().map(JsonObject.class::cast))
          .filter(item -> item.getValue("type").equals("MSG_BLOCK")).map(item -> item.getString("hash"))
          .collect(Collectors.toSet());
      assertTrue(announced.containsAll(mined), "announced " + announced + ", mined " + mined);
      for (String hash : mined) {
        // Keyed by the hash PeerMesh computed from the 80 header bytes it decoded, nonce included.
        JsonObject block = watched.blocks().get(hash);
        JsonObject header = bcoin.blockHeader(hash);
        assertEquals(header.getString("previousblockhash"), block.getString("prevBlock"));
        assertEquals(header.getString("merkleroot"), block.getString("merkleRoot"));
        assertEquals(header.getLong("time"), block.getLong("time"));
        assertEquals(header.getLong("bits"), block.getLong("bits"));
        assertEquals(header.getInteger("version"), block.getInteger("version"));
        JsonArray transactions = block.getJsonArray("transactions");
        assertEquals(1, transactions.size(), "a freshly mined regtest block holds its coinbase only");
        assertEquals(header.getString("merkleroot"), transactions.getJsonObject(0).getString("txid"));
      }
    }
  }

  @Test
  @Order(5)
  void aTransactionRelayedByBcoinIsFetchedAndDecoded() {
    // A coinbase spends after 100 confirmations.
    List<String> mined = bcoin.generateToAddress(101, wallet);
    Awaitility.await().atMost(DEADLINE).until(() -> watcher.blocks().keySet().containsAll(mined));
    String txid = bcoin.sendToAddress(bcoin.newAddress(), 1.5);
    for (Watched watched : List.of(watcher, proxied)) {
      JsonObject tx = watched.await("tx", e -> e.getJsonObject("message").getString("txid").equals(txid))
          .getJsonObject("message");
      assertTrue(tx.getJsonArray("outputs").stream().map(JsonObject.class::cast)
          .anyMatch(out -> out.getLong("value") == 150_000_000L), tx::encode);
      assertTrue(tx.getJsonArray("inputs").size() >= 1);
    }
  }

  @Test
  @Order(6)
  void throughMicrosocksAndWithHeadersAnnouncementsAfterSendheaders() {
    String bcoinPeer = bcoinAddress().toString();
    JsonObject info = proxied.node.peers(BitcoinProtocol.NAME).stream().filter(p -> p.getString("peer").equals(bcoinPeer))
        .findFirst().orElseThrow();
    assertEquals(new PeerAddress(socks.host(), socks.port()).toJson(), info.getJsonObject("proxy"));
    // BIP 130 through the send command: bcoin then announces blocks to this peer with headers instead of inv.
    proxied.command(proxied.addresses.protocol(BitcoinProtocol.NAME).command("send"), new JsonObject().put("peer", bcoinPeer)
        .put("command", "sendheaders"));
    String hash = bcoin.generateToAddress(1, wallet).get(0);
    JsonObject headers = proxied.await("headers", e -> e.getJsonObject("message").getJsonArray("headers").stream()
        .map(JsonObject.class::cast).anyMatch(h -> h.getString("hash").equals(hash)));
    assertEquals(bcoinPeer, headers.getString("peer"));
    Awaitility.await().atMost(DEADLINE).until(() -> proxied.blocks().containsKey(hash));
  }

  @Test
  @Order(7)
  void aDeadProxyFailsTheConnectCommandWithTheReason() {
    PeerAddress dead = new PeerAddress("127.0.0.1", TestNodes.reservedPort());
    // "localhost" names another peer than the connected 127.0.0.1 one, which the command would just return.
    Throwable failure = awaitFailure(vertx.eventBus().request(watcher.addresses.protocol(BitcoinProtocol.NAME).command("connect"), new JsonObject()
        .put("host", "localhost").put("port", bcoin.p2pPort()).put("proxy", dead.toJson())));
    ReplyException reply = assertInstanceOf(ReplyException.class, failure);
    assertEquals(Failure.PEER_DISCONNECTED.code(), reply.failureCode());
    assertTrue(reply.getMessage().contains("through proxy " + dead), reply.getMessage());
  }

  @Test
  @Order(8)
  void peerMeshAnswersBcoinsPings() {
    String bcoinPeer = bcoinAddress().toString();
    awaitEvent(watcher.events("ping"), e -> e.getString("peer").equals(bcoinPeer), PING_DEADLINE);
    // bcoin records the round trip once our pong arrives.
    Awaitility.await().atMost(DEADLINE).until(() -> peersOfBcoin().stream()
        .filter(p -> p.getString("subver").equals(new BitcoinOptions().getUserAgent()) && p.getBoolean("inbound"))
        .anyMatch(p -> p.getValue("pingtime") instanceof Number time && time.doubleValue() >= 0));
  }

  @Test
  @Order(9)
  void disconnectCommandEndsThePeerAndTheWatcherRedials() {
    String bcoinPeer = bcoinAddress().toString();
    long readyBefore = watcher.readyCount(bcoinPeer);
    watcher.command(watcher.addresses.protocol(BitcoinProtocol.NAME).command("disconnect"), new JsonObject().put("peer", bcoinPeer));
    watcher.await("stateChange", e -> e.getString("peer").equals(bcoinPeer)
        && e.getString("state").equals("disconnected") && "disconnect command".equals(e.getString("reason")));
    Awaitility.await().atMost(DEADLINE).until(() -> watcher.readyCount(bcoinPeer) > readyBefore);
    Throwable unknown = awaitFailure(vertx.eventBus().request(watcher.addresses.protocol(BitcoinProtocol.NAME).command("send"),
        new JsonObject().put("peer", "127.0.0.1:1").put("command", "ping")));
    assertEquals(Failure.UNKNOWN_PEER.code(), ((ReplyException) unknown).failureCode());
  }

  private List<JsonObject> peersOfBcoin() {
    return bcoin.peerInfo().stream().map(JsonObject.class::cast).toList();
  }
}
