package org.peermesh.devp2p.eth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.peermesh.testing.ConfigAssertions.assertContains;
import static org.peermesh.testing.ConfigAssertions.refusal;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The {@code eth} section: every key required and checked by name, JSON both ways, and the Status it makes. */
class EthOptionsTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String GENESIS = "0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3";

  private static JsonObject mainnet() {
    return new JsonObject().put("networkId", 1).put("genesisHash", GENESIS)
        .put("forkId", new JsonObject().put("hash", "0x9f3d2254").put("next", 1746612311L));
  }

  @Test
  void makesAWatchersStatusStandingAtGenesis() {
    StatusMessage status = EthOptions.fromJson(mainnet()).status();

    assertEquals(StatusMessageTest.mainnet(), status);
    assertEquals(68, status.protocolVersion());
    assertEquals(BigInteger.ZERO, status.td());
    assertArrayEquals(ForkIdTest.MAINNET_GENESIS, status.blockHash());
    assertEquals(new ForkId(HEX.parseHex("9f3d2254"), 1746612311L), status.forkId());
  }

  @Test
  void makesTheSameStatusForEth64AndWithoutTheForkIdForEth63() {
    EthOptions options = EthOptions.fromJson(mainnet());
    StatusMessage eth68 = options.status();
    StatusMessage eth64 = options.status64();
    assertEquals(64, eth64.protocolVersion());
    assertEquals(new StatusMessage(68, eth64.networkId(), eth64.td(), eth64.blockHash(), eth64.genesis(),
        eth64.forkId()), eth68);
    assertEquals(new Status63Message(63, 1, BigInteger.ZERO, ForkIdTest.MAINNET_GENESIS, ForkIdTest.MAINNET_GENESIS),
        options.status63());
  }

  @Test
  void roundTripsThroughJsonAndSetters() {
    EthOptions options = EthOptions.fromJson(mainnet());
    assertEquals(mainnet(), options.toJson());
    assertEquals(options, EthOptions.fromJson(options.toJson()));
    EthOptions set = new EthOptions().setNetworkId(1).setGenesisHash(GENESIS)
        .setForkId(new ForkId(HEX.parseHex("9f3d2254"), 1746612311L));
    assertEquals(options, set);
    assertEquals(1L, set.getNetworkId());
    assertEquals(GENESIS, set.getGenesisHash());
  }

  @Test
  void takesHashesWithoutThePrefixOrInUpperCase() {
    JsonObject json = mainnet().put("genesisHash", GENESIS.substring(2).toUpperCase());
    json.getJsonObject("forkId").put("hash", "9F3D2254");
    assertEquals(StatusMessageTest.mainnet(), EthOptions.fromJson(json).status());
  }

  @Test
  void refusesAMissingKeyByName() {
    for (String key : new String[] {"networkId", "genesisHash", "forkId"}) {
      JsonObject json = mainnet();
      json.remove(key);
      assertContains(refusal(() -> EthOptions.fromJson(json)), "config key '" + key + "'");
    }
    assertContains(refusal(() -> EthOptions.fromJson(new JsonObject().put("forkId", new JsonObject().put("next", 0)))),
        "config key 'forkId.hash'");
  }

  @Test
  void refusesBadValuesByName() {
    assertContains(refusal(() -> EthOptions.fromJson(mainnet().put("networkId", -1))), "config key 'networkId'");
    assertContains(refusal(() -> EthOptions.fromJson(mainnet().put("networkId", "1"))), "config key 'networkId'");
    assertContains(refusal(() -> EthOptions.fromJson(mainnet().put("genesisHash", GENESIS.substring(0, 64)))),
        "config key 'genesisHash'");
    assertContains(refusal(() -> EthOptions.fromJson(mainnet().put("genesisHash", GENESIS.replace('d', 'g')))),
        "config key 'genesisHash'");
    JsonObject badHash = mainnet();
    badHash.getJsonObject("forkId").put("hash", "0x9f3d225");
    assertContains(refusal(() -> EthOptions.fromJson(badHash)), "config key 'forkId.hash'");
    JsonObject badNext = mainnet();
    badNext.getJsonObject("forkId").put("next", -5);
    assertContains(refusal(() -> EthOptions.fromJson(badNext)), "config key 'forkId.next'");
    assertContains(refusal(() -> EthOptions.fromJson(mainnet().put("forkid", 1))), "did you mean 'forkId'");
  }
}
