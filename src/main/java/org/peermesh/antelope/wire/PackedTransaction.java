package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.peermesh.antelope.crypto.AntelopeSignature;
import org.peermesh.json.JsonFields;

/**
 * A signed transaction as it is relayed and carried in blocks: signatures, the compression of the two packed
 * fields (0 none, 1 zlib), the packed context-free data and the packed transaction. The transaction itself is
 * passed through unread; its id and signing digest are hashes of its packed (uncompressed) bytes.
 *
 * <p>A zlib transaction is inflated when it is built, at most {@link #MAX_UNCOMPRESSED_LENGTH} bytes per field as
 * nodeos limits it against zlib bombs, so that its id is known and bad compressed data is refused on receipt as
 * nodeos refuses it. JSON (wharfkit's names): {@code signatures, compression, packed_context_free_data, packed_trx}
 * and the derived {@code id}.
 */
public final class PackedTransaction implements AntelopeMessage {

  public static final int COMPRESSION_NONE = 0;
  public static final int COMPRESSION_ZLIB = 1;
  /** nodeos' limit on a decompressed field (transaction.cpp's read_limiter, 1 MiB). */
  public static final int MAX_UNCOMPRESSED_LENGTH = 1024 * 1024;
  /** An empty signature list, compression and two empty byte strings. */
  static final int MIN_ENCODED_SIZE = 4;
  /** fc's packing of an empty {@code vector<bytes>}: what a transaction without context-free data carries. */
  private static final byte[] PACKED_EMPTY_VECTOR = {0};

  private final List<AntelopeSignature> signatures;
  private final int compression;
  private final byte[] packedContextFreeData;
  private final byte[] packedTrx;
  private final Checksum256 id;
  /** sha256 of the uncompressed context-free data, or zero when there is none, as the signing digest takes it. */
  private final Checksum256 contextFreeDataDigest;

  /**
   * @throws IllegalArgumentException if {@code compression} is neither 0 nor 1, or a zlib field does not inflate
   *     within {@link #MAX_UNCOMPRESSED_LENGTH}
   */
  public PackedTransaction(List<AntelopeSignature> signatures, int compression, byte[] packedContextFreeData,
      byte[] packedTrx) {
    this.signatures = List.copyOf(signatures);
    if (compression != COMPRESSION_NONE && compression != COMPRESSION_ZLIB) {
      throw new IllegalArgumentException("compression " + compression + " is neither 0 (none) nor 1 (zlib)");
    }
    this.compression = compression;
    this.packedContextFreeData = packedContextFreeData.clone();
    this.packedTrx = packedTrx.clone();
    this.id = Checksum256.sha256(uncompressed(this.packedTrx, "packed_trx"));
    byte[] contextFreeData = uncompressed(this.packedContextFreeData, "packed_context_free_data");
    boolean none = contextFreeData.length == 0 || Arrays.equals(contextFreeData, PACKED_EMPTY_VECTOR);
    this.contextFreeDataDigest = none ? Checksum256.ZERO : Checksum256.sha256(contextFreeData);
  }

  public static PackedTransaction decode(FcReader in) {
    List<AntelopeSignature> signatures = in.vector("signatures", 1 + AntelopeSignature.LENGTH,
        signature -> signature.signature("signature"));
    int start = in.position();
    int compression = in.u8("compression");
    byte[] contextFreeData = in.bytes("packed_context_free_data");
    byte[] trx = in.bytes("packed_trx");
    try {
      return new PackedTransaction(signatures, compression, contextFreeData, trx);
    } catch (IllegalArgumentException e) {
      throw new AntelopeWireException("bad_compression", NetMessageType.PACKED_TRANSACTION.typeName() + " at offset " + start + ": " + e.getMessage());
    }
  }

  public static PackedTransaction fromJson(JsonObject json) {
    return fromJson(FcJson.of(json));
  }

  static PackedTransaction fromJson(JsonFields in) {
    return new PackedTransaction(in.strings("signatures", FcJson.SIGNATURE), in.u8("compression"),
        in.hex("packed_context_free_data"), in.hex("packed_trx"));
  }

  public List<AntelopeSignature> signatures() {
    return signatures;
  }

  public int compression() {
    return compression;
  }

  /** A copy of the packed context-free data, compressed as {@link #compression()} says. */
  public byte[] packedContextFreeData() {
    return packedContextFreeData.clone();
  }

  /** A copy of the packed transaction, compressed as {@link #compression()} says. */
  public byte[] packedTrx() {
    return packedTrx.clone();
  }

  /** The transaction id: SHA-256 of the packed transaction, uncompressed. */
  public Checksum256 id() {
    return id;
  }

  /**
   * What the signatures sign: SHA-256 of the chain id, the packed transaction and SHA-256 of the packed
   * context-free data, or 32 zero bytes when there is none (an empty field or an empty packed vector).
   */
  public Checksum256 signingDigest(Checksum256 chainId) {
    return Checksum256.sha256(chainId.unsafeBytes(), uncompressed(packedTrx, "packed_trx"),
        contextFreeDataDigest.unsafeBytes());
  }

  @Override
  public void encode(FcWriter out) {
    out.vector(signatures, FcWriter::signature).u8(compression).bytes(packedContextFreeData).bytes(packedTrx);
  }

  /** {@code id} is derived. */
  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("signatures", JsonFields.arrayOf(signatures, AntelopeSignature::toString))
        .put("compression", compression)
        .put("packed_context_free_data", JsonFields.hex(packedContextFreeData))
        .put("packed_trx", JsonFields.hex(packedTrx))
        .put("id", id.toHex());
  }

  @Override
  public NetMessageType type() {
    return NetMessageType.PACKED_TRANSACTION;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PackedTransaction other && signatures.equals(other.signatures)
        && compression == other.compression && Arrays.equals(packedContextFreeData, other.packedContextFreeData)
        && Arrays.equals(packedTrx, other.packedTrx);
  }

  @Override
  public int hashCode() {
    return Objects.hash(signatures, compression, Arrays.hashCode(packedContextFreeData), Arrays.hashCode(packedTrx));
  }

  @Override
  public String toString() {
    return "PackedTransaction[id=" + id + ", signatures=" + signatures.size() + ", compression=" + compression
        + ", packedContextFreeData=" + packedContextFreeData.length + " bytes, packedTrx=" + packedTrx.length
        + " bytes]";
  }

  private byte[] uncompressed(byte[] field, String name) {
    return compression == COMPRESSION_NONE ? field : inflate(field, name);
  }

  private static byte[] inflate(byte[] compressed, String name) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(compressed);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      while (!inflater.finished()) {
        int inflated = inflater.inflate(chunk);
        if (inflated == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalArgumentException(name + " is not a complete zlib stream");
        }
        if (out.size() + inflated > MAX_UNCOMPRESSED_LENGTH) {
          throw new IllegalArgumentException(name + " inflates to more than " + MAX_UNCOMPRESSED_LENGTH + " bytes");
        }
        out.write(chunk, 0, inflated);
      }
      if (inflater.getRemaining() > 0) {
        throw new IllegalArgumentException(name + " has " + inflater.getRemaining() + " bytes after its zlib stream");
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new IllegalArgumentException(name + " is not zlib data: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }
}
