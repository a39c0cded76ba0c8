package org.peermesh.bitcoin.peer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.net.PeerAddress;
import org.peermesh.node.NodeOptions;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.peermesh.testing.ConfigAssertions.assertContains;
import static org.peermesh.testing.ConfigAssertions.refusal;

class BitcoinOptionsTest {

  /** The {@code bitcoin} section of a node configuration, read as a file would be. */
  private static BitcoinOptions section(JsonObject bitcoin) {
    return (BitcoinOptions) new NodeOptions(new JsonObject().put("bitcoin", bitcoin)).getProtocol(BitcoinProtocol.NAME);
  }

  /** Why a node configuration with this {@code bitcoin} section is refused. */
  private static String bitcoinRefusal(JsonObject bitcoin) {
    return refusal(new JsonObject().put("bitcoin", bitcoin));
  }

  @Test
  void theShippedRegtestExampleWatchesALocalRegtestNodeWithoutTheMesh() {
    NodeOptions options = NodeOptions.fromFile(Path.of("conf", "bitcoin-regtest.json"));
    assertNull(options.getMesh());
    BitcoinOptions bitcoin = (BitcoinOptions) options.getProtocol(BitcoinProtocol.NAME);
    assertEquals(BitcoinNetwork.REGTEST, bitcoin.getNetwork());
    assertEquals(List.of(new PeerAddress("127.0.0.1", 18444)), bitcoin.getConnect());
    assertEquals(new PeerAddress("127.0.0.1", 18555), bitcoin.getListen());
    assertNull(bitcoin.getProxy());
    assertEquals(options, new NodeOptions(options.toJson()));
  }

  @Test
  void everyKnownNetworkHasItsMagicPortAndGenesis() {
    assertEquals("f9beb4d9", BitcoinNetwork.MAINNET.magicHex());
    assertEquals(8333, BitcoinNetwork.MAINNET.defaultPort());
    assertEquals("fabfb5da", BitcoinNetwork.REGTEST.magicHex());
    assertEquals(18444, BitcoinNetwork.REGTEST.defaultPort());
    assertEquals(BitcoinNetwork.TESTNET3, BitcoinNetwork.byName("testnet").orElseThrow());
    for (BitcoinNetwork network : BitcoinNetwork.KNOWN) {
      assertEquals(network, section(new JsonObject().put("network", network.name())).getNetwork());
      assertEquals(64, network.genesisHash().length());
    }
  }

  @Test
  void aCustomNetworkIsANameWithMagicAndPort() {
    BitcoinOptions custom = section(new JsonObject().put("network", "mynet").put("magic", "0xdab5bffa")
        .put("port", 19000).put("proxy", new PeerAddress("127.0.0.1", 9050).toJson()));
    assertEquals(BitcoinNetwork.custom("mynet", 0xdab5bffa, 19000), custom.getNetwork());
    assertTrue(custom.getNetwork().isCustom());
    assertEquals(19000, custom.defaultPort());
    assertEquals(new PeerAddress("127.0.0.1", 9050), custom.getProxy());
    assertEquals(custom, custom.copy());
    assertEquals(custom.getNetwork(), new BitcoinOptions().setNetwork(custom.getNetwork()).getNetwork());
  }

  @Test
  void wrongSectionsAreRefusedWithTheKeyPath() {
    assertContains(bitcoinRefusal(new JsonObject().put("network", "mynet")),
        "config key 'bitcoin.network': expected mainnet, testnet3, testnet4, signet or regtest, or a custom network");
    assertContains(bitcoinRefusal(new JsonObject().put("network", "regtest").put("magic", "fabfb5da")),
        "config key 'bitcoin.network'");
    assertContains(bitcoinRefusal(new JsonObject().put("network", "x").put("magic", "xyz").put("port", 1)),
        "config key 'bitcoin.magic': expected 8 hex digits");
    assertContains(
        bitcoinRefusal(new JsonObject().put("connect", new JsonArray().add(new JsonObject().put("host", "h")))),
        "config key 'bitcoin.connect[0].port'");
    assertContains(bitcoinRefusal(new JsonObject().put("conect", new JsonArray())),
        "unknown config key 'bitcoin.conect' (did you mean 'connect'?)");
    assertContains(bitcoinRefusal(new JsonObject().put("pingInterval", 1000).put("peerTimeout", 1000)),
        "config key 'bitcoin.peerTimeout': must be greater than pingInterval (1000)");
    assertContains(bitcoinRefusal(new JsonObject().put("maxMessageSize", 100)),
        "config key 'bitcoin.maxMessageSize': expected an integer from 1024 to 33554432, got 100");
    assertContains(refusal(new JsonObject().put("mesh", false)),
        "config key 'mesh': expected a section, or another protocol's section for the node to run instead");
  }

  @Test
  void defaultsAreThoseOfAWatcherOnMainnet() {
    BitcoinOptions defaults = new BitcoinOptions();
    assertEquals(BitcoinNetwork.MAINNET, defaults.getNetwork());
    assertEquals(4_000_000, defaults.getMaxMessageSize());
    assertEquals(4_000_024, defaults.maxFrameSize());
    assertEquals(70016, defaults.getProtocolVersion());
    assertEquals(0, defaults.getServices());
    assertTrue(defaults.isRelay());
    assertTrue(defaults.isFetchAnnounced());
    assertNull(defaults.getListen());
    assertEquals(List.of(), defaults.getConnect());
    assertEquals(60_000, defaults.getHandshakeTimeout());
    assertEquals(defaults, section(new JsonObject()));
    assertEquals(defaults, section(new JsonObject()).copy());
  }
}
