package org.peermesh.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peermesh.bitcoin.peer.BitcoinOptions;
import org.peermesh.bitcoin.peer.BitcoinProtocol;
import org.peermesh.bus.BridgeOptions;
import org.peermesh.cluster.ClusterOptions;
import org.peermesh.config.ConfigBinder;
import org.peermesh.config.ConfigException;
import org.peermesh.http.HttpOptions;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.echo.EchoOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.ConfigAssertions.assertContains;
import static org.peermesh.testing.ConfigAssertions.refusal;

class NodeOptionsTest {

  private static final Path EXAMPLE = Path.of("conf", "node.json");

  /** The node's own keys and sections; conf/node.json must show all of them. */
  private static final Set<String> NODE_KEYS = Set.of("dataDir", "keyFile", "busPrefix", "memoryBudgetPercent", "bridge",
      "http", "cluster", "mesh");
  /** The keys of every protocol's section. */
  private static final Set<String> POOL_KEYS = Set.of("listen", "connect", "proxy", "blacklistedIPs", "maxInbound",
      "maxPendingHandshakesPerIP", "maxPendingHandshakes", "maxMessageSize", "maxWriteQueueSize", "maxMessageRate",
      "connectTimeout", "handshakeTimeout", "pingInterval", "peerTimeout", "ackTimeout", "reconnectInterval",
      "peerBanTime", "exemptLocalAddresses");
  /** The bridge section's keys. */
  private static final Set<String> BRIDGE_KEYS = Set.of("host", "port", "maxFrameSize", "frameTimeout",
      "maxConnections", "maxWriteQueueSize", "writeTimeout", "maxRegistrations", "maxPendingRequests");
  /** The mesh section's own keys, beside the pool's. */
  private static final Set<String> MESH_KEYS = Set.of("networkId", "protocolVersion", "seedPeers", "whitelistedPeers",
      "maxOutbound", "nodeInfo", "maxPeerInfoSize", "sendPeerLimit", "wsMaxMessageRate",
      "wsMaxMessageRatePenalty", "rateCalculationInterval", "populatorInterval", "fallbackSeedPeerDiscoveryInterval",
      "outboundShuffleInterval");

  /** A node configuration with this {@code mesh} section. */
  private static JsonObject mesh(JsonObject section) {
    return new JsonObject().put("mesh", section);
  }

  private static JsonObject mesh(String key, Object value) {
    return mesh(new JsonObject().put(key, value));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Defaults, example file, round trip

  @Test
  void defaults() {
    NodeOptions o = new NodeOptions();
    assertEquals("data", o.getDataDir());
    assertNull(o.getKeyFile());
    assertEquals(Path.of("data", "node.key"), o.keyFilePath());
    assertEquals("peermesh", o.getBusPrefix());
    assertNull(o.getBridge());
    assertEquals(new ClusterOptions(), o.getCluster());
    assertEquals(Set.of(), o.getProtocols().keySet());
    MeshOptions m = o.getMesh();
    assertEquals(new PeerAddress("0.0.0.0", 5000), m.getListen());
    assertEquals("peermesh-devnet", m.getNetworkId());
    assertEquals("1.0", m.getProtocolVersion());
    assertEquals(List.of(), m.getSeedPeers());
    assertEquals(List.of(), m.getConnect());
    assertEquals(List.of(), m.getWhitelistedPeers());
    assertEquals(List.of(), m.getBlacklistedIPs());
    assertNull(m.getProxy());
    assertEquals(20, m.getMaxOutbound());
    assertEquals(100, m.getMaxInbound());
    assertEquals(16, m.getMaxPendingHandshakesPerIP());
    assertEquals(64, m.getMaxPendingHandshakes());
    assertEquals(new JsonObject(), m.getNodeInfo());
    assertEquals(20480, m.getMaxPeerInfoSize());
    assertEquals(16, m.getSendPeerLimit());
    assertEquals(5000, m.getConnectTimeout());
    assertEquals(5000, m.getHandshakeTimeout());
    assertEquals(10000, m.getAckTimeout());
    assertEquals(10000, m.getPingInterval());
    assertEquals(25000, m.getPeerTimeout());
    assertEquals(1000, m.getReconnectInterval());
    assertEquals(3145728, m.getMaxMessageSize());
    assertEquals(8388608, m.getMaxWriteQueueSize());
    assertEquals(86_400_000, m.getPeerBanTime());
    assertEquals(100, m.getWsMaxMessageRate());
    assertEquals(10, m.getWsMaxMessageRatePenalty());
    assertEquals(1000, m.getRateCalculationInterval());
    assertEquals(10_000, m.getPopulatorInterval());
    assertEquals(30_000, m.getFallbackSeedPeerDiscoveryInterval());
    assertEquals(300_000, m.getOutboundShuffleInterval());
    assertTrue(m.isExemptLocalAddresses());
    assertSame(o, o.validate());
    assertEquals(o, new NodeOptions(new JsonObject()));
    assertFalse(o.toJson().containsKey("keyFile"));
    assertFalse(o.toJson().containsKey("bridge"));
  }

  @Test
  void exampleFileLoadsWithEveryKeyAndRoundTrips() throws Exception {
    JsonObject raw = new NodeOptions(new JsonObject()).toJson().mergeIn(
        ConfigBinder.parse(Files.readString(EXAMPLE)), true);
    JsonObject file = ConfigBinder.parse(Files.readString(EXAMPLE));
    assertEquals(new TreeSet<>(NODE_KEYS), new TreeSet<>(file.fieldNames()));
    Set<String> meshKeys = new TreeSet<>(POOL_KEYS);
    meshKeys.addAll(MESH_KEYS);
    assertEquals(meshKeys, new TreeSet<>(file.getJsonObject("mesh").fieldNames()));
    assertEquals(new TreeSet<>(BRIDGE_KEYS), new TreeSet<>(file.getJsonObject("bridge").fieldNames()));
    assertEquals(new TreeSet<>(ConfigBinder.keys(HttpOptions.class)),
        new TreeSet<>(file.getJsonObject("http").fieldNames()));

    NodeOptions o = NodeOptions.fromFile(EXAMPLE);
    assertEquals(new PeerAddress("127.0.0.1", 5000), o.getMesh().getListen());
    assertEquals("data/node", o.getDataDir());
    assertEquals(new PeerAddress("127.0.0.1", 7000), o.getBridge().listenAddress());
    assertEquals(file.getJsonObject("bridge"), o.toJson().getJsonObject("bridge"));
    assertEquals(new JsonObject().put("name", "peermesh-example").put("version", "0.1.0"), o.getMesh().getNodeInfo());
    assertEquals(Path.of(o.getKeyFile()), o.keyFilePath());

    // toJson leaves out what is null, as the file's "proxy" is
    JsonObject fileMesh = file.getJsonObject("mesh").copy();
    assertNull(fileMesh.remove("proxy"));
    assertEquals(fileMesh, o.toJson().getJsonObject("mesh"));
    assertEquals(raw.getJsonObject("cluster"), o.toJson().getJsonObject("cluster"));
    assertEquals(o, new NodeOptions(o.toJson()));
    assertEquals(o.hashCode(), new NodeOptions(o.toJson()).hashCode());
    assertEquals(o, new NodeOptions(new JsonObject(o.toJson().encode())));
    assertEquals(o, new NodeOptions(o));
  }

  @Test
  void everySetterRoundTrips() {
    NodeOptions o = new NodeOptions()
        .setDataDir("/var/lib/peermesh")
        .setKeyFile("/etc/peermesh/key")
        .setBusPrefix("app.mesh-1")
        .setBridge(new BridgeOptions().setHost("::1").setPort(0).setMaxFrameSize(1024).setFrameTimeout(1)
            .setMaxConnections(1).setMaxWriteQueueSize(1024).setWriteTimeout(1))
        .setMesh(new MeshOptions()
            .setListen(new PeerAddress("::", 0))
            .setNetworkId("net-ü")
            .setProtocolVersion("12.34")
            .setSeedPeers(List.of(new PeerAddress("seed.example", 5001), new PeerAddress("10.0.0.2", 5002)))
            .setConnect(List.of(new PeerAddress("10.0.0.3", 5003)))
            .setWhitelistedPeers(List.of(new PeerAddress("::1", 5004)))
            .setBlacklistedIPs(List.of("192.0.2.7", "2001:db8::1"))
            .setProxy(new PeerAddress("127.0.0.1", 9050))
            .setMaxOutbound(0)
            .setMaxInbound(0)
            .setMaxPendingHandshakesPerIP(1)
            .setMaxPendingHandshakes(1)
            .setNodeInfo(new JsonObject().put("height", 12).put("tags", new JsonArray().add("a")))
            .setMaxPeerInfoSize(1024)
            .setSendPeerLimit(1000)
            .setConnectTimeout(1)
            .setHandshakeTimeout(1)
            .setAckTimeout(1)
            .setPingInterval(100)
            .setPeerTimeout(101)
            .setReconnectInterval(7)
            // Durations are not capped by int milliseconds.
            .setPeerBanTime(10L * Integer.MAX_VALUE)
            .setMaxMessageSize(2048)
            .setMaxWriteQueueSize(2048))
        .validate();
    NodeOptions back = new NodeOptions(o.toJson());
    assertEquals(o, back);
    assertEquals(o.hashCode(), back.hashCode());
    assertEquals(o.toJson(), back.toJson());
    assertEquals(10L * Integer.MAX_VALUE, back.getMesh().getPeerBanTime());
    assertEquals(Path.of("/etc/peermesh/key"), back.keyFilePath());
    NodeOptions changed = new NodeOptions(o);
    changed.getMesh().setListen(new PeerAddress("::", 1));
    assertNotEquals(o, changed);

    NodeOptions off = new NodeOptions(o).setKeyFile(null).setBridge(null);
    assertFalse(off.toJson().containsKey("keyFile"));
    assertFalse(off.toJson().containsKey("bridge"));
    assertEquals(Path.of("/var/lib/peermesh", "node.key"), off.keyFilePath());
    assertEquals(off, new NodeOptions(off.toJson()));
  }

  @Test
  void optionalKeysAcceptJsonNullAsAbsent() {
    NodeOptions o = new NodeOptions(new JsonObject().putNull("keyFile").putNull("bridge"));
    assertNull(o.getKeyFile());
    assertNull(o.getBridge());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Sections

  @Test
  void meshFalseRunsAnotherProtocolAlone() {
    NodeOptions o = new NodeOptions(new JsonObject().put("mesh", false)
        .put("bitcoin", new JsonObject().put("network", "regtest")));
    assertNull(o.getMesh());
    BitcoinOptions bitcoin = assertInstanceOf(BitcoinOptions.class, o.getProtocol(BitcoinProtocol.NAME));
    assertEquals("regtest", bitcoin.getNetwork().name());
    assertFalse(o.toJson().getBoolean("mesh"));
    assertEquals(o, new NodeOptions(o.toJson()));

    assertContains(refusal(new JsonObject().put("mesh", false)),
        "config key 'mesh': expected a section, or another protocol's section for the node to run instead, got false");
    assertContains(refusal(new JsonObject().put("mesh", 1)),
        "config key 'mesh': expected an object (or false to leave the section out), got 1");
    assertContains(refusal(new JsonObject().put("bitcoin", "yes")), "config key 'bitcoin': expected an object");
    // true is a section of defaults
    assertEquals(new NodeOptions(), new NodeOptions(new JsonObject().put("mesh", true)));
    assertEquals(new BitcoinOptions(),
        new NodeOptions(new JsonObject().put("bitcoin", true)).getProtocol(BitcoinProtocol.NAME));
  }

  @Test
  void aProtocolSectionIsItsProvidersOptionsWithThePoolKeys() {
    NodeOptions o = new NodeOptions(new JsonObject().put("mesh", false).put("echo", new JsonObject()
        .put("id", "alice").put("listen", new PeerAddress("127.0.0.1", 0).toJson()).put("maxInbound", 3)));
    EchoOptions echo = assertInstanceOf(EchoOptions.class, o.getProtocol("echo"));
    assertEquals("alice", echo.getId());
    assertEquals(3, echo.getMaxInbound());
    assertContains(refusal(new JsonObject().put("echo", new JsonObject().put("maxInbond", 3))),
        "unknown config key 'echo.maxInbond' (did you mean 'maxInbound'?)");
    assertContains(refusal(new JsonObject().put("ecko", new JsonObject())),
        "unknown config key 'ecko' (did you mean 'echo'?)");
  }

  @Test
  void theKeysOfTheFlatConfigurationAreRefusedWithWhereTheyAreNow() {
    String message = refusal(new JsonObject().put("host", "127.0.0.1").put("port", 5000).put("seedPeers", new JsonArray())
        .put("maxFrameSize", 2048).put("bitcoin", new JsonObject().put("maxPayloadSize", 1024)));
    assertContains(message, "unknown config key 'host': it is now 'mesh.listen' (one section per concern)");
    assertContains(message, "unknown config key 'port': it is now 'mesh.listen'");
    assertContains(message, "unknown config key 'seedPeers': it is now 'mesh.seedPeers'");
    assertContains(message, "unknown config key 'maxFrameSize': it is now 'mesh.maxMessageSize'");
    assertContains(message, "unknown config key 'bitcoin.maxPayloadSize': it is now 'bitcoin.maxMessageSize'");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Refusals in JSON

  @Test
  void unknownKeyIsRefusedWithSuggestion() {
    assertEquals("unknown config key 'dataDri' (did you mean 'dataDir'?)",
        refusal(new JsonObject().put("dataDri", "d")));
    assertEquals("unknown config key 'foo'", refusal(new JsonObject().put("foo", 1)));
    assertContains(refusal(mesh("maxinbond", 1)), "unknown config key 'mesh.maxinbond' (did you mean 'maxInbound'?)");
  }

  @Test
  void severalUnknownKeysAreAllNamed() {
    String message = refusal(mesh(new JsonObject().put("lisen", "h").put("zzzzz", 1).put("seedPeer", new JsonArray())));
    assertContains(message, "unknown config key 'mesh.lisen' (did you mean 'listen'?)");
    assertContains(message, "unknown config key 'mesh.zzzzz'");
    assertFalse(message.contains("'mesh.zzzzz' (did you mean"), message);
    assertContains(message, "unknown config key 'mesh.seedPeer' (did you mean 'seedPeers'?)");
  }

  @Test
  void allProblemsAreReportedTogether() {
    ConfigException e = assertThrows(ConfigException.class, () -> new NodeOptions(new JsonObject()
        .put("bogus", true).put("busPrefix", "a..b")
        .put("mesh", new JsonObject().put("maxInbound", -1).put("ackTimeout", "x"))));
    assertEquals(4, e.problems().size(), e.getMessage());
    assertContains(e.getMessage(), "unknown config key 'bogus'");
    assertContains(e.getMessage(), "config key 'busPrefix': expected dot-separated segments");
    assertContains(e.getMessage(), "config key 'mesh.maxInbound': expected an integer >= 0, got -1");
    assertContains(e.getMessage(), "config key 'mesh.ackTimeout': expected an integer, got \"x\"");
  }

  @Test
  void wrongTypeIsRefused() {
    assertContains(refusal(mesh("maxInbound", "5000")), "config key 'mesh.maxInbound': expected an integer");
    assertEquals("config key 'mesh.networkId': expected a string, got 5", refusal(mesh("networkId", 5)));
    assertEquals("config key 'mesh.seedPeers': expected an array, got {}", refusal(mesh("seedPeers", new JsonObject())));
    assertEquals("config key 'mesh.nodeInfo': expected a JSON object, got []", refusal(mesh("nodeInfo", new JsonArray())));
    assertEquals("config key 'mesh.blacklistedIPs': expected an array, got \"1.2.3.4\"",
        refusal(mesh("blacklistedIPs", "1.2.3.4")));
    assertEquals("config key 'mesh.connectTimeout': expected an integer, got true", refusal(mesh("connectTimeout", true)));
    assertEquals("config key 'mesh.exemptLocalAddresses': expected true or false, got \"yes\"",
        refusal(mesh("exemptLocalAddresses", "yes")));
    assertEquals("config key 'dataDir': expected a non-blank directory path, got null",
        refusal(new JsonObject().putNull("dataDir")));
    assertContains(refusal(mesh("pingInterval", null)), "config key 'mesh.pingInterval': expected an integer");
  }

  @Test
  void fractionalNumbersAreNotIntegers() {
    for (String number : List.of("1000.5", "1000.0", "1e3")) {
      assertContains(refusal(new JsonObject("{\"mesh\": {\"pingInterval\": " + number + "}}")),
          "config key 'mesh.pingInterval': expected an integer, got ");
    }
  }

  @Test
  void outOfRangeIsRefused() {
    assertEquals("config key 'mesh.maxInbound': expected an integer >= 0, got -1", refusal(mesh("maxInbound", -1)));
    assertEquals("config key 'mesh.listen': port must be within 0-65535, got 65536",
        refusal(mesh("listen", new JsonObject().put("host", "h").put("port", 65536))));
    assertContains(refusal(mesh("maxOutbound", 10_000_000_000L)), "config key 'mesh.maxOutbound': expected an integer");
    assertEquals("config key 'mesh.sendPeerLimit': expected an integer from 1 to 1000, got 0",
        refusal(mesh("sendPeerLimit", 0)));
    assertEquals("config key 'mesh.maxPeerInfoSize': expected an integer from 1024 to 1048576, got 1023",
        refusal(mesh("maxPeerInfoSize", 1023)));
    assertEquals("config key 'mesh.maxMessageSize': expected an integer from 1024 to 67108864, got 67108865",
        refusal(mesh(new JsonObject().put("maxMessageSize", 67108865).put("maxWriteQueueSize", 67108865))));
    assertEquals("config key 'mesh.maxPendingHandshakesPerIP': expected an integer >= 1, got 0",
        refusal(mesh("maxPendingHandshakesPerIP", 0)));
    assertEquals("config key 'mesh.maxPendingHandshakes': expected an integer >= 1, got 0",
        refusal(mesh("maxPendingHandshakes", 0)));
    assertEquals("config key 'mesh.pingInterval': expected an integer >= 100, got 99",
        refusal(mesh("pingInterval", 99)));
  }

  @Test
  void stringRulesAreEnforced() {
    assertContains(refusal(mesh("networkId", "")), "config key 'mesh.networkId': expected a string of 1 to 255 UTF-8 bytes");
    assertContains(refusal(mesh("networkId", "é".repeat(128))), "config key 'mesh.networkId'");
    new NodeOptions(mesh("networkId", "é".repeat(127) + "x"));
    for (String bad : List.of("1", "1.0.0", "v1.0", "1.x", "1.")) {
      assertContains(refusal(mesh("protocolVersion", bad)), "config key 'mesh.protocolVersion': expected a version");
    }
    for (String bad : List.of("", ".a", "a.", "a..b", "a b", "a/b")) {
      assertContains(refusal(new JsonObject().put("busPrefix", bad)),
          "config key 'busPrefix': expected dot-separated segments of [A-Za-z0-9_-]+");
    }
    assertContains(refusal(new JsonObject().put("keyFile", "")), "config key 'keyFile': expected a non-blank file path");
    assertContains(refusal(new JsonObject().put("dataDir", "a\u0000b")), "config key 'dataDir'");
  }

  @Test
  void everyWrongPeerEntryIsNamed() {
    JsonArray seeds = new JsonArray()
        .add(new JsonObject().put("host", "10.0.0.1").put("port", 5001))
        .add(new JsonObject().put("host", "10.0.0.2").put("port", "abc"))
        .add("h:1")
        .add(new JsonObject().put("host", "h").put("prot", 1));
    String message = refusal(mesh("seedPeers", seeds));
    assertContains(message, "config key 'mesh.seedPeers[1].port': expected an integer");
    assertContains(message, "config key 'mesh.seedPeers[2]': expected an object {\"host\": string, \"port\": integer},"
        + " got \"h:1\"");
    assertContains(message, "config key 'mesh.seedPeers[3].port'");

    assertEquals("config key 'mesh.connect[0].port': expected an integer from 1 to 65535, got 0",
        refusal(mesh("connect", new JsonArray().add(new JsonObject().put("host", "h").put("port", 0)))));
    assertContains(refusal(mesh("whitelistedPeers", new JsonArray().add(new JsonObject().put("port", 1)))),
        "config key 'mesh.whitelistedPeers[0].host'");
    assertContains(refusal(new JsonObject().put("bridge", new JsonObject().put("host", "127.0.0.1").put("port", 70000))),
        "config key 'bridge.port': expected an integer from 0 to 65535, got 70000");
    assertEquals("config key 'bridge': expected an object (or false to leave the section out), got 7000",
        refusal(new JsonObject().put("bridge", 7000)));
  }

  @Test
  void badIpIsRefused() {
    JsonArray ips = new JsonArray().add("192.0.2.1").add("::1").add("example.com");
    assertEquals("config key 'mesh.blacklistedIPs[2]': expected a literal IPv4 or IPv6 address (no brackets, no zone),"
        + " got \"example.com\"", refusal(mesh("blacklistedIPs", ips)));
    for (String bad : List.of("256.1.1.1", "1.2.3", "[::1]", "fe80::1%eth0", " 1.2.3.4", "")) {
      assertContains(refusal(mesh("blacklistedIPs", new JsonArray().add(bad))), "config key 'mesh.blacklistedIPs[0]'");
    }
    assertEquals("config key 'mesh.blacklistedIPs[0]': expected a string, got 7",
        refusal(mesh("blacklistedIPs", new JsonArray().add(7))));
    assertEquals(List.of("10.1.2.3", "2001:db8::1", "::ffff:1.2.3.4"), new NodeOptions(mesh("blacklistedIPs",
        new JsonArray().add("10.1.2.3").add("2001:db8::1").add("::ffff:1.2.3.4"))).getMesh().getBlacklistedIPs());
  }

  @Test
  void oversizedNodeInfoIsRefused() {
    JsonObject info = new JsonObject().put("blob", "x".repeat(30000 - "{\"blob\":\"\"}".length()));
    assertEquals(30000, info.encode().getBytes(StandardCharsets.UTF_8).length);
    assertEquals("config key 'mesh.nodeInfo': encoded size 30000 bytes exceeds maxPeerInfoSize 20480",
        refusal(mesh("nodeInfo", info)));
    // fits once maxPeerInfoSize allows it (and the frame may carry it)
    new NodeOptions(mesh(new JsonObject().put("nodeInfo", info).put("maxPeerInfoSize", 30000)));
    // UTF-8 bytes count, not characters
    JsonObject wide = new JsonObject().put("s", "é".repeat(600));
    assertContains(refusal(mesh(new JsonObject().put("nodeInfo", wide).put("maxPeerInfoSize", 1024)
        .put("maxMessageSize", 2048))), "config key 'mesh.nodeInfo': encoded size 1208 bytes exceeds maxPeerInfoSize 1024");
  }

  @Test
  void crossKeyRulesAreChecked() {
    assertEquals("config key 'mesh.peerTimeout': must be greater than pingInterval (10000), got 10000: a peer answering"
        + " every ping would time out", refusal(mesh("peerTimeout", 10000)));
    assertEquals("config key 'mesh.maxMessageSize': expected an integer >= maxPeerInfoSize + 1024 = 21504, got 21503",
        refusal(mesh("maxMessageSize", 21503)));
    new NodeOptions(mesh(new JsonObject().put("maxMessageSize", 21504).put("maxWriteQueueSize", 21504)));
    assertEquals("config key 'mesh.maxWriteQueueSize': must be at least maxMessageSize (3145728), got 3145727: one"
        + " message must fit", refusal(mesh("maxWriteQueueSize", 3145727)));

    NodeOptions o = new NodeOptions();
    o.getMesh().setPingInterval(30000);
    assertContains(refusal(o::validate), "config key 'mesh.peerTimeout': must be greater than pingInterval (30000)");
    o.getMesh().setPeerTimeout(30001);
    assertSame(o, o.validate());
  }

  @Test
  void optionsBuiltInCodeAreCheckedAsAFileIs() {
    NodeOptions o = new NodeOptions().setBusPrefix("a..b").setDataDir("");
    o.getMesh().setListen(new PeerAddress("h", 0)).setMaxInbound(-1)
        .setSeedPeers(List.of(new PeerAddress("a", 1), new PeerAddress("b", 0)))
        .setBlacklistedIPs(List.of("1.2.3.4", "localhost")).setMaxPeerInfoSize(1024 * 1024 + 1);
    ConfigException e = assertThrows(ConfigException.class, o::validate);
    assertContains(e.getMessage(), "config key 'busPrefix'");
    assertContains(e.getMessage(), "config key 'dataDir'");
    assertContains(e.getMessage(), "config key 'mesh.maxInbound': expected an integer >= 0, got -1");
    assertContains(e.getMessage(), "config key 'mesh.seedPeers[1].port': expected an integer from 1 to 65535, got 0");
    assertContains(e.getMessage(), "config key 'mesh.blacklistedIPs[1]': expected a literal IPv4 or IPv6 address");
    assertContains(e.getMessage(), "config key 'mesh.maxPeerInfoSize'");
    assertEquals(6, e.problems().size(), e.getMessage());
    assertContains(refusal(() -> new NodeOptions().setMesh(null).validate()), "config key 'mesh'");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Files

  @Test
  void malformedFileIsRefusedNamingFileAndProblem(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\n  \"dataDir\": \"d\",\n  \"busPrefix\": \"x\",,\n}\n");
    String message = refusal(() -> NodeOptions.fromFile(file));
    assertContains(message, "config file '" + file + "': invalid JSON: ");
    assertContains(message, "line 3");
    assertFalse(message.contains("REDACTED"), message);
  }

  @Test
  void missingEmptyNonObjectAndDuplicateFilesAreRefused(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.json");
    assertEquals("config file '" + missing + "': no such file", refusal(() -> NodeOptions.fromFile(missing)));

    Path empty = Files.writeString(dir.resolve("empty.json"), " \n");
    assertEquals("config file '" + empty + "': empty, expected a JSON object", refusal(() -> NodeOptions.fromFile(empty)));

    Path array = Files.writeString(dir.resolve("array.json"), "[]");
    assertEquals("config file '" + array + "': expected a JSON object at top level, got an array",
        refusal(() -> NodeOptions.fromFile(array)));

    Path duplicate = Files.writeString(dir.resolve("dup.json"), "{\"mesh\": {\"maxInbound\": 1, \"maxInbound\": 2}}");
    assertContains(refusal(() -> NodeOptions.fromFile(duplicate)),
        "config file '" + duplicate + "': invalid JSON: Duplicate field 'maxInbound'");

    Path trailing = Files.writeString(dir.resolve("trailing.json"), "{} {}");
    assertContains(refusal(() -> NodeOptions.fromFile(trailing)), "config file '" + trailing + "': invalid JSON: ");

    assertContains(refusal(() -> NodeOptions.fromFile(dir)), "config file '" + dir + "': cannot read");
  }

  @Test
  void validationErrorsInFileNameFileAndKey(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("node.json"),
        "\uFEFF// comment\n{\"mesh\": {/* the port */ \"listen\": {\"host\": \"h\", \"port\": 99999}, \"prot\": 1}}");
    String message = refusal(() -> NodeOptions.fromFile(file));
    assertContains(message, "config file '" + file + "': ");
    assertContains(message, "unknown config key 'mesh.prot'");
    assertContains(message, "config key 'mesh.listen'");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Copies

  @Test
  void gettersAndCopiesCannotMutateTheOptions() {
    JsonObject info = new JsonObject().put("name", "n").put("nested", new JsonObject().put("k", 1));
    List<PeerAddress> seeds = new ArrayList<>(List.of(new PeerAddress("10.0.0.1", 5001)));
    List<String> ips = new ArrayList<>(List.of("10.9.9.9"));
    NodeOptions o = new NodeOptions();
    o.getMesh().setNodeInfo(info).setSeedPeers(seeds).setBlacklistedIPs(ips);
    NodeOptions before = new NodeOptions(o);

    // the caller's own objects are copied in
    info.put("name", "changed");
    info.getJsonObject("nested").put("k", 2);
    seeds.add(new PeerAddress("10.0.0.2", 5002));
    ips.clear();
    assertEquals(before, o);

    // what getters return is a copy or unmodifiable
    MeshOptions m = o.getMesh();
    m.getNodeInfo().put("extra", true);
    m.getNodeInfo().getJsonObject("nested").put("k", 3);
    assertThrows(UnsupportedOperationException.class, () -> m.getSeedPeers().add(new PeerAddress("x", 1)));
    assertThrows(UnsupportedOperationException.class, () -> m.getConnect().add(new PeerAddress("x", 1)));
    assertThrows(UnsupportedOperationException.class, () -> m.getWhitelistedPeers().add(new PeerAddress("x", 1)));
    assertThrows(UnsupportedOperationException.class, () -> m.getBlacklistedIPs().add("1.1.1.1"));
    assertThrows(UnsupportedOperationException.class, () -> o.getProtocols().put("x", new EchoOptions()));
    o.toJson().getJsonObject("mesh").getJsonObject("nodeInfo").put("extra", true);
    o.toJson().getJsonObject("mesh").getJsonArray("blacklistedIPs").add("1.1.1.1");
    assertEquals(before, o);

    // a copy is independent of its source, a section's copy too
    MeshOptions meshCopy = o.getMesh().copy();
    assertEquals(o.getMesh(), meshCopy);
    meshCopy.getNodeInfo().put("changed", true);
    meshCopy.setNodeInfo(new JsonObject().put("other", 1));
    assertEquals(before.getMesh(), o.getMesh());
    NodeOptions copy = new NodeOptions(o);
    copy.getMesh().setMaxInbound(1).setNodeInfo(new JsonObject());
    copy.getCluster().setSyncInterval(1234);
    assertEquals(before, o);
    assertNotEquals(copy, o);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The cluster section

  @Test
  void clusterSectionIsReadWithItsTlsFiles() {
    NodeOptions o = new NodeOptions(new JsonObject().put("cluster", new JsonObject()
        .put("eventBusHost", "10.0.0.5").put("eventBusPort", 17001).put("syncInterval", 2000)
        .put("tls", new JsonObject().put("certFile", "m.crt").put("keyFile", "m.key").put("trustFile", "ca.crt"))));
    assertEquals("10.0.0.5", o.getCluster().getEventBusHost());
    assertEquals(17001, o.getCluster().getEventBusPort());
    assertEquals(2000, o.getCluster().getSyncInterval());
    assertEquals(new ClusterOptions.Tls("m.crt", "m.key", "ca.crt"), o.getCluster().getTls());
    assertEquals(o, new NodeOptions(o.toJson()));
  }

  @Test
  void clusterSectionMistakesAreNamedWithTheirPath() {
    String message = refusal(new JsonObject().put("cluster", new JsonObject()
        .put("syncIntervl", 2000).put("eventBusPort", 70000).put("tls", new JsonObject().put("certFile", "m.crt"))));
    assertContains(message, "unknown config key 'cluster.syncIntervl' (did you mean 'syncInterval'?)");
    assertContains(message, "config key 'cluster.eventBusPort': expected an integer from 0 to 65535, got 70000");
    assertContains(message, "config key 'cluster.tls.keyFile': expected a non-blank file path, got null");
    assertContains(message, "config key 'cluster.tls.trustFile': expected a non-blank file path, got null");
  }

  @Test
  void aBridgeOfHostAndPortGetsTheDefaultLimitsAndEachLimitIsAKey() {
    BridgeOptions plain = new NodeOptions(new JsonObject().put("bridge",
        new JsonObject().put("host", "127.0.0.1").put("port", 7001))).getBridge();
    assertEquals(new PeerAddress("127.0.0.1", 7001), plain.listenAddress());
    assertEquals(4 * 1024 * 1024, plain.getMaxFrameSize());
    assertEquals(30_000, plain.getFrameTimeout());
    assertEquals(100, plain.getMaxConnections());
    assertEquals(8 * 1024 * 1024, plain.getMaxWriteQueueSize());
    assertEquals(30_000, plain.getWriteTimeout());
    assertEquals(new PeerAddress("127.0.0.1", 7000), new NodeOptions(new JsonObject().put("bridge", true))
        .getBridge().listenAddress());

    BridgeOptions limited = new NodeOptions(new JsonObject().put("bridge", new JsonObject().put("port", 0)
        .put("maxFrameSize", 2048).put("frameTimeout", 50).put("maxConnections", 2).put("maxWriteQueueSize", 4096)
        .put("writeTimeout", 60))).getBridge();
    assertEquals(new BridgeOptions().setPort(0).setMaxFrameSize(2048).setFrameTimeout(50).setMaxConnections(2)
        .setMaxWriteQueueSize(4096).setWriteTimeout(60), limited);
  }

  @Test
  void bridgeLimitMistakesAreNamedWithTheirPath() {
    String message = refusal(new JsonObject().put("bridge", new JsonObject().put("host", " ").put("maxFrameSize", 10)
        .put("frameTimeout", 0).put("maxConnections", 0).put("maxWriteQueueSize", 1023).put("writeTimeout", -1)
        .put("maxFrameSise", 1)));
    assertContains(message, "unknown config key 'bridge.maxFrameSise' (did you mean 'maxFrameSize'?)");
    assertContains(message, "config key 'bridge.host': expected a non-blank host, got \" \"");
    assertContains(message, "config key 'bridge.maxFrameSize': expected an integer from 1024 to 2147483647, got 10");
    assertContains(message, "config key 'bridge.frameTimeout': expected an integer >= 1, got 0");
    assertContains(message, "config key 'bridge.maxConnections': expected an integer >= 1, got 0");
    assertContains(message, "config key 'bridge.maxWriteQueueSize': expected an integer from 1024 to 2147483647, got 1023");
    assertContains(message, "config key 'bridge.writeTimeout': expected an integer >= 1, got -1");
  }

  @Test
  void theShippedClusterMembersShareOneKeyAndKeepTheirOwnState() {
    List<NodeOptions> members = List.of(1, 2, 3).stream()
        .map(i -> NodeOptions.fromFile(Path.of("conf", "cluster", "member" + i + ".json"))).toList();
    assertEquals(1, members.stream().map(NodeOptions::keyFilePath).distinct().count());
    assertEquals(3, members.stream().map(NodeOptions::getDataDir).distinct().count());
    assertEquals(3, members.stream().map(m -> m.getMesh().getListen().port()).distinct().count());
  }
}
