package org.peermesh.node;

import org.peermesh.peer.PeerAddress;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.node.OptionsAssertions.assertContains;
import static org.peermesh.node.OptionsAssertions.refusal;

class NodeOptionsTest {

  private static final Path EXAMPLE = Path.of("conf", "node.json");

  /** Every key NodeOptions knows; conf/node.json must show all of them. */
  private static final List<String> ALL_KEYS = List.of("host", "port", "networkId", "protocolVersion", "seedPeers",
    "fixedPeers", "whitelistedPeers", "blacklistedIPs", "maxOutboundConnections", "maxInboundConnections",
    "maxPendingHandshakesPerIP", "dataDir", "keyFile", "nodeInfo", "maxPeerInfoSize", "busPrefix", "bridge",
    "sendPeerLimit", "connectTimeout", "handshakeTimeout", "ackTimeout", "pingInterval", "peerTimeout",
    "maxFrameSize", "maxPeerWriteQueueSize", "peerBanTime", "wsMaxMessageRate", "wsMaxMessageRatePenalty",
    "rateCalculationInterval", "populatorInterval", "fallbackSeedPeerDiscoveryInterval", "outboundShuffleInterval",
    "exemptLocalAddresses", "mesh", "cluster");

  // ---------------------------------------------------------------------------------------------------------------
  // Defaults, example file, round trip

  @Test
  void defaults() {
    NodeOptions o = new NodeOptions();
    assertEquals("0.0.0.0", o.getHost());
    assertEquals(5000, o.getPort());
    assertEquals("peermesh-devnet", o.getNetworkId());
    assertEquals("1.0", o.getProtocolVersion());
    assertEquals(List.of(), o.getSeedPeers());
    assertEquals(List.of(), o.getFixedPeers());
    assertEquals(List.of(), o.getWhitelistedPeers());
    assertEquals(List.of(), o.getBlacklistedIPs());
    assertEquals(20, o.getMaxOutboundConnections());
    assertEquals(100, o.getMaxInboundConnections());
    assertEquals(16, o.getMaxPendingHandshakesPerIP());
    assertEquals("data", o.getDataDir());
    assertNull(o.getKeyFile());
    assertEquals(Path.of("data", "node.key"), o.keyFilePath());
    assertEquals(new JsonObject(), o.getNodeInfo());
    assertEquals(20480, o.getMaxPeerInfoSize());
    assertEquals("peermesh", o.getBusPrefix());
    assertNull(o.getBridge());
    assertEquals(16, o.getSendPeerLimit());
    assertEquals(5000, o.getConnectTimeout());
    assertEquals(5000, o.getHandshakeTimeout());
    assertEquals(10000, o.getAckTimeout());
    assertEquals(10000, o.getPingInterval());
    assertEquals(25000, o.getPeerTimeout());
    assertEquals(3145728, o.getMaxFrameSize());
    assertEquals(8388608, o.getMaxPeerWriteQueueSize());
    assertEquals(86_400_000, o.getPeerBanTime());
    assertEquals(100, o.getWsMaxMessageRate());
    assertEquals(10, o.getWsMaxMessageRatePenalty());
    assertEquals(1000, o.getRateCalculationInterval());
    assertEquals(10_000, o.getPopulatorInterval());
    assertEquals(30_000, o.getFallbackSeedPeerDiscoveryInterval());
    assertEquals(300_000, o.getOutboundShuffleInterval());
    assertTrue(o.isExemptLocalAddresses());
    assertSame(o, o.validate());
    assertEquals(o, new NodeOptions(new JsonObject()));
    assertFalse(o.toJson().containsKey("keyFile"));
    assertFalse(o.toJson().containsKey("bridge"));
  }

  @Test
  void exampleFileLoadsWithEveryKeyAndRoundTrips() throws Exception {
    JsonObject raw = new JsonObject(Files.readString(EXAMPLE));
    assertEquals(ALL_KEYS.stream().sorted().toList(), raw.fieldNames().stream().sorted().toList());

    NodeOptions o = NodeOptions.fromFile(EXAMPLE);
    assertEquals("127.0.0.1", o.getHost());
    assertEquals(5000, o.getPort());
    assertEquals("data/node", o.getDataDir());
    assertEquals(new PeerAddress("127.0.0.1", 7000), o.getBridge());
    assertEquals(new JsonObject().put("name", "peermesh-example").put("version", "0.1.0"), o.getNodeInfo());
    assertEquals(Path.of(o.getKeyFile()), o.keyFilePath());

    assertEquals(raw, o.toJson());
    assertEquals(o, new NodeOptions(o.toJson()));
    assertEquals(o.hashCode(), new NodeOptions(o.toJson()).hashCode());
    assertEquals(o, new NodeOptions(new JsonObject(o.toJson().encode())));
    assertEquals(o, new NodeOptions(o));
  }

  @Test
  void everySetterRoundTrips() {
    NodeOptions o = new NodeOptions()
      .setHost("::")
      .setPort(0)
      .setNetworkId("net-ü")
      .setProtocolVersion("12.34")
      .setSeedPeers(List.of(new PeerAddress("seed.example", 5001), new PeerAddress("10.0.0.2", 5002)))
      .setFixedPeers(List.of(new PeerAddress("10.0.0.3", 5003)))
      .setWhitelistedPeers(List.of(new PeerAddress("::1", 5004)))
      .setBlacklistedIPs(List.of("192.0.2.7", "2001:db8::1"))
      .setMaxOutboundConnections(0)
      .setMaxInboundConnections(0)
      .setMaxPendingHandshakesPerIP(1)
      .setDataDir("/var/lib/peermesh")
      .setKeyFile("/etc/peermesh/key")
      .setNodeInfo(new JsonObject().put("height", 12).put("tags", new JsonArray().add("a")))
      .setMaxPeerInfoSize(1024)
      .setBusPrefix("app.mesh-1")
      .setBridge(new PeerAddress("127.0.0.1", 0))
      .setSendPeerLimit(1000)
      .setConnectTimeout(1)
      .setHandshakeTimeout(1)
      .setAckTimeout(1)
      .setPingInterval(100)
      .setPeerTimeout(101)
      .setMaxFrameSize(2048)
      .setMaxPeerWriteQueueSize(2048)
      .validate();
    NodeOptions back = new NodeOptions(o.toJson());
    assertEquals(o, back);
    assertEquals(o.hashCode(), back.hashCode());
    assertEquals(o.toJson(), back.toJson());
    assertEquals(Path.of("/etc/peermesh/key"), back.keyFilePath());
    assertNotEquals(o, new NodeOptions(o).setPort(1));

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
  // Refusals in JSON

  @Test
  void unknownKeyIsRefusedWithSuggestion() {
    assertEquals("unknown config key 'prot' (did you mean 'port'?)", refusal(new JsonObject().put("prot", 5000)));
    assertEquals("unknown config key 'foo'", refusal(new JsonObject().put("foo", 1)));
    assertContains(refusal(new JsonObject().put("maxinboundconnection", 1)),
      "unknown config key 'maxinboundconnection' (did you mean 'maxInboundConnections'?)");
  }

  @Test
  void severalUnknownKeysAreAllNamed() {
    String message = refusal(new JsonObject().put("hots", "h").put("zzzzz", 1).put("seedPeer", new JsonArray()));
    assertContains(message, "unknown config key 'hots' (did you mean 'host'?)");
    assertContains(message, "unknown config key 'zzzzz'");
    assertFalse(message.contains("'zzzzz' (did you mean"), message);
    assertContains(message, "unknown config key 'seedPeer' (did you mean 'seedPeers'?)");
  }

  @Test
  void allProblemsAreReportedTogether() {
    String message = refusal(new JsonObject().put("port", -1).put("ackTimeout", "x").put("bogus", true));
    assertContains(message, "unknown config key 'bogus'");
    assertContains(message, "config key 'port': expected an integer from 0 to 65535, got -1");
    assertContains(message, "config key 'ackTimeout': expected an integer >= 1, got \"x\"");
  }

  @Test
  void wrongTypeIsRefused() {
    assertEquals("config key 'port': expected an integer from 0 to 65535, got \"5000\"",
      refusal(new JsonObject().put("port", "5000")));
    assertEquals("config key 'host': expected a non-blank host name or IP address, got 5",
      refusal(new JsonObject().put("host", 5)));
    assertEquals("config key 'seedPeers': expected an array of {\"host\": string, \"port\": integer} objects,"
      + " got {}", refusal(new JsonObject().put("seedPeers", new JsonObject())));
    assertEquals("config key 'nodeInfo': expected a JSON object, got []",
      refusal(new JsonObject().put("nodeInfo", new JsonArray())));
    assertEquals("config key 'blacklistedIPs': expected an array of strings, got \"1.2.3.4\"",
      refusal(new JsonObject().put("blacklistedIPs", "1.2.3.4")));
    assertEquals("config key 'connectTimeout': expected an integer >= 1, got true",
      refusal(new JsonObject().put("connectTimeout", true)));
    assertEquals("config key 'dataDir': expected a non-blank directory path, got null",
      refusal(new JsonObject().putNull("dataDir")));
  }

  @Test
  void fractionalNumbersAreNotIntegers() {
    assertEquals("config key 'pingInterval': expected an integer >= 100, got 1000.5",
      refusal(new JsonObject(("{\"pingInterval\": 1000.5}"))));
    assertEquals("config key 'pingInterval': expected an integer >= 100, got 1000.0",
      refusal(new JsonObject(("{\"pingInterval\": 1000.0}"))));
    assertEquals("config key 'pingInterval': expected an integer >= 100, got 1000.0",
      refusal(new JsonObject(("{\"pingInterval\": 1e3}"))));
  }

  @Test
  void outOfRangeIsRefused() {
    assertEquals("config key 'maxInboundConnections': expected an integer >= 0, got -1",
      refusal(new JsonObject().put("maxInboundConnections", -1)));
    assertEquals("config key 'port': expected an integer from 0 to 65535, got 65536",
      refusal(new JsonObject().put("port", 65536)));
    assertEquals("config key 'maxOutboundConnections': expected an integer >= 0, got 10000000000",
      refusal(new JsonObject().put("maxOutboundConnections", 10_000_000_000L)));
    assertEquals("config key 'sendPeerLimit': expected an integer from 1 to 1000, got 0",
      refusal(new JsonObject().put("sendPeerLimit", 0)));
    assertEquals("config key 'maxPeerInfoSize': expected an integer from 1024 to 1048576, got 1023",
      refusal(new JsonObject().put("maxPeerInfoSize", 1023)));
    assertEquals("config key 'maxFrameSize': expected an integer from 1024 to 67108864, got 67108865",
      refusal(new JsonObject().put("maxFrameSize", 67108865)));
    assertEquals("config key 'maxPendingHandshakesPerIP': expected an integer >= 1, got 0",
      refusal(new JsonObject().put("maxPendingHandshakesPerIP", 0)));
    assertEquals("config key 'pingInterval': expected an integer >= 100, got 99",
      refusal(new JsonObject().put("pingInterval", 99)));
  }

  @Test
  void stringRulesAreEnforced() {
    assertContains(refusal(new JsonObject().put("host", "  ")), "config key 'host': expected a non-blank");
    assertContains(refusal(new JsonObject().put("networkId", "")), "config key 'networkId': expected a string of 1 to 255 UTF-8 bytes");
    assertContains(refusal(new JsonObject().put("networkId", "é".repeat(128))), "config key 'networkId'");
    new NodeOptions(new JsonObject().put("networkId", "é".repeat(127) + "x"));
    for (String bad : List.of("1", "1.0.0", "v1.0", "1.x", "1.")) {
      assertContains(refusal(new JsonObject().put("protocolVersion", bad)), "config key 'protocolVersion': expected a version");
    }
    for (String bad : List.of("", ".a", "a.", "a..b", "a b", "a/b")) {
      assertContains(refusal(new JsonObject().put("busPrefix", bad)),
        "config key 'busPrefix': expected dot-separated segments of [A-Za-z0-9_-]+");
    }
    assertContains(refusal(new JsonObject().put("keyFile", "")), "config key 'keyFile': expected a non-blank file path");
    assertContains(refusal(new JsonObject().put("dataDir", "a\u0000b")), "config key 'dataDir'");
  }

  @Test
  void nestedPeerEntryErrorsNameTheEntry() {
    JsonArray seeds = new JsonArray()
      .add(new JsonObject().put("host", "10.0.0.1").put("port", 5001))
      .add(new JsonObject().put("host", "10.0.0.2").put("port", 5002))
      .add(new JsonObject().put("host", "10.0.0.3").put("port", "abc"));
    assertEquals("config key 'seedPeers[2].port': expected an integer from 1 to 65535, got \"abc\"",
      refusal(new JsonObject().put("seedPeers", seeds)));

    assertEquals("config key 'fixedPeers[0].port': expected an integer from 1 to 65535, got 0",
      refusal(new JsonObject().put("fixedPeers", new JsonArray().add(new JsonObject().put("host", "h").put("port", 0)))));
    assertEquals("config key 'whitelistedPeers[0].host' is missing: expected a non-blank host name or IP address",
      refusal(new JsonObject().put("whitelistedPeers", new JsonArray().add(new JsonObject().put("port", 1)))));
    assertEquals("config key 'seedPeers[0]': expected an object {\"host\": string, \"port\": integer}, got \"h:1\"",
      refusal(new JsonObject().put("seedPeers", new JsonArray().add("h:1"))));
    assertEquals("unknown config key 'seedPeers[0].prot' (did you mean 'port'?); "
        + "config key 'seedPeers[0].port' is missing: expected an integer from 1 to 65535",
      refusal(new JsonObject().put("seedPeers", new JsonArray().add(new JsonObject().put("host", "h").put("prot", 1)))));
    assertEquals("config key 'bridge.port': expected an integer from 0 to 65535, got 70000",
      refusal(new JsonObject().put("bridge", new JsonObject().put("host", "127.0.0.1").put("port", 70000))));
    assertEquals("config key 'bridge': expected an object {\"host\": string, \"port\": integer}, got 7000",
      refusal(new JsonObject().put("bridge", 7000)));
  }

  @Test
  void badIpIsRefused() {
    JsonArray ips = new JsonArray().add("192.0.2.1").add("::1").add("example.com");
    assertEquals("config key 'blacklistedIPs[2]': expected a literal IPv4 or IPv6 address (no brackets, no zone),"
      + " got \"example.com\"", refusal(new JsonObject().put("blacklistedIPs", ips)));
    for (String bad : List.of("256.1.1.1", "1.2.3", "[::1]", "fe80::1%eth0", " 1.2.3.4", "")) {
      assertContains(refusal(new JsonObject().put("blacklistedIPs", new JsonArray().add(bad))),
        "config key 'blacklistedIPs[0]'");
    }
    assertContains(refusal(new JsonObject().put("blacklistedIPs", new JsonArray().add(7))),
      "config key 'blacklistedIPs[0]': expected a literal IPv4 or IPv6 address (no brackets, no zone), got 7");
    assertEquals(List.of("10.1.2.3", "2001:db8::1", "::ffff:1.2.3.4"),
      new NodeOptions(new JsonObject().put("blacklistedIPs",
        new JsonArray().add("10.1.2.3").add("2001:db8::1").add("::ffff:1.2.3.4"))).getBlacklistedIPs());
  }

  @Test
  void oversizedNodeInfoIsRefused() {
    JsonObject info = new JsonObject().put("blob", "x".repeat(30000 - "{\"blob\":\"\"}".length()));
    assertEquals(30000, info.encode().getBytes(StandardCharsets.UTF_8).length);
    assertEquals("config key 'nodeInfo': encoded size 30000 bytes exceeds maxPeerInfoSize 20480",
      refusal(new JsonObject().put("nodeInfo", info)));
    // fits once maxPeerInfoSize allows it (and the frame may carry it)
    new NodeOptions(new JsonObject().put("nodeInfo", info).put("maxPeerInfoSize", 30000));
    // UTF-8 bytes count, not characters
    JsonObject wide = new JsonObject().put("s", "é".repeat(600));
    assertContains(refusal(new JsonObject().put("nodeInfo", wide).put("maxPeerInfoSize", 1024)
      .put("maxFrameSize", 2048)), "config key 'nodeInfo': encoded size 1208 bytes exceeds maxPeerInfoSize 1024");
  }

  @Test
  void crossKeyRulesAreChecked() {
    assertEquals("config key 'peerTimeout': expected an integer > pingInterval 10000, got 10000",
      refusal(new JsonObject().put("peerTimeout", 10000)));
    assertEquals("config key 'maxFrameSize': expected an integer >= maxPeerInfoSize + 1024 = 21504, got 21503",
      refusal(new JsonObject().put("maxFrameSize", 21503)));
    new NodeOptions(new JsonObject().put("maxFrameSize", 21504).put("maxPeerWriteQueueSize", 21504));
    assertEquals("config key 'maxPeerWriteQueueSize': expected an integer >= maxFrameSize 3145728, got 3145727",
      refusal(new JsonObject().put("maxPeerWriteQueueSize", 3145727)));

    NodeOptions o = new NodeOptions().setPingInterval(30000);
    assertEquals("config key 'peerTimeout': expected an integer > pingInterval 30000, got 25000", refusal(o::validate));
    assertSame(o, o.setPeerTimeout(30001).validate());

    String both = refusal(new NodeOptions().setMaxPeerInfoSize(1024 * 1024).setMaxFrameSize(1024 * 1024).setPeerTimeout(100)::validate);
    assertContains(both, "config key 'peerTimeout'");
    assertContains(both, "config key 'maxFrameSize'");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Files

  @Test
  void malformedFileIsRefusedNamingFileAndProblem(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\n  \"port\": 5000,\n  \"host\": \"x\",,\n}\n");
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

    Path duplicate = Files.writeString(dir.resolve("dup.json"), "{\"port\": 1, \"port\": 2}");
    String message = refusal(() -> NodeOptions.fromFile(duplicate));
    assertContains(message, "config file '" + duplicate + "': invalid JSON: Duplicate field 'port'");

    Path trailing = Files.writeString(dir.resolve("trailing.json"), "{} {}");
    assertContains(refusal(() -> NodeOptions.fromFile(trailing)), "config file '" + trailing + "': invalid JSON: ");

    assertContains(refusal(() -> NodeOptions.fromFile(dir)), "config file '" + dir + "': cannot read");
  }

  @Test
  void validationErrorsInFileNameFileAndKey(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("node.json"), "\uFEFF// comment\n{\"port\": 99999, \"prot\": 1}");
    String message = refusal(() -> NodeOptions.fromFile(file));
    assertContains(message, "config file '" + file + "': ");
    assertContains(message, "unknown config key 'prot' (did you mean 'port'?)");
    assertContains(message, "config key 'port': expected an integer from 0 to 65535, got 99999");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Setters and getters

  @Test
  void settersRefuseBadValuesWithTheSameMessages() {
    NodeOptions o = new NodeOptions();
    assertEquals("config key 'port': expected an integer from 0 to 65535, got -1", refusal(() -> o.setPort(-1)));
    assertEquals("config key 'maxInboundConnections': expected an integer >= 0, got -1",
      refusal(() -> o.setMaxInboundConnections(-1)));
    assertEquals("config key 'host': expected a non-blank host name or IP address, got null",
      refusal(() -> o.setHost(null)));
    assertContains(refusal(() -> o.setHost(" ")), "config key 'host'");
    assertContains(refusal(() -> o.setNetworkId("x".repeat(256))), "config key 'networkId'");
    assertContains(refusal(() -> o.setProtocolVersion("1")), "config key 'protocolVersion'");
    assertContains(refusal(() -> o.setBusPrefix("a..b")), "config key 'busPrefix'");
    assertContains(refusal(() -> o.setDataDir("")), "config key 'dataDir'");
    assertContains(refusal(() -> o.setKeyFile(" ")), "config key 'keyFile'");
    assertEquals("config key 'seedPeers[1].port': expected an integer from 1 to 65535, got 0",
      refusal(() -> o.setSeedPeers(List.of(new PeerAddress("a", 1), new PeerAddress("b", 0)))));
    assertContains(refusal(() -> o.setFixedPeers(null)), "config key 'fixedPeers'");
    List<PeerAddress> withNull = new ArrayList<>();
    withNull.add(null);
    assertContains(refusal(() -> o.setWhitelistedPeers(withNull)), "config key 'whitelistedPeers[0]'");
    assertEquals("config key 'blacklistedIPs[1]': expected a literal IPv4 or IPv6 address (no brackets, no zone),"
      + " got \"localhost\"", refusal(() -> o.setBlacklistedIPs(List.of("1.2.3.4", "localhost"))));
    assertContains(refusal(() -> o.setNodeInfo(null)), "config key 'nodeInfo': expected a JSON object, got null");
    assertEquals("config key 'nodeInfo': expected a JSON object of JSON values only, got Illegal type in Json: class"
      + " java.lang.Object", refusal(() -> o.setNodeInfo(new JsonObject().put("x", new Object()))));
    assertContains(refusal(() -> o.setMaxPeerInfoSize(1024 * 1024 + 1)), "config key 'maxPeerInfoSize'");
    assertContains(refusal(() -> o.setSendPeerLimit(1001)), "config key 'sendPeerLimit'");
    assertContains(refusal(() -> o.setConnectTimeout(0)), "config key 'connectTimeout'");
    assertContains(refusal(() -> o.setHandshakeTimeout(0)), "config key 'handshakeTimeout'");
    assertContains(refusal(() -> o.setAckTimeout(0)), "config key 'ackTimeout'");
    assertContains(refusal(() -> o.setPingInterval(99)), "config key 'pingInterval'");
    assertContains(refusal(() -> o.setPeerTimeout(0)), "config key 'peerTimeout'");
    assertContains(refusal(() -> o.setMaxFrameSize(1023)), "config key 'maxFrameSize'");
    assertContains(refusal(() -> o.setMaxPeerWriteQueueSize(0)), "config key 'maxPeerWriteQueueSize'");
    assertContains(refusal(() -> o.setMaxOutboundConnections(-5)), "config key 'maxOutboundConnections'");
    assertContains(refusal(() -> o.setMaxPendingHandshakesPerIP(0)), "config key 'maxPendingHandshakesPerIP'");
    // nothing was changed by the refused calls
    assertEquals(new NodeOptions(), o);
  }

  @Test
  void gettersCannotMutateTheOptions() {
    JsonObject info = new JsonObject().put("name", "n").put("nested", new JsonObject().put("k", 1));
    List<PeerAddress> seeds = new ArrayList<>(List.of(new PeerAddress("10.0.0.1", 5001)));
    List<String> ips = new ArrayList<>(List.of("10.9.9.9"));
    NodeOptions o = new NodeOptions().setNodeInfo(info).setSeedPeers(seeds).setBlacklistedIPs(ips);
    NodeOptions before = new NodeOptions(o);

    // the caller's own objects are copied in
    info.put("name", "changed");
    info.getJsonObject("nested").put("k", 2);
    seeds.add(new PeerAddress("10.0.0.2", 5002));
    ips.clear();
    assertEquals(before, o);

    // what getters return is a copy or unmodifiable
    o.getNodeInfo().put("extra", true);
    o.getNodeInfo().getJsonObject("nested").put("k", 3);
    assertThrows(UnsupportedOperationException.class, () -> o.getSeedPeers().add(new PeerAddress("x", 1)));
    assertThrows(UnsupportedOperationException.class, () -> o.getFixedPeers().add(new PeerAddress("x", 1)));
    assertThrows(UnsupportedOperationException.class, () -> o.getWhitelistedPeers().add(new PeerAddress("x", 1)));
    assertThrows(UnsupportedOperationException.class, () -> o.getBlacklistedIPs().add("1.1.1.1"));
    o.toJson().getJsonObject("nodeInfo").put("extra", true);
    o.toJson().getJsonArray("blacklistedIPs").add("1.1.1.1");
    assertEquals(before, o);
    assertEquals(new JsonObject().put("name", "n").put("nested", new JsonObject().put("k", 1)), o.getNodeInfo());

    // the JSON given to the constructor is copied too
    JsonObject json = new JsonObject().put("nodeInfo", new JsonObject().put("a", 1));
    NodeOptions fromJson = new NodeOptions(json);
    json.getJsonObject("nodeInfo").put("a", 2);
    assertEquals(new JsonObject().put("a", 1), fromJson.getNodeInfo());

    // a copy is independent of its source
    NodeOptions copy = new NodeOptions(o).setPort(6000).setNodeInfo(new JsonObject());
    assertEquals(before, o);
    assertNotEquals(copy, o);
  }

  @Test
  void editDistance() {
    assertEquals(0, ConfigReader.distance("port", "port"));
    assertEquals(1, ConfigReader.distance("prot", "port"));
    assertEquals(1, ConfigReader.distance("hot", "host"));
    assertEquals(2, ConfigReader.distance("bridgee", "bridg"));
    assertEquals(3, ConfigReader.distance("foo", "host"));
  }

  @Test
  void booleansMustBeJsonBooleans() {
    assertEquals("config key 'exemptLocalAddresses': expected true or false, got \"yes\"",
        refusal(() -> new NodeOptions(new JsonObject().put("exemptLocalAddresses", "yes"))));
    assertFalse(new NodeOptions(new JsonObject().put("exemptLocalAddresses", false)).isExemptLocalAddresses());
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
    assertContains(message, "cluster.tls.keyFile");
    assertContains(message, "cluster.tls.trustFile");
  }

  @Test
  void theShippedClusterMembersShareOneKeyAndKeepTheirOwnState() {
    List<NodeOptions> members = List.of(1, 2, 3).stream()
      .map(i -> NodeOptions.fromFile(Path.of("conf", "cluster", "member" + i + ".json"))).toList();
    assertEquals(1, members.stream().map(NodeOptions::keyFilePath).distinct().count());
    assertEquals(3, members.stream().map(NodeOptions::getDataDir).distinct().count());
    assertEquals(3, members.stream().map(NodeOptions::getPort).distinct().count());
  }
}
