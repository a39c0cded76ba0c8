package org.peermesh.antelope.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** fc's primitives, names and checksums. */
class FcPrimitivesTest {

  private static final HexFormat HEX = HexFormat.of();

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 0x7F, 0x80, 0x3FFF, 0x4000, 0x1F_FFFF, 0x20_0000, 0xFFF_FFFF, 0x1000_0000, 0xFFFF_FFFFL})
  void varuint32RoundTripsAtEveryWidth(long value) {
    FcWriter out = new FcWriter().varuint32(value);
    FcReader in = new FcReader(out.buffer());
    assertEquals(value, in.varuint32("value"));
    in.requireEnd("value");
    assertEquals(1 + (63 - Long.numberOfLeadingZeros(value | 1)) / 7, out.buffer().length());
  }

  @Test
  void integersAreLittleEndianAndRangeChecked() {
    FcWriter out = new FcWriter().u8(0xFF).u16(0x0102).i16(-2).u32(0xA0B0C0D0L).i64(-1).u64(0x8000000000000000L)
        .bool(true).optional(Optional.of(7L), FcWriter::u32).optional(Optional.<Long>empty(), FcWriter::u32)
        .vector(List.of("a", "é"), FcWriter::string).bytes(new byte[] {9});
    assertEquals("ff0201feffd0c0b0a0ffffffffffffffff000000000000008001010700000000020161" + "02c3a9" + "0109",
        HEX.formatHex(out.buffer().getBytes()));
    FcReader in = new FcReader(out.buffer());
    assertEquals(0xFF, in.u8("a"));
    assertEquals(0x0102, in.u16("b"));
    assertEquals(-2, in.i16("c"));
    assertEquals(0xA0B0C0D0L, in.u32("d"));
    assertEquals(-1, in.i64("e"));
    assertEquals(0x8000000000000000L, in.u64("f"));
    assertTrue(in.bool("g"));
    assertEquals(Optional.of(7L), in.optional("h", reader -> reader.u32("h")));
    assertEquals(Optional.empty(), in.optional("i", reader -> reader.u32("i")));
    assertEquals(List.of("a", "é"), in.vector("j", 1, reader -> reader.string("j", 10)));
    assertArrayEquals(new byte[] {9}, in.bytes("k"));
    in.requireEnd("all");
    assertThrows(IllegalArgumentException.class, () -> new FcWriter().u16(0x10000));
    assertThrows(IllegalArgumentException.class, () -> new FcWriter().i16(0x8000));
    assertThrows(IllegalArgumentException.class, () -> new FcWriter().u32(-1));
    assertThrows(IllegalArgumentException.class, () -> new FcWriter().varuint32(0x1_0000_0000L));
  }

  @Test
  void readsPastTheSliceAreTruncated() {
    FcReader in = new FcReader(Buffer.buffer(HEX.parseHex("0102030405")), 1, 3);
    assertEquals(0x0302, in.u16("x"));
    AntelopeWireException e = assertThrows(AntelopeWireException.class, () -> in.u8("y"));
    assertEquals("truncated", e.kind());
    assertTrue(e.detail().startsWith("y at offset 3"), e.detail());
  }

  @Test
  void namesConvertBothWays() {
    assertEquals(0x5530EA0000000000L, AntelopeName.fromText("eosio"));
    assertEquals("eosio", AntelopeName.toText(0x5530EA0000000000L));
    assertEquals("eosio.token", AntelopeName.toText(AntelopeName.fromText("eosio.token")));
    assertEquals("", AntelopeName.toText(0));
    assertEquals(0, AntelopeName.fromText(""));
    assertEquals("zzzzzzzzzzzzj", AntelopeName.toText(-1));
    assertEquals(-1, AntelopeName.fromText("zzzzzzzzzzzzj"));
    assertEquals("producer.a1j", AntelopeName.toText(AntelopeName.fromText("producer.a1j")));
    assertThrows(IllegalArgumentException.class, () -> AntelopeName.fromText("zzzzzzzzzzzzk"));
    assertThrows(IllegalArgumentException.class, () -> AntelopeName.fromText("aaaaaaaaaaaaaa"));
    assertThrows(IllegalArgumentException.class, () -> AntelopeName.fromText("Eosio"));
    assertThrows(IllegalArgumentException.class, () -> AntelopeName.fromText("eos6"));
  }

  @Test
  void checksumsAreImmutableValues() {
    byte[] bytes = new byte[32];
    bytes[3] = 0x79;
    Checksum256 id = Checksum256.of(bytes);
    bytes[0] = 1;
    assertEquals(0x79, id.blockNumOfId());
    id.bytes()[0] = 1;
    assertFalse(id.isZero());
    assertEquals(0, id.bytes()[0]);
    assertEquals(id, Checksum256.fromHex(id.toHex().toUpperCase()));
    assertEquals(id.toHex(), id.toString());
    assertTrue(Checksum256.ZERO.isZero());
    assertEquals(0xFFFFFFFFL, Checksum256.fromHex("ff".repeat(32)).blockNumOfId());
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        Checksum256.sha256("a".getBytes(), "bc".getBytes()).toHex());
    assertThrows(IllegalArgumentException.class, () -> Checksum256.of(new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> Checksum256.fromHex("00"));
  }

  @Test
  void goAwayReasonsAndModesByCode() {
    assertEquals(Optional.of(GoAwayReason.AUTHENTICATION), GoAwayReason.ofCode(11));
    assertEquals(Optional.empty(), GoAwayReason.ofCode(12));
    assertEquals(Optional.empty(), GoAwayReason.ofCode(-1));
    assertEquals("chain is forked", GoAwayReason.FORKED.description());
    assertEquals("benign_other", GoAwayReason.BENIGN_OTHER.jsonName());
    for (GoAwayReason reason : GoAwayReason.values()) {
      assertEquals(reason.ordinal(), reason.code());
    }
    assertEquals(Optional.of(IdListMode.LAST_IRR_CATCH_UP), IdListMode.ofCode(2));
    assertEquals(Optional.empty(), IdListMode.ofCode(4));
    assertEquals("catch_up", IdListMode.CATCH_UP.jsonName());
  }
}
