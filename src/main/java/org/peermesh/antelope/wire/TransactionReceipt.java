package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;
import org.peermesh.json.JsonFields;

/**
 * A transaction in a block: its status, the resources it used, and either its id alone (a deferred transaction) or
 * the whole packed transaction, fc's {@code variant<transaction_id_type, packed_transaction>}. JSON keeps wharfkit's
 * variant form: {@code "trx": ["checksum256", hex]} or {@code ["packed_transaction", {...}]}.
 *
 * @param status u8 (0 executed, 1 soft fail, 2 hard fail, 3 delayed, 4 expired)
 * @param cpuUsageUs u32
 * @param netUsageWords varuint32
 * @param transactionId the id the receipt carries, or the packed transaction's id
 */
public record TransactionReceipt(int status, long cpuUsageUs, long netUsageWords, Checksum256 transactionId,
    Optional<PackedTransaction> packed) {

  /** status, cpu, a one-byte net usage, the variant index and the smallest packed transaction. */
  static final int MIN_ENCODED_SIZE = 1 + 4 + 1 + 1 + PackedTransaction.MIN_ENCODED_SIZE;
  private static final int ID_VARIANT = 0;
  private static final int PACKED_VARIANT = 1;
  private static final String ID_TYPE = "checksum256";

  public TransactionReceipt {
    FcRange.u8("status", status);
    FcRange.u32("cpuUsageUs", cpuUsageUs);
    FcRange.u32("netUsageWords", netUsageWords);
    Objects.requireNonNull(transactionId, "transactionId");
    Objects.requireNonNull(packed, "packed");
    if (packed.isPresent() && !packed.get().id().equals(transactionId)) {
      throw new IllegalArgumentException("transactionId " + transactionId + " is not the packed transaction's id "
          + packed.get().id());
    }
  }

  /** A receipt that carries the transaction's id alone. */
  public static TransactionReceipt ofId(int status, long cpuUsageUs, long netUsageWords, Checksum256 transactionId) {
    return new TransactionReceipt(status, cpuUsageUs, netUsageWords, transactionId, Optional.empty());
  }

  /** A receipt that carries the whole transaction. */
  public static TransactionReceipt ofPacked(int status, long cpuUsageUs, long netUsageWords,
      PackedTransaction packed) {
    return new TransactionReceipt(status, cpuUsageUs, netUsageWords, packed.id(), Optional.of(packed));
  }

  public static TransactionReceipt decode(FcReader in) {
    int status = in.u8("status");
    long cpuUsageUs = in.u32("cpu_usage_us");
    long netUsageWords = in.varuint32("net_usage_words");
    int start = in.position();
    long variant = in.varuint32("trx variant");
    if (variant == ID_VARIANT) {
      return ofId(status, cpuUsageUs, netUsageWords, in.checksum256("trx"));
    }
    if (variant == PACKED_VARIANT) {
      return ofPacked(status, cpuUsageUs, netUsageWords, PackedTransaction.decode(in));
    }
    throw new AntelopeWireException("unknown_variant", "trx at offset " + start + ": variant " + variant
        + " is neither 0 (transaction id) nor 1 (packed transaction)");
  }

  static TransactionReceipt fromJson(JsonFields in) {
    int status = in.u8("status");
    long cpuUsageUs = in.u32("cpu_usage_us");
    long netUsageWords = in.u32("net_usage_words");
    JsonArray trx = in.array("trx");
    String path = in.path("trx");
    if (trx.size() != 2) {
      throw new IllegalArgumentException(path + " must be [type, value], got " + trx.encode());
    }
    JsonFields variant = FcJson.of(new JsonObject().put("type", trx.getValue(0)).put("value", trx.getValue(1)));
    String type = variant.string("type");
    if (type.equals(ID_TYPE)) {
      try {
        return ofId(status, cpuUsageUs, netUsageWords, variant.parsed("value", FcJson.CHECKSUM256));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path + "[1]: " + e.getMessage(), e);
      }
    }
    if (type.equals(NetMessageType.PACKED_TRANSACTION.typeName())) {
      if (!(trx.getValue(1) instanceof JsonObject packed)) {
        throw new IllegalArgumentException(path + "[1] must be a packed_transaction object");
      }
      return ofPacked(status, cpuUsageUs, netUsageWords, PackedTransaction.fromJson(packed));
    }
    throw new IllegalArgumentException(path + "[0] must be '" + ID_TYPE + "' or '" + NetMessageType.PACKED_TRANSACTION.typeName()
        + "', got '" + type + "'");
  }

  public void encode(FcWriter out) {
    out.u8(status).u32(cpuUsageUs).varuint32(netUsageWords);
    packed.ifPresentOrElse(transaction -> transaction.encode(out.varuint32(PACKED_VARIANT)),
        () -> out.varuint32(ID_VARIANT).checksum256(transactionId));
  }

  public JsonObject toJson() {
    JsonArray trx = packed.map(transaction -> new JsonArray().add(NetMessageType.PACKED_TRANSACTION.typeName())
            .add(transaction.toJson()))
        .orElseGet(() -> new JsonArray().add(ID_TYPE).add(transactionId.toHex()));
    return new JsonObject()
        .put("status", status)
        .put("cpu_usage_us", cpuUsageUs)
        .put("net_usage_words", netUsageWords)
        .put("trx", trx);
  }
}
