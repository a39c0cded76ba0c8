package org.peermesh.bitcoin.wire;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Objects;
import org.peermesh.json.JsonFields;

/**
 * A transaction output: an amount in satoshis and the script that locks it.
 *
 * <pre>
 * value int64 | scriptPubKey CompactSize-length bytes
 * </pre>
 *
 * JSON: {@code {"value": satoshis, "scriptPubKey": hex}}.
 */
public final class TransactionOutput {

  /** Serialized size of the smallest output: empty script. */
  static final int MIN_SIZE = 8 + 1;

  private final long value;
  private final byte[] scriptPubKey;

  /**
   * @param value satoshis; the wire carries an int64 and consensus, not the codec, bounds it
   * @param scriptPubKey copied
   */
  public TransactionOutput(long value, byte[] scriptPubKey) {
    this(value, scriptPubKey, true);
  }

  /** @param copy false to take {@code scriptPubKey} as it is: the decoder's fresh array, which nobody else holds */
  private TransactionOutput(long value, byte[] scriptPubKey, boolean copy) {
    this.value = value;
    Objects.requireNonNull(scriptPubKey, "scriptPubKey");
    this.scriptPubKey = copy ? scriptPubKey.clone() : scriptPubKey;
  }

  static TransactionOutput read(PayloadReader in, String field) {
    return new TransactionOutput(in.int64(field + ".value"), in.varBytes(field + ".scriptPubKey", Integer.MAX_VALUE),
        false);
  }

  void writeTo(PayloadWriter out) {
    out.int64(value).varBytes(scriptPubKey);
  }

  static TransactionOutput fromJson(JsonFields json) {
    return new TransactionOutput(json.i64("value"), json.hex("scriptPubKey"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("value", value).put("scriptPubKey", JsonFields.hex(scriptPubKey));
  }

  /** Satoshis. */
  public long value() {
    return value;
  }

  /** A copy. */
  public byte[] scriptPubKey() {
    return scriptPubKey.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TransactionOutput that && value == that.value
        && Arrays.equals(scriptPubKey, that.scriptPubKey);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(value) + Arrays.hashCode(scriptPubKey);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
