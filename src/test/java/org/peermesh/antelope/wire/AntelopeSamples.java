package org.peermesh.antelope.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;
import org.peermesh.antelope.crypto.AntelopePublicKey;
import org.peermesh.antelope.crypto.AntelopeSignature;
import org.peermesh.antelope.crypto.KeyType;

/**
 * One message of every type with values that exercise each field: extremes of the integer ranges, non-ASCII
 * strings, optional fields present, extensions, receipts of both kinds, zlib and uncompressed transactions, R1 keys.
 */
public final class AntelopeSamples {

  private static final HexFormat HEX = HexFormat.of();

  private AntelopeSamples() {
  }

  public static Checksum256 checksum(int fill) {
    byte[] bytes = new byte[Checksum256.LENGTH];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (fill + i);
    }
    return Checksum256.of(bytes);
  }

  public static AntelopeSignature signature(KeyType type, int fill) {
    byte[] bytes = new byte[AntelopeSignature.LENGTH];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (fill * 7 + i);
    }
    return new AntelopeSignature(type, bytes);
  }

  public static AntelopePublicKey key(KeyType type, int fill) {
    byte[] bytes = new byte[AntelopePublicKey.LENGTH];
    bytes[0] = 2;
    for (int i = 1; i < bytes.length; i++) {
      bytes[i] = (byte) (fill * 3 + i);
    }
    return new AntelopePublicKey(type, bytes);
  }

  public static HandshakeMessage handshake() {
    return new HandshakeMessage(0xFFFF, checksum(1), checksum(2), key(KeyType.K1, 3), Long.MIN_VALUE, checksum(4),
        signature(KeyType.K1, 5), "[::1]:9876:blk - 0102030", 0xFFFF_FFFFL, checksum(6), 7, checksum(7),
        "Linux ✓ größe", "\"PeerMesh 🚀\"", Short.MIN_VALUE);
  }

  public static PackedTransaction uncompressedTransaction() {
    return new PackedTransaction(List.of(signature(KeyType.K1, 1), signature(KeyType.R1, 2)),
        PackedTransaction.COMPRESSION_NONE, HEX.parseHex("0102aabb03ccddee"), HEX.parseHex("00f1536578000403"));
  }

  public static PackedTransaction zlibTransaction() {
    return new PackedTransaction(List.of(), PackedTransaction.COMPRESSION_ZLIB,
        zlib("context free data".getBytes(StandardCharsets.UTF_8)),
        zlib("a transaction, compressed".repeat(10).getBytes(StandardCharsets.UTF_8)));
  }

  public static SignedBlock block() {
    ProducerSchedule schedule = new ProducerSchedule(0xFFFF_FFFFL, List.of(
        new ProducerKey(AntelopeName.fromText("eosio"), key(KeyType.K1, 1)),
        new ProducerKey(AntelopeName.fromText("producer.a1j"), key(KeyType.R1, 2))));
    BlockHeader header = new BlockHeader(1_400_000_001L, AntelopeName.fromText("eosio"), 0xFFFF, checksum(0x40),
        checksum(0x50), checksum(0x60), 3, Optional.of(schedule),
        List.of(new Extension(2, HEX.parseHex("c0ffee")), new Extension(0xFFFF, new byte[0])));
    List<TransactionReceipt> receipts = List.of(
        TransactionReceipt.ofId(0, 150, 16, checksum(0x70)),
        TransactionReceipt.ofPacked(1, 0xFFFF_FFFFL, 0xFFFF_FFFFL, uncompressedTransaction()),
        TransactionReceipt.ofPacked(4, 200, 128, zlibTransaction()),
        TransactionReceipt.ofId(0xFF, 0, 0, checksum(0x80)));
    return new SignedBlock(header, signature(KeyType.K1, 9), receipts, List.of(new Extension(3, HEX.parseHex("01"))));
  }

  /** One sample of every variant, in variant order, then the pass-through ones. */
  public static List<AntelopeMessage> all() {
    List<AntelopeMessage> samples = new ArrayList<>(List.of(
        handshake(),
        new ChainSizeMessage(0xFFFF_FFFFL, checksum(9), 0, checksum(10)),
        new GoAwayMessage(0xFFFF_FFFFL, checksum(11)),
        new TimeMessage(Long.MIN_VALUE, -1, Long.MAX_VALUE, 1),
        new NoticeMessage(SelectIds.of(IdListMode.NORMAL, 2, List.of(checksum(12), checksum(13))),
            new SelectIds(0xFFFF_FFFFL, 0xFFFF_FFFFL, List.of(checksum(14)))),
        new RequestMessage(SelectIds.of(IdListMode.NONE, 0, List.of()),
            SelectIds.of(IdListMode.LAST_IRR_CATCH_UP, 120, List.of(checksum(15)))),
        new SyncRequestMessage(0xFFFF_FFFFL, 1),
        block(),
        zlibTransaction()));
    for (int variant = UnknownMessage.FIRST_VARIANT; variant <= UnknownMessage.LAST_VARIANT; variant++) {
      samples.add(new UnknownMessage(variant, HEX.parseHex("00ff".repeat(variant - UnknownMessage.FIRST_VARIANT))));
    }
    return samples;
  }

  static byte[] zlib(byte[] data) {
    Deflater deflater = new Deflater();
    deflater.setInput(data);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[256];
    while (!deflater.finished()) {
      out.write(chunk, 0, deflater.deflate(chunk));
    }
    deflater.end();
    return out.toByteArray();
  }
}
