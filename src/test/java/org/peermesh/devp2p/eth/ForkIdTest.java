package org.peermesh.devp2p.eth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.peermesh.devp2p.rlp.RlpException;

/** EIP-2124's fork hashes and RLP vectors, and the JSON form of a fork id. */
class ForkIdTest {

  private static final HexFormat HEX = HexFormat.of();
  static final byte[] MAINNET_GENESIS =
      HEX.parseHex("d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3");

  /**
   * Mainnet's fork points and the hash after each, from EIP-2124's mainnet table up to Petersburg and go-ethereum's
   * core/forkid/forkid_test.go beyond (Constantinople and Petersburg share 7280000, counted once).
   */
  private static final long[] MAINNET_FORKS = {1150000, 1920000, 2463000, 2675000, 4370000, 7280000, 7280000,
      9069000, 9200000, 12244000, 12965000, 13773000, 15050000, 1681338455L, 1710338135L, 1746612311L};
  private static final String[] MAINNET_HASHES = {"fc64ec04", "97c2c34c", "91d1f948", "7a64da13", "3edd5b10",
      "a00bc324", "668db0af", "668db0af", "879d6e30", "e029e991", "0eb440f6", "b715077d", "20c327fc", "f0afd0e3",
      "dce96c2d", "9f3d2254", "c376cf8b"};

  @Test
  void hashesMainnetsForksAsEip2124AndGethDo() {
    assertEquals("fc64ec04", HEX.formatHex(ForkId.hashOf(MAINNET_GENESIS)));
    for (int passed = 0; passed <= MAINNET_FORKS.length; passed++) {
      assertEquals(MAINNET_HASHES[passed],
          HEX.formatHex(ForkId.hashOf(MAINNET_GENESIS, Arrays.copyOf(MAINNET_FORKS, passed))), "after " + passed);
    }
  }

  @Test
  void skipsForksAtGenesisAndRefusesDescendingPoints() {
    assertEquals("97c2c34c", HEX.formatHex(ForkId.hashOf(MAINNET_GENESIS, 0, 0, 1150000)));
    assertThrows(IllegalArgumentException.class, () -> ForkId.hashOf(MAINNET_GENESIS, 1920000, 1150000));
    assertThrows(IllegalArgumentException.class, () -> ForkId.hashOf(new byte[31]));
  }

  @Test
  void encodesEip2124sRlpVectors() {
    assertEquals("c6840000000080", HEX.formatHex(new ForkId(new byte[4], 0).encode()));
    assertEquals("ca84deadbeef84baddcafe", HEX.formatHex(new ForkId(HEX.parseHex("deadbeef"), 0xBADDCAFEL).encode()));
    assertEquals("ce84ffffffff88ffffffffffffffff", HEX.formatHex(new ForkId(HEX.parseHex("ffffffff"), -1L).encode()));
  }

  @Test
  void decodesEip2124sRlpVectors() {
    assertEquals(new ForkId(new byte[4], 0), ForkId.decode(HEX.parseHex("c6840000000080")));
    assertEquals(new ForkId(HEX.parseHex("deadbeef"), 0xBADDCAFEL), ForkId.decode(HEX.parseHex("ca84deadbeef84baddcafe")));
    ForkId max = ForkId.decode(HEX.parseHex("ce84ffffffff88ffffffffffffffff"));
    assertEquals(-1L, max.next());
    assertEquals("0xffffffff next 18446744073709551615", max.toString());
  }

  @Test
  void refusesWhatGethsStructDecoderRefuses() {
    assertEquals("extra_elements", assertThrows(EthMessageException.class,
        () -> ForkId.decode(HEX.parseHex("c784000000008080"))).kind());
    assertEquals("bad_length", assertThrows(EthMessageException.class,
        () -> ForkId.decode(HEX.parseHex("c58300000080"))).kind());
    assertEquals("out_of_range", assertThrows(EthMessageException.class,
        () -> ForkId.decode(HEX.parseHex("cf8400000000" + "8901" + "00".repeat(8)))).kind());
    assertEquals("missing", assertThrows(RlpException.class,
        () -> ForkId.decode(HEX.parseHex("c58400000000"))).kind());
    assertEquals("not_a_list", assertThrows(RlpException.class,
        () -> ForkId.decode(HEX.parseHex("8400000000"))).kind());
    assertEquals("bad_integer", assertThrows(RlpException.class,
        () -> ForkId.decode(HEX.parseHex("c884000000008200" + "01"))).kind());
  }

  @Test
  void readsAndWritesJson() {
    ForkId frontier = new ForkId(HEX.parseHex("fc64ec04"), 1150000);
    assertEquals(new JsonObject().put("hash", "0xfc64ec04").put("next", 1150000L), frontier.toJson());
    assertEquals(frontier, ForkId.fromJson(frontier.toJson()));
    assertEquals(frontier, ForkId.fromJson(new JsonObject("{\"hash\": \"FC64EC04\", \"next\": 1150000}")));
    ForkId max = new ForkId(HEX.parseHex("ffffffff"), -1L);
    assertEquals(new BigInteger("18446744073709551615"), max.toJson().getValue("next"));
    assertEquals(max, ForkId.fromJson(new JsonObject("{\"hash\": \"0xffffffff\", \"next\": 18446744073709551615}")));
  }

  @Test
  void refusesBadJsonNamingTheKey() {
    for (String bad : new String[] {"{\"next\": 0}", "{\"hash\": \"0xfc64ec0\", \"next\": 0}",
        "{\"hash\": \"0xfc64ec0g\", \"next\": 0}", "{\"hash\": 5, \"next\": 0}"}) {
      String message = assertThrows(IllegalArgumentException.class, () -> ForkId.fromJson(new JsonObject(bad)))
          .getMessage();
      assertEquals(true, message.startsWith("fork id hash"), message);
    }
    for (String bad : new String[] {"{\"hash\": \"fc64ec04\"}", "{\"hash\": \"fc64ec04\", \"next\": -1}",
        "{\"hash\": \"fc64ec04\", \"next\": 1.5}", "{\"hash\": \"fc64ec04\", \"next\": \"1\"}",
        "{\"hash\": \"fc64ec04\", \"next\": 18446744073709551616}"}) {
      String message = assertThrows(IllegalArgumentException.class, () -> ForkId.fromJson(new JsonObject(bad)))
          .getMessage();
      assertEquals(true, message.startsWith("fork id next"), message);
    }
  }

  @Test
  void isImmutable() {
    byte[] hash = HEX.parseHex("fc64ec04");
    ForkId forkId = new ForkId(hash, 0);
    hash[0] = 0;
    forkId.hash()[1] = 0;
    assertArrayEquals(HEX.parseHex("fc64ec04"), forkId.hash());
    assertThrows(IllegalArgumentException.class, () -> new ForkId(new byte[5], 0));
  }
}
