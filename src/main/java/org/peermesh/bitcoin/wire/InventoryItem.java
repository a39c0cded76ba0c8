package org.peermesh.bitcoin.wire;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;
import org.peermesh.json.JsonFields;

/**
 * One entry of {@code inv}, {@code getdata} and {@code notfound}: what kind of object and its hash.
 *
 * <pre>
 * type u32 | hash 32 bytes      (36 bytes)
 * </pre>
 *
 * JSON: {@code {"type": "MSG_BLOCK" (or the number if unknown), "hash": display hex}}.
 *
 * @param type the wire type, bit for bit; see {@link InventoryType}
 */
public record InventoryItem(int type, Sha256Hash hash) {

  /** Serialized size in bytes. */
  public static final int SIZE = 4 + Sha256Hash.LENGTH;

  public InventoryItem {
    Objects.requireNonNull(hash, "hash");
  }

  public InventoryItem(InventoryType type, Sha256Hash hash) {
    this(type.code(), hash);
  }

  /** The type, or empty for a code this version does not know. */
  public Optional<InventoryType> knownType() {
    return InventoryType.byCode(type);
  }

  static InventoryItem read(PayloadReader in, String field) {
    int type = in.int32(field + ".type");
    return new InventoryItem(type, in.hash(field + ".hash"));
  }

  void writeTo(PayloadWriter out) {
    out.int32(type).hash(hash);
  }

  static InventoryItem fromJson(JsonFields json) {
    int type = json.value("type") instanceof String
        ? json.parsed("type", InventoryType::valueOf).code()
        : (int) json.u32("type");
    return new InventoryItem(type, json.parsed("hash", BitcoinJson.HASH));
  }

  public JsonObject toJson() {
    Object typeJson = knownType().<Object>map(InventoryType::name).orElse(Integer.toUnsignedLong(type));
    return new JsonObject().put("type", typeJson).put("hash", hash.toString());
  }
}
