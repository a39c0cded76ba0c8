package org.peermesh.devp2p.peer;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.eth.EthOptions;
import org.peermesh.devp2p.eth.ForkId;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpObjects;
import org.peermesh.net.PeerAddress;
import org.peermesh.testing.Interop;
import org.peermesh.testing.TestNodes;
import org.peermesh.testing.ethereumjs.EthereumjsPeer;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.ethereumjs.EthereumjsPeer.about;
import static org.peermesh.testing.JsonEvents.named;
import static org.peermesh.testing.TestNodes.await;
import static org.peermesh.testing.ethereumjs.EthereumjsPeer.message;

/**
 * PeerMesh's devp2p node against a real @ethereumjs/devp2p 10.0.0 node over loopback, both dialing and dialed: the
 * Hellos, the seed's MyProtocol, capability offsets with MyProtocol/1, eth/68 and test/1 on both sides, eth/68's Status
 * kept past ethereumjs' 5 s Status timeout, payloads near 1 MiB through snappy, and Ping/Pong both ways.
 */
@Interop
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

  /** The bus messages on {@code address}, collected from now on. */
  List<JsonObject> collect(String address) {
    List<JsonObject> bodies = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().<JsonObject>consumer(address, message -> bodies.add(message.body())).completion());
    return bodies;
  }

  static JsonObject awaitFirst(List<JsonObject> bodies) {
    return await().atMost(TestNodes.DEADLINE).until(() -> bodies.isEmpty() ? null : bodies.get(0), b -> b != null);
  }

  /** Our {@code send} command: a message of {@code capability} (a bus capability) to {@code peer} (host:port). */
  JsonObject send(String peer, String capability, int code, JsonObject payload) {
    return await(vertx.eventBus().<JsonObject>request("peermesh.devp2p.command.send",
        payload.copy().put("peer", peer).put("capability", capability).put("code", code))).body();
  }

  /** Completes after {@code delay}: a wait on the event loop's timer, not on the test thread. */
  Future<Void> after(Duration delay) {
    Promise<Void> elapsed = Promise.promise();
    vertx.setTimer(delay.toMillis(), id -> elapsed.complete());
    return elapsed.future();
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
      // Our Hello offers eth/63 and eth/64 for ESC beside eth/68; ethereumjs shares eth/68 only.
      assertEquals(new JsonArray().add(capability("MyProtocol", 1)).add(capability("eth", 63))
          .add(capability("eth", 64)).add(capability("eth", 68)).add(capability("test", 1)),
          hello.getJsonArray("capabilities"));
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

  @Test
  void everyCapabilityAtItsOffsetBothWaysAndTheEthStatusKeepsThePeerPastEthereumjsTimeout(@TempDir Path dataDir) {
    List<String> words = new CopyOnWriteArrayList<>();
    List<JsonObject> statuses = collect("peermesh.devp2p.eth.0");
    List<JsonObject> tests = collect("peermesh.devp2p.test.1");
    List<JsonObject> changes = collect("peermesh.devp2p.stateChange");
    Devp2pServer node = start(options("peermesh-offsets", 10), dataDir, myProtocol(words));
    try (EthereumjsPeer ethereumjs = EthereumjsPeer.start(EthereumjsPeer.Options.defaults("ethereumjs-offsets"))) {
      ethereumjs.connect(node.id().hex(), EthereumjsPeer.HOST, node.listenAddress().port());
      ethereumjs.awaitEvent(named("peer_added"), TestNodes.DEADLINE);
      String peer = connectedPeer(node, ethereumjs.id()).getString("peer");

      // eth/68: ethereumjs checked our Status (and echoed it, as it answers with the peer's td and head) ...
      JsonObject ours = ethereumjs.awaitEvent(named("status"), TestNodes.DEADLINE);
      assertEquals(node.id().hex(), ours.getString("peer"));
      assertEquals("01", ours.getString("networkId"));
      assertEquals("", ours.getString("td"), "a node without a chain says td 0");
      assertEquals(MAINNET_GENESIS, ours.getString("bestHash"));
      assertEquals(MAINNET_GENESIS, ours.getString("genesisHash"));
      assertEquals(new JsonArray().add("c376cf8b").add(""), ours.getJsonArray("forkId"));
      // ... and we checked theirs, which is published as eth code 0 relative to eth's offset 0x11.
      JsonObject theirs = awaitFirst(statuses);
      assertEquals(peer, theirs.getString("peer"));
      assertEquals("eth", theirs.getString("capability"));
      assertEquals(68, theirs.getInteger("version"));
      assertEquals(0, theirs.getInteger("code"));
      JsonArray fields = theirs.getJsonArray("items");
      assertEquals("0x44", fields.getString(0));
      assertEquals("0x01", fields.getString(1));
      assertEquals("0x" + MAINNET_GENESIS, fields.getString(3));
      assertEquals("0x" + MAINNET_GENESIS, fields.getString(4));

      // ethereumjs -> us: test/1's second code (wire 0x23) and MyProtocol's only one (wire 0x10).
      ethereumjs.send(node.id().hex(), "test/1", 1, new JsonArray().add("01").add(new JsonArray()));
      JsonObject test = awaitFirst(tests);
      assertEquals("test", test.getString("capability"));
      assertEquals(1, test.getInteger("code"));
      assertEquals(new JsonArray().add("0x01").add(new JsonArray()), test.getJsonArray("items"));
      ethereumjs.send(node.id().hex(), "MyProtocol/1", 0, new JsonArray().add(FOO));
      JsonObject bar = ethereumjs.awaitEvent(message("MyProtocol/1", 0), TestNodes.DEADLINE);
      assertEquals(new JsonArray().add(BAR), bar.getJsonArray("payload"));
      assertEquals(List.of("foo"), words);

      // us -> ethereumjs: both codes of test/1 arrive under test/1 with their relative codes.
      send(peer, "test", 0, new JsonObject().put("items", new JsonArray().add("0x0a")));
      send(peer, "test", 1, new JsonObject().put("rlp", "0xc20b0c"));
      JsonObject zero = ethereumjs.awaitEvent(message("test/1", 0), TestNodes.DEADLINE);
      assertEquals(new JsonArray().add("0a"), zero.getJsonArray("payload"));
      JsonObject one = ethereumjs.awaitEvent(message("test/1", 1), TestNodes.DEADLINE);
      assertEquals(new JsonArray().add("0b").add("0c"), one.getJsonArray("payload"));
      // MyProtocol received only our bar, and eth only our Status: nothing of test/1 went astray.
      assertEquals(1, ethereumjs.events().matching(message("MyProtocol/1", 0)).size());
      assertEquals(1, ethereumjs.events().matching(named("message")
          .and(event -> "eth/68".equals(event.getString("capability")))).size());

      // Past ethereumjs' 5 s Status timer (and ours): a Ping round trip after it shows both sides still connected.
      await(after(Duration.ofSeconds(6)));
      int before = ethereumjs.events().size();
      ethereumjs.ping(node.id().hex());
      ethereumjs.events().awaitAfter(before, named("pong").and(about(node.id().hex())), TestNodes.DEADLINE);
      assertTrue(ethereumjs.events().matching(named("peer_removed")).isEmpty(), "ethereumjs dropped us");
      assertTrue(ethereumjs.events().matching(named("error")).isEmpty(), "ethereumjs errors");
      assertEquals("connected", connectedPeer(node, ethereumjs.id()).getString("state"));
      assertTrue(changes.stream().noneMatch(change -> "closed".equals(change.getString("state"))), changes.toString());
    }
  }

  @Test
  void payloadsNearOneMebibyteGoThroughSnappyBothWays(@TempDir Path dataDir) {
    List<JsonObject> received = collect("peermesh.devp2p.test.0");
    Devp2pServer node = start(options("peermesh-large", 10), dataDir);
    // Their events carry size and hash of a large payload instead of 4 MB of JSON.
    try (EthereumjsPeer ethereumjs = EthereumjsPeer.start(EthereumjsPeer.Options.defaults("ethereumjs-large")
        .withArguments(List.of("--digest-over", "4096")))) {
      String peer = await(node.connect("enode://" + ethereumjs.id() + "@127.0.0.1:" + ethereumjs.port()))
          .getString("peer");

      byte[] theirBlob = blob(1, 999_990);
      byte[] theirRlp = Rlp.encode(RlpObjects.list((Object) theirBlob));
      ethereumjs.send(node.id().hex(), "test/1", 0, new JsonArray().add(HEX.formatHex(theirBlob)));
      JsonObject got = awaitFirst(received);
      byte[] gotRlp = HEX.parseHex(got.getString("rlp").substring(2));
      assertEquals(999_998, gotRlp.length);
      assertEquals(sha256(theirRlp), sha256(gotRlp));
      JsonObject sent = ethereumjs.awaitEvent(named("sent")
          .and(event -> "test/1".equals(event.getString("capability"))), TestNodes.DEADLINE);
      assertEquals(sha256(theirRlp), sent.getString("sha256"), "ethereumjs encoded the blob as we did");

      byte[] ourRlp = Rlp.encode(RlpObjects.list((Object) blob(2, 1_000_000)));
      send(peer, "test", 1, new JsonObject().put("rlp", "0x" + HEX.formatHex(ourRlp)));
      JsonObject theirs = ethereumjs.awaitEvent(message("test/1", 1), TestNodes.DEADLINE);
      assertEquals(ourRlp.length, theirs.getInteger("size"));
      assertEquals(sha256(ourRlp), theirs.getString("sha256"));
      assertTrue(ethereumjs.events().matching(named("error")).isEmpty(), "ethereumjs errors");
    }
  }

  /**
   * {@code size} bytes that snappy has work on: random runs (which it copies as literals) between runs of one byte
   * (which it turns into copies), so a wrong offset or length in either shows.
   */
  private static byte[] blob(long seed, int size) {
    Random random = new Random(seed);
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i += 128) {
      byte[] run = new byte[Math.min(64, size - i)];
      random.nextBytes(run);
      System.arraycopy(run, 0, bytes, i, run.length);
      Arrays.fill(bytes, Math.min(i + 64, size), Math.min(i + 128, size), (byte) random.nextInt());
    }
    return bytes;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void pingsAreAnsweredBothWays(@TempDir Path dataDir) {
    // Our pings every 200 ms rather than geth's 15 s, so that one is answered within the test.
    Devp2pServer node = start(options("peermesh-ping", 10).setPingInterval(200), dataDir);
    try (EthereumjsPeer ethereumjs = EthereumjsPeer.start(EthereumjsPeer.Options.defaults("ethereumjs-ping"))) {
      await(node.connect("enode://" + ethereumjs.id() + "@127.0.0.1:" + ethereumjs.port()));

      ethereumjs.ping(node.id().hex());
      ethereumjs.awaitEvent(named("pong").and(about(node.id().hex())), TestNodes.DEADLINE);

      ethereumjs.awaitEvent(named("ping").and(about(node.id().hex())), TestNodes.DEADLINE);
      JsonObject answered = await().atMost(TestNodes.DEADLINE).until(() -> connectedPeer(node, ethereumjs.id()),
          peer -> peer.containsKey("latencyMicros"));
      assertTrue(answered.getLong("latencyMicros") >= 0, answered.encode());
      assertTrue(ethereumjs.events().matching(named("peer_removed")).isEmpty(), "ethereumjs dropped us");
    }
  }
}
