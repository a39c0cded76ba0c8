package org.peermesh.devp2p.rlpx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SnappyCodecTest {

  private static final HexFormat HEX = HexFormat.of();

  /** golang/snappy snappy_test.go, TestDecode: the valid cases (input, decoded). */
  private static final String[][] GOLANG_VALID = {
      {"00", ""},
      {"03" + "08ffffff", "ffffff"},
      {"03" + "f002ffffff", "ffffff"},
      {"03" + "f40200ffffff", "ffffff"},
      {"03" + "f8020000ffffff", "ffffff"},
      {"03" + "fc02000000ffffff", "ffffff"},
      {"04" + "0c" + ascii("abcd"), ascii("abcd")},
      {"0d" + "0c" + ascii("abcd") + "1504", ascii("abcdabcdabcda")},
      {"08" + "0c" + ascii("abcd") + "0104", ascii("abcdabcd")},
      {"08" + "0c" + ascii("abcd") + "0102", ascii("abcdcdcd")},
      {"08" + "0c" + ascii("abcd") + "0101", ascii("abcddddd")},
      {"06" + "0c" + ascii("abcd") + "060300", ascii("abcdbc")},
  };

  /** golang/snappy snappy_test.go, TestDecode and TestInvalidVarint: the corrupt cases. */
  private static final String[] GOLANG_CORRUPT = {
      "02" + "08ffffff",                  // literal longer than the declared length
      "03" + "08ffff",                    // literal cut short
      "01" + "f0",                        // 1-byte literal length missing
      "01" + "f400",                      // 2-byte literal length cut short
      "01" + "f80000",                    // 3-byte literal length cut short
      "01" + "fc000000",                  // 4-byte literal length cut short
      "01" + "fc02000000ffffff",          // literal longer than the declared length
      "04" + "fc02000000ff",              // literal cut short
      "04" + "01",                        // copy-1 missing its offset byte
      "04" + "0200",                      // copy-2 missing an offset byte
      "08" + "0c" + ascii("abcd") + "0100", // zero offset
      "09" + "0c" + ascii("abcd") + "0104", // decodes to less than declared
      "08" + "0c" + ascii("abcd") + "0105", // offset before the start
      "07" + "0c" + ascii("abcd") + "0104", // copy past the declared length
      "ff",                               // varint whose last byte continues
      "ffffffffffffffffffff00",           // varint over 64 bits
      "8080808010",                       // varint over 32 bits
  };

  @Test
  void decodesGolangSnappyVectors() {
    for (String[] vector : GOLANG_VALID) {
      assertArrayEquals(HEX.parseHex(vector[1]),
          SnappyCodec.decompress(HEX.parseHex(vector[0]), SnappyCodec.MAX_DECODED_SIZE), vector[0]);
    }
  }

  @Test
  void decodesGolangSnappyWriterGoldenBlock() {
    // golang/snappy snappy_test.go, TestWriterGoldenOutput: the compressed chunk's payload, 100 times 'A'.
    byte[] block = HEX.parseHex("64" + "0041" + "fe0100" + "8a0100");
    byte[] expected = new byte[100];
    Arrays.fill(expected, (byte) 'A');
    assertArrayEquals(expected, SnappyCodec.decompress(block, SnappyCodec.MAX_DECODED_SIZE));
  }

  @Test
  void refusesGolangSnappyCorruptVectors() {
    for (String vector : GOLANG_CORRUPT) {
      RlpxException e = assertThrows(RlpxException.class,
          () -> SnappyCodec.decompress(HEX.parseHex(vector), SnappyCodec.MAX_DECODED_SIZE), vector);
      assertEquals("bad_snappy", e.kind(), vector);
    }
  }

  @Test
  void refusesEmptyInputAndTruncatedVarint() {
    assertEquals("bad_snappy",
        assertThrows(RlpxException.class, () -> SnappyCodec.decompress(new byte[0], 10)).kind());
    assertEquals("bad_snappy",
        assertThrows(RlpxException.class, () -> SnappyCodec.decompress(HEX.parseHex("8080"), 10)).kind());
  }

  @Test
  void refusesBombFromItsDeclaredLengthAlone() {
    // Four bytes declaring 16 MiB + 1: refused before any output buffer exists.
    byte[] bomb = HEX.parseHex("81808008");
    RlpxException e = assertThrows(RlpxException.class,
        () -> SnappyCodec.decompress(bomb, SnappyCodec.MAX_DECODED_SIZE));
    assertEquals("snappy_too_large", e.kind());
    assertTrue(e.detail().contains("16777217"), e.detail());
    // The largest 32-bit declaration, 4 GiB - 1.
    assertEquals("snappy_too_large", assertThrows(RlpxException.class,
        () -> SnappyCodec.decompress(HEX.parseHex("ffffffff0f00"), SnappyCodec.MAX_DECODED_SIZE)).kind());
  }

  @Test
  void refusesOverCallerLimit() {
    byte[] block = SnappyCodec.compress(new byte[1000]);
    assertEquals("snappy_too_large",
        assertThrows(RlpxException.class, () -> SnappyCodec.decompress(block, 999)).kind());
    assertEquals(1000, SnappyCodec.decompress(block, 1000).length);
  }

  @Test
  void refusesLimitsOutsideTheFrameCap() {
    assertThrows(IllegalArgumentException.class,
        () -> SnappyCodec.decompress(new byte[] {0}, SnappyCodec.MAX_DECODED_SIZE + 1));
    assertThrows(IllegalArgumentException.class, () -> SnappyCodec.decompress(new byte[] {0}, -1));
  }

  @Test
  void pingPayloadCompressesAsDevp2pSendsIt() {
    // devp2p.md: Ping/Pong carry [] (C0), which snappy writes as 01 00 C0.
    assertArrayEquals(HEX.parseHex("0100c0"), SnappyCodec.compress(HEX.parseHex("c0")));
  }

  @Test
  void roundTripsNearOneMebibyte() {
    Random random = new Random(7);
    byte[] noise = new byte[(1 << 20) - 3];
    random.nextBytes(noise);
    assertArrayEquals(noise, SnappyCodec.decompress(SnappyCodec.compress(noise), SnappyCodec.MAX_DECODED_SIZE));
    byte[] text = "devp2p snappy round trip ".repeat(42_000).getBytes(StandardCharsets.US_ASCII);
    byte[] compressed = SnappyCodec.compress(text);
    assertTrue(compressed.length < text.length / 10);
    assertArrayEquals(text, SnappyCodec.decompress(compressed, text.length));
  }

  @Test
  void truncatedBlocksAreRefused() {
    byte[] block = SnappyCodec.compress("abcdabcdabcdabcdabcd-xyz".getBytes(StandardCharsets.US_ASCII));
    for (int length = 0; length < block.length; length++) {
      byte[] cut = Arrays.copyOf(block, length);
      assertEquals("bad_snappy",
          assertThrows(RlpxException.class, () -> SnappyCodec.decompress(cut, 100)).kind(), "length " + length);
    }
  }

  private static String ascii(String text) {
    return HEX.formatHex(text.getBytes(StandardCharsets.US_ASCII));
  }
}
