package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.peermesh.json.JsonFields;

/**
 * The 80-byte block header; its SHA-256d is the block's hash, what proof of work constrains.
 *
 * <pre>
 * version int32 | prevBlock 32 bytes | merkleRoot 32 bytes | time u32 | bits u32 | nonce u32
 * </pre>
 *
 * JSON: {@code {"hash", "version", "prevBlock", "merkleRoot", "time", "bits", "nonce"}}, hashes in
 * display hex, the rest numbers.
 *
 * @param time unix seconds, u32
 * @param bits the target in compact form, u32
 * @param nonce u32
 */
public record BlockHeader(int version, Sha256Hash prevBlock, Sha256Hash merkleRoot, long time, long bits, long nonce) {

  /** Serialized size in bytes. */
  public static final int SIZE = 80;

  public BlockHeader {
    Objects.requireNonNull(prevBlock, "prevBlock");
    Objects.requireNonNull(merkleRoot, "merkleRoot");
    Fields.requireU32(time, "time");
    Fields.requireU32(bits, "bits");
    Fields.requireU32(nonce, "nonce");
  }

  /** The block hash: SHA-256d of the 80 serialized bytes. */
  public Sha256Hash hash() {
    return Sha256Hash.hashTwice(serialize());
  }

  /** @param header exactly 80 bytes */
  public static BlockHeader decode(Buffer header) {
    return PayloadReader.decode("block header", header, in -> read(in, "header"));
  }

  /** The 80 serialized bytes. */
  public Buffer serialize() {
    PayloadWriter out = new PayloadWriter(SIZE);
    writeTo(out);
    return out.buffer();
  }

  static BlockHeader read(PayloadReader in, String field) {
    return new BlockHeader(
        in.int32(field + ".version"),
        in.hash(field + ".prevBlock"),
        in.hash(field + ".merkleRoot"),
        in.u32(field + ".time"),
        in.u32(field + ".bits"),
        in.u32(field + ".nonce"));
  }

  void writeTo(PayloadWriter out) {
    out.int32(version).hash(prevBlock).hash(merkleRoot).u32(time).u32(bits).u32(nonce);
  }

  static BlockHeader fromJson(JsonFields json) {
    return new BlockHeader(json.i32("version"), json.parsed("prevBlock", BitcoinJson.HASH),
        json.parsed("merkleRoot", BitcoinJson.HASH), json.u32("time"), json.u32("bits"), json.u32("nonce"));
  }

  /** The header fields and the derived {@code hash}, which {@link #fromJson} ignores. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("hash", hash().toString())
        .put("version", version)
        .put("prevBlock", prevBlock.toString())
        .put("merkleRoot", merkleRoot.toString())
        .put("time", time)
        .put("bits", bits)
        .put("nonce", nonce);
  }
}
