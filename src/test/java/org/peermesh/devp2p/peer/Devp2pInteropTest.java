package org.peermesh.devp2p.peer;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.eth.EthOptions;
import org.peermesh.devp2p.eth.ForkId;
import org.peermesh.net.PeerAddress;
import org.peermesh.testing.TestNodes;
import org.peermesh.testing.ethereumjs.EthereumjsPeer;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.JsonEvents.named;
import static org.peermesh.testing.TestNodes.await;
import static org.peermesh.testing.ethereumjs.EthereumjsPeer.message;

/**
 * PeerMesh's devp2p node against a real @ethereumjs/devp2p 10.0.0 node over loopback, both dialing and dialed: the
 * Hellos, the seed's MyProtocol, capability offsets with MyProtocol/1, eth/68 and test/1 on both sides, eth/68's Status
 * kept past ethereumjs' 5 s Status timeout, payloads near 1 MiB through snappy, and Ping/Pong both ways.
 */
class Devp2pInteropTest {

  static final String FOO = "666f6f";
  static final String BAR = "626172";
  static final String MAINNET_GENESIS = "d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3";
  /** EIP-2124's fork id of mainnet at Prague, ethereumjs' default hardfork, with no next fork known. */
  static final ForkId PRAGUE = new ForkId(HexFormat.of().parseHex("c376cf8b"), 0);
  /** ethereumjs' offsets: sorted by name byte-wise, capitals first, after the 16 base codes. */
  static final JsonArray SHARED = new JsonArray()
      .add(shared("MyProtocol", 1, 0x10, 1)).add(shared("eth", 68, 0x11, 17)).add(shared("test", 1, 0x22, 2));
  private static final HexFormat HEX = HexFormat.of();

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  /**
   * The seed's MyProtocol: answers ["foo"] with ["bar"], and when we dialed, says ["foo"] first; every word received
   * goes to {@code words}.
   */
  static Devp2pProtocol myProtocol(List<String> words) {
    return Devp2pProtocol.of("MyProtocol", 1, 1, (peer, rw) -> {
      rw.handler(msg -> {
        String word = msg.decodeList().string(0, "word").asString("word");
        words.add(word);
        if (word.equals("foo")) {
          rw.sendItems(0, "bar");
        }
      });
      if (!peer.inbound()) {
        rw.sendItems(0, "foo");
      }
    });
  }

  /**
   * Options of a node with ethereumjs' three capabilities: MyProtocol/1 (the Java protocols given), eth/68 on
   * ethereumjs' chain (mainnet at Prague, so that its Status check passes) and test/1 served over the bus.
   */
  static Devp2pOptions options(String name, int maxPeers) {
    return new Devp2pOptions().setName(name).setListen(new PeerAddress("127.0.0.1", 0)).setMaxPeers(maxPeers)
        .setEth(new EthOptions().setNetworkId(1).setGenesisHash(MAINNET_GENESIS).setForkId(PRAGUE))
        .setCapabilities(List.of(new Devp2pOptions.BusCapability("test", 1, 2)));
  }

  private Devp2pServer start(Devp2pOptions options, Path dataDir, Devp2pProtocol... protocols) {
    return await(Devp2pServer.create(vertx, options, dataDir, protocols).start());
  }

  static JsonObject shared(String name, int version, int offset, int length) {
    return new JsonObject().put("name", name).put("version", version).put("offset", offset).put("length", length);
  }

  /** Our peer entry for the node {@code id}, once it is connected. */
  static JsonObject connectedPeer(Devp2pServer server, String id) {
    return await().atMost(TestNodes.DEADLINE).until(() -> server.peers().stream()
        .filter(peer -> id.equals(peer.getString("id")) && "connected".equals(peer.getString("state")))
        .findFirst().orElse(null), peer -> peer != null);
  }

  @Test
  void ethereumjsDialsUsExchangesHellosAndGetsBarForFoo(@TempDir Path dataDir) {
    List<String> words = new CopyOnWriteArrayList<>();
    Devp2pServer node = start(options("peermesh-interop-listener", 10), dataDir, myProtocol(words));
    try (EthereumjsPeer ethereumjs = EthereumjsPeer.start(EthereumjsPeer.Options.defaults("ethereumjs-dialer"))) {
      ethereumjs.connect(node.id().hex(), EthereumjsPeer.HOST, node.listenAddress().port());

      JsonObject added = ethereumjs.awaitEvent(named("peer_added"), TestNodes.DEADLINE);
      assertEquals(node.id().hex(), added.getString("id"));
      assertEquals("dialed", added.getString("direction"));
      JsonObject hello = added.getJsonObject("hello");
      assertEquals(5, hello.getInteger("protocolVersion"));
      assertTrue(hello.getString("clientId").contains("peermesh-interop-listener"), hello.encode());
      assertEquals(node.id().hex(), hello.getString("id"));
      assertEquals(new JsonArray().add(capability("MyProtocol", 1)).add(capability("eth", 68))
          .add(capability("test", 1)), hello.getJsonArray("capabilities"));
      assertEquals(SHARED, added.getJsonArray("shared"));

      ethereumjs.send(node.id().hex(), "MyProtocol/1", 0, new JsonArray().add(FOO));
      JsonObject bar = ethereumjs.awaitEvent(message("MyProtocol/1", 0), TestNodes.DEADLINE);
      assertEquals(new JsonArray().add(BAR), bar.getJsonArray("payload"));
      assertEquals(List.of("foo"), words);

      JsonObject peer = connectedPeer(node, ethereumjs.id());
      assertEquals("ethereumjs-dialer", peer.getString("clientId"));
      assertEquals(new JsonArray().add("MyProtocol/1").add("eth/68").add("test/1"), peer.getJsonArray("capabilities"));
      assertEquals("inbound", peer.getString("direction"));
      // ethereumjs' Hello names no listening port (it sends an empty one), so we know only the port it came from.
      assertEquals("enode://" + ethereumjs.id() + "@127.0.0.1:" + peer.getInteger("port"), peer.getString("enode"));
    }
  }

  @Test
  void weDialEthereumjsExchangeHellosAndGetBarForFoo(@TempDir Path dataDir) {
    List<String> words = new CopyOnWriteArrayList<>();
    Devp2pServer node = start(options("peermesh-interop-dialer", 10), dataDir, myProtocol(words));
    try (EthereumjsPeer ethereumjs = EthereumjsPeer.start(EthereumjsPeer.Options.defaults("ethereumjs-listener"))) {
      String enode = "enode://" + ethereumjs.id() + "@127.0.0.1:" + ethereumjs.port();
      JsonObject peer = await(node.connect(enode));
      assertEquals(ethereumjs.id(), peer.getString("id"));
      assertEquals("ethereumjs-listener", peer.getString("clientId"));
      assertEquals(new JsonArray().add("MyProtocol/1").add("eth/68").add("test/1"), peer.getJsonArray("capabilities"));
      assertEquals(enode, peer.getString("enode"));

      // Our Run said ["foo"] on start; ethereumjs' MyProtocol answered.
      await().atMost(TestNodes.DEADLINE).until(() -> !words.isEmpty());
      assertEquals(List.of("bar"), words);
      JsonObject foo = ethereumjs.awaitEvent(message("MyProtocol/1", 0), TestNodes.DEADLINE);
      assertEquals(new JsonArray().add(FOO), foo.getJsonArray("payload"));
      assertEquals(node.id().hex(), foo.getString("peer"));

      JsonObject added = ethereumjs.awaitEvent(named("peer_added"), TestNodes.DEADLINE);
      assertEquals("accepted", added.getString("direction"));
      assertTrue(added.getJsonObject("hello").getString("clientId").contains("peermesh-interop-dialer"),
          added.encode());
      assertEquals(SHARED, added.getJsonArray("shared"));
      assertEquals(peer.getString("peer"), connectedPeer(node, ethereumjs.id()).getString("peer"));
    }
  }

  private static JsonObject capability(String name, int version) {
    return new JsonObject().put("name", name).put("version", version);
  }
}
