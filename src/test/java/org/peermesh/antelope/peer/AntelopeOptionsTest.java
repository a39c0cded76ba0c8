package org.peermesh.antelope.peer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peermesh.antelope.crypto.AntelopePrivateKey;
import org.peermesh.antelope.peer.AntelopeOptions.AllowedConnection;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.peermesh.testing.ConfigAssertions.assertContains;
import static org.peermesh.testing.ConfigAssertions.refusal;

/** The {@code antelope} section of a node config: nodeos' defaults, every key bound from JSON, every rule's refusal. */
class AntelopeOptionsTest {

  /** EOS mainnet's chain id. */
  private static final String CHAIN_ID = "aca376f206b8fc25a6ed44dbdc66547c36c6c33e3a119ffbeaef943642f0e906";
  private static final int EIGHT_MIB = 8 * 1024 * 1024;
  private static final AntelopePrivateKey PEER_KEY = AntelopePrivateKey.generate();

  /** A section with the one key that has no default. */
  private static JsonObject minimal() {
    return new JsonObject().put("chainId", CHAIN_ID);
  }

  /** The {@code antelope} section of a node configuration, read as a file would be. */
  private static AntelopeOptions section(JsonObject antelope) {
    return (AntelopeOptions) new NodeOptions(new JsonObject().put("antelope", antelope))
        .getProtocol(AntelopeProtocol.NAME);
  }

  @Test
  void defaultsAreNodeos() {
    AntelopeOptions defaults = new AntelopeOptions();

    assertNull(defaults.getChainId());
    assertEquals(25, defaults.getMaxInbound());
    assertEquals(10_000, defaults.getPingInterval());
    assertEquals(20_000, defaults.getPeerTimeout());
    assertEquals(1, defaults.getMaxClientsPerHost());
    assertEquals(0x04bc, defaults.getNetworkVersion());
    assertEquals(EIGHT_MIB, defaults.getMaxMessageSize());
    assertEquals(EIGHT_MIB + 4, defaults.maxFrameSize());
    assertEquals("head", defaults.getSyncFrom());
    assertEquals(AllowedConnection.ANY, defaults.getAllowedConnection());
    assertEquals(List.of(), defaults.getAllowedKeys());
    assertNull(defaults.getP2pAddress());
    assertNull(defaults.getListen());
    assertEquals(List.of(), defaults.getConnect());
    assertEquals(9876, defaults.defaultPort());
    assertEquals(defaults.setChainId(CHAIN_ID), section(minimal()));
  }

  @Test
  void everyKeyOfAFullSectionIsBound() {
    String allowedKey = PEER_KEY.publicKey().toString();
    String legacyKey = AntelopePrivateKey.generate().publicKey().toLegacyString();
    JsonObject json = new JsonObject()
        .put("chainId", CHAIN_ID)
        .put("listen", new PeerAddress("0.0.0.0", 9877).toJson())
        .put("connect", new JsonArray().add(new PeerAddress("peer1.example", 9876).toJson())
            .add(new PeerAddress("10.0.0.2", 9875).toJson()))
        .put("syncFrom", "4294967295")
        .put("networkVersion", 0x04c1)
        .put("agent", "\"PeerMesh test\"")
        .put("p2pAddress", "node.example:9877")
        .put("maxClientsPerHost", 3)
        .put("allowedConnection", "specified")
        .put("allowedKeys", new JsonArray().add(allowedKey).add(legacyKey))
        .put("blockWindow", 500)
        .put("transactionWindow", 2_000)
        .put("syncFetchSpan", 100);

    NodeOptions node = new NodeOptions(new JsonObject().put("antelope", json));
    AntelopeOptions options = (AntelopeOptions) node.getProtocol(AntelopeProtocol.NAME);

    assertEquals(CHAIN_ID, options.getChainId());
    assertEquals(new PeerAddress("0.0.0.0", 9877), options.getListen());
    assertEquals(List.of(new PeerAddress("peer1.example", 9876), new PeerAddress("10.0.0.2", 9875)),
        options.getConnect());
    assertEquals("4294967295", options.getSyncFrom());
    assertEquals(0x04c1, options.getNetworkVersion());
    assertEquals("\"PeerMesh test\"", options.getAgent());
    assertEquals("node.example:9877", options.getP2pAddress());
    assertEquals(3, options.getMaxClientsPerHost());
    assertEquals(AllowedConnection.SPECIFIED, options.getAllowedConnection());
    assertEquals(List.of(allowedKey, legacyKey), options.getAllowedKeys());
    assertEquals(500, options.getBlockWindow());
    assertEquals(2_000, options.getTransactionWindow());
    assertEquals(100, options.getSyncFetchSpan());
    // Every key written back, and read again to the same options.
    assertEquals(node, new NodeOptions(node.toJson()));
  }

  static Stream<Arguments> wrongSections() {
    String key = PEER_KEY.publicKey().toString();
    return Stream.of(
        arguments(new JsonObject(),
            "config key 'antelope.chainId': expected the chain's id, 64 hex digits, got null"),
        arguments(minimal().put("chainId", CHAIN_ID.substring(2)),
            "config key 'antelope.chainId': expected the chain's id, 64 hex digits, got \""
                + CHAIN_ID.substring(2, 40)),
        arguments(minimal().put("chainId", CHAIN_ID.replace('a', 'g')), "config key 'antelope.chainId'"),
        arguments(minimal().put("syncFrom", "tail"),
            "config key 'antelope.syncFrom': expected \"head\" or a block number from 1, got \"tail\""),
        arguments(minimal().put("syncFrom", "0"), "config key 'antelope.syncFrom'"),
        arguments(minimal().put("syncFrom", "4294967296"), "config key 'antelope.syncFrom'"),
        arguments(minimal().put("networkVersion", 0x10000),
            "config key 'antelope.networkVersion': expected an integer from 1 to 65535, got 65536"),
        arguments(minimal().put("agent", "a".repeat(385)),
            "config key 'antelope.agent': expected at most 384 bytes of UTF-8"),
        // nodeos counts bytes: an agent of 193 two-byte characters makes every nodeos peer refuse our handshake.
        arguments(minimal().put("agent", "é".repeat(193)), "config key 'antelope.agent'"),
        arguments(minimal().put("p2pAddress", ""),
            "config key 'antelope.p2pAddress': expected 1 to 374 bytes of UTF-8, got \"\""),
        arguments(minimal().put("maxClientsPerHost", 0),
            "config key 'antelope.maxClientsPerHost': expected an integer >= 1, got 0"),
        // nodeos' "producers" needs the producer schedule, which this node does not follow.
        arguments(minimal().put("allowedConnection", "producers"),
            "config key 'antelope.allowedConnection': expected any, signed or specified, got \"producers\""),
        arguments(minimal().put("allowedConnection", "signed").put("allowedKeys", new JsonArray().add(key)
                .add("PUB_K1_notakey")),
            "config key 'antelope.allowedKeys': expected public keys (PUB_K1_... or EOS...), got \"PUB_K1_notakey\""),
        arguments(minimal().put("allowedConnection", "specified"),
            "config key 'antelope.allowedKeys': expected at least one key when allowedConnection is specified, got []"),
        arguments(minimal().put("blockWindow", 0),
            "config key 'antelope.blockWindow': expected an integer from 1 to 1000000, got 0"),
        arguments(minimal().put("transactionWindow", 10_000_001),
            "config key 'antelope.transactionWindow': expected an integer from 1 to 10000000, got 10000001"),
        arguments(minimal().put("syncFetchSpan", 0),
            "config key 'antelope.syncFetchSpan': expected an integer from 1 to 100000, got 0"),
        arguments(minimal().put("maxMessageSize", EIGHT_MIB + 1),
            "config key 'antelope.maxMessageSize': expected an integer from 1024 to 8388608, got 8388609"),
        arguments(minimal().put("allowedConection", "any"),
            "unknown config key 'antelope.allowedConection' (did you mean 'allowedConnection'?)"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("wrongSections")
  void everyRulesRefusalNamesItsKey(JsonObject antelope, String expected) {
    assertContains(refusal(new JsonObject().put("antelope", antelope)), expected);
  }

  /** The repository's example configs that run Antelope, if it ships any: each must load and write back unchanged. */
  @Test
  void theShippedAntelopeConfigsLoad() throws IOException {
    List<Path> configs;
    try (Stream<Path> files = Files.walk(Path.of("conf"))) {
      configs = files.filter(file -> file.toString().endsWith(".json") && mentionsAntelope(file)).toList();
    }
    assumeFalse(configs.isEmpty(), "no config in conf/ mentions antelope yet");
    for (Path config : configs) {
      NodeOptions options = NodeOptions.fromFile(config);
      assertNotNull(options.getProtocol(AntelopeProtocol.NAME), config + " has no antelope section");
      assertEquals(options, new NodeOptions(options.toJson()), config.toString());
    }
  }

  private static boolean mentionsAntelope(Path file) {
    try {
      return Files.readString(file).contains("antelope");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
