package org.peermesh.devp2p.eth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpException;
import org.peermesh.devp2p.rlp.RlpItem;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;
import org.peermesh.net.MalformedInputException;

/**
 * Status on published vectors (reth's eth-wire-types status.rs tests: a mainnet Status of eth/67 and two of eth/66,
 * the same six fields as eth/68), round trips and every refusal of go-ethereum's struct decoder.
 */
class StatusMessageTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String MAINNET_STATUS = "f85643018a07aac59dabcdd74bc567a0feb27336ca7923f8fab3bd617fcb6e7584153"
      + "8f71c1bcfc267d7838489d9e13da0d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3c684b715077d80";
  private static final String BSC_STATUS = "f850423884024190faa0f8514c4680ef27700751b08f37645309ce65a449616a3ea966bf39d"
      + "d935bb27ba00d21840abff46b96c84b2ac9e10e4f5cdaeb5693cb665db62a2f3b02d2d57b5bc6845d43d2fd80";
  private static final String CHAIN_2100_STATUS = "f86142820834936d68fcffffffffffffffffffffffffdeab81b8a0523e8163a6d620a"
      + "4cc152c547a05f28a03fec91a2a615194cb86df9731372c0ca06499dccdc7c7def3ebb1ce4c6ee27ec6bd02aee570625ca391919faf77ef2"
      + "7bdc6841a67ccd880";

  static StatusMessage mainnet() {
    return new StatusMessage(68, 1, BigInteger.ZERO, ForkIdTest.MAINNET_GENESIS, ForkIdTest.MAINNET_GENESIS,
        new ForkId(HEX.parseHex("9f3d2254"), 1746612311L));
  }

  @Test
  void decodesAndEncodesRethsMainnetVector() {
    StatusMessage status = StatusMessage.decode(HEX.parseHex(MAINNET_STATUS));

    assertEquals(67, status.protocolVersion());
    assertEquals(1, status.networkId());
    assertEquals(new BigInteger("36206751599115524359527"), status.td());
    assertArrayEquals(HEX.parseHex("feb27336ca7923f8fab3bd617fcb6e75841538f71c1bcfc267d7838489d9e13d"),
        status.blockHash());
    assertArrayEquals(ForkIdTest.MAINNET_GENESIS, status.genesis());
    assertEquals(new ForkId(HEX.parseHex("b715077d"), 0), status.forkId());
    assertEquals(MAINNET_STATUS, HEX.formatHex(status.encode()));
  }

  @Test
  void decodesAndEncodesRethsOtherNetworksVectors() {
    StatusMessage bsc = StatusMessage.decode(HEX.parseHex(BSC_STATUS));
    assertEquals(66, bsc.protocolVersion());
    assertEquals(56, bsc.networkId());
    assertEquals(BigInteger.valueOf(37851386), bsc.td());
    assertEquals(new ForkId(HEX.parseHex("5d43d2fd"), 0), bsc.forkId());
    assertEquals(BSC_STATUS, HEX.formatHex(bsc.encode()));

    StatusMessage other = StatusMessage.decode(HEX.parseHex(CHAIN_2100_STATUS));
    assertEquals(2100, other.networkId());
    assertEquals(new BigInteger("6d68fcffffffffffffffffffffffffdeab81b8", 16), other.td());
    assertEquals(CHAIN_2100_STATUS, HEX.formatHex(other.encode()));
  }

  @Test
  void roundTripsTheExtremesOfEveryField() {
    StatusMessage ours = mainnet();
    assertEquals(ours, StatusMessage.decode(ours.encode()));
    StatusMessage max = new StatusMessage(0xFFFF_FFFFL, -1L, BigInteger.TWO.pow(256).subtract(BigInteger.ONE),
        new byte[32], new byte[32], new ForkId(new byte[4], -1L));
    StatusMessage decoded = StatusMessage.decode(max.encode());
    assertEquals(max, decoded);
    assertEquals("18446744073709551615", Long.toUnsignedString(decoded.networkId()));
  }

  @Test
  void ignoresBytesAfterTheListAsGethsStreamDecoderDoes() {
    byte[] payload = HEX.parseHex(MAINNET_STATUS + "c0ff");
    assertEquals(StatusMessage.decode(HEX.parseHex(MAINNET_STATUS)), StatusMessage.decode(payload));
  }

  @Test
  void refusesAnExtraElementAsGethsTaillessStructDoes() {
    assertEquals("extra_elements", refusal(withField(6, RlpString.EMPTY)).kind());
  }

  @Test
  void refusesFieldsOfTheWrongSizeOrKind() {
    assertEquals("bad_length", refusal(withField(3, RlpString.of(new byte[31]))).kind());
    assertEquals("bad_length", refusal(withField(4, RlpString.of(new byte[33]))).kind());
    assertEquals("out_of_range", refusal(withField(0, RlpString.of(0x1_0000_0000L))).kind());
    assertEquals("out_of_range", refusal(withField(1, RlpString.of(BigInteger.ONE.shiftLeft(64)))).kind());
    assertEquals("out_of_range", refusal(withField(2, RlpString.of(BigInteger.ONE.shiftLeft(256)))).kind());
    assertEquals("bad_integer", refusal(withField(1, RlpString.of(new byte[] {0, 1}))).kind());
    assertEquals("not_a_string", refusal(withField(1, RlpList.EMPTY)).kind());
    assertEquals("not_a_list", refusal(withField(5, RlpString.EMPTY)).kind());
    assertEquals("extra_elements", refusal(withField(5, RlpList.of(RlpString.of(new byte[4]), RlpString.EMPTY,
        RlpString.EMPTY))).kind());
  }

  @Test
  void refusesMissingFieldsAndMalformedRlp() {
    RlpList full = (RlpList) Rlp.decode(mainnet().encode());
    assertEquals("missing", refusal(new RlpList(full.items().subList(0, 5))).kind());
    assertEquals("not_a_list", assertThrows(RlpException.class, () -> StatusMessage.decode(HEX.parseHex("44")))
        .kind());
    assertEquals("truncated", assertThrows(RlpException.class,
        () -> StatusMessage.decode(HEX.parseHex(MAINNET_STATUS.substring(0, 100)))).kind());
    assertEquals("truncated", assertThrows(RlpException.class, () -> StatusMessage.decode(new byte[0])).kind());
  }

  @Test
  void isImmutableAndChecksItsFields() {
    byte[] genesis = ForkIdTest.MAINNET_GENESIS.clone();
    StatusMessage status = new StatusMessage(68, 1, BigInteger.ZERO, genesis, genesis, mainnet().forkId());
    genesis[0] = 0;
    status.genesis()[1] = 0;
    assertArrayEquals(ForkIdTest.MAINNET_GENESIS, status.genesis());
    assertArrayEquals(ForkIdTest.MAINNET_GENESIS, status.blockHash());
    assertThrows(IllegalArgumentException.class,
        () -> new StatusMessage(-1, 1, BigInteger.ZERO, genesis, genesis, status.forkId()));
    assertThrows(IllegalArgumentException.class,
        () -> new StatusMessage(68, 1, BigInteger.ONE.negate(), genesis, genesis, status.forkId()));
    assertThrows(IllegalArgumentException.class,
        () -> new StatusMessage(68, 1, BigInteger.ZERO, new byte[31], genesis, status.forkId()));
  }

  /** Our mainnet Status with field {@code index} replaced (or, one past the end, appended). */
  private static RlpList withField(int index, RlpItem value) {
    RlpList full = (RlpList) Rlp.decode(mainnet().encode());
    java.util.List<RlpItem> items = new java.util.ArrayList<>(full.items());
    if (index == items.size()) {
      items.add(value);
    } else {
      items.set(index, value);
    }
    return new RlpList(items);
  }

  private static MalformedInputException refusal(RlpList status) {
    return assertThrows(MalformedInputException.class, () -> StatusMessage.decode(Rlp.encode(status)));
  }
}
