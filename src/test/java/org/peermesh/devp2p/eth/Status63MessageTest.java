package org.peermesh.devp2p.eth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.peermesh.devp2p.rlp.RlpException;

/**
 * eth/63's Status, and eth/64's as {@link StatusMessage}, on RLP checked by hand: no published vector of either is
 * known to us (old go-ethereum's and ESC's tests build their Status from Go structs).
 */
class Status63MessageTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String G = HEX.formatHex(ForkIdTest.MAINNET_GENESIS);
  /**
   * [63, 1, 0x0400000000, genesis, genesis]: 0x3f and 0x01 are single bytes, the td is 0x85 and five bytes, each hash
   * 0xa0 and 32 bytes; 74 bytes of payload, so the list's prefix is 0xf8 0x4a.
   */
  private static final String ETH63 = "f84a3f01850400000000a0" + G + "a0" + G;
  /** The same fields as eth/64 (0x40), and the fork id [0xfc64ec04, 1150000] = 0xc9 0x84 fc64ec04 0x83 118c30. */
  private static final String ETH64 = "f8544001850400000000a0" + G + "a0" + G + "c984fc64ec0483118c30";
  private static final BigInteger TD = BigInteger.valueOf(0x4_0000_0000L);

  @Test
  void decodesAndEncodesAHandCheckedEth63Status() {
    Status63Message status = Status63Message.decode(HEX.parseHex(ETH63));
    assertEquals(new Status63Message(63, 1, TD, ForkIdTest.MAINNET_GENESIS, ForkIdTest.MAINNET_GENESIS), status);
    assertEquals(ETH63, HEX.formatHex(status.encode()));
  }

  @Test
  void eth64sStatusIsEth68sShapeWithItsVersion() {
    StatusMessage status = StatusMessage.decode(HEX.parseHex(ETH64));
    assertEquals(new StatusMessage(StatusMessage.ETH64, 1, TD, ForkIdTest.MAINNET_GENESIS,
        ForkIdTest.MAINNET_GENESIS, new ForkId(HEX.parseHex("fc64ec04"), 1_150_000)), status);
    assertEquals(ETH64, HEX.formatHex(status.encode()));
  }

  @Test
  void neitherVersionsStatusPassesForTheOthers() {
    // go-ethereum's structs take no tail and miss no field.
    assertEquals("extra_elements", assertThrows(EthMessageException.class,
        () -> Status63Message.decode(HEX.parseHex(ETH64))).kind());
    assertThrows(RlpException.class, () -> StatusMessage.decode(HEX.parseHex(ETH63)));
  }

  @Test
  void refusesFieldsOfTheWrongSize() {
    String shortHash = "f8493f01850400000000a0" + G + "9f" + G.substring(2);
    assertEquals("bad_length", assertThrows(EthMessageException.class,
        () -> Status63Message.decode(HEX.parseHex(shortHash))).kind());
    String wideVersion = "f84f" + "850100000000" + "01" + "850400000000" + "a0" + G + "a0" + G;
    assertEquals("out_of_range", assertThrows(EthMessageException.class,
        () -> Status63Message.decode(HEX.parseHex(wideVersion))).kind());
  }

  @Test
  void isImmutableAndChecksItsFields() {
    byte[] genesis = ForkIdTest.MAINNET_GENESIS.clone();
    Status63Message status = new Status63Message(63, 1, TD, genesis, genesis);
    genesis[0] ^= 1;
    status.genesis()[0] ^= 1;
    assertArrayEquals(ForkIdTest.MAINNET_GENESIS, status.genesis());
    assertThrows(IllegalArgumentException.class, () -> new Status63Message(63, 1, TD, new byte[31], genesis));
    assertThrows(IllegalArgumentException.class, () -> new Status63Message(1L << 32, 1, TD, genesis, genesis));
    assertThrows(IllegalArgumentException.class,
        () -> new Status63Message(63, 1, BigInteger.ONE.negate(), genesis, genesis));
    assertThrows(IllegalArgumentException.class,
        () -> new Status63Message(63, 1, BigInteger.ONE.shiftLeft(256), genesis, genesis));
  }
}
