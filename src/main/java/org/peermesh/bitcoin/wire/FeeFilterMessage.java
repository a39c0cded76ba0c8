package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.peermesh.json.JsonFields;

/**
 * BIP133: asks the peer not to announce transactions paying less than {@code feeRate}.
 *
 * <pre>
 * feeRate int64 (satoshis per 1000 virtual bytes)
 * </pre>
 *
 * JSON: {@code {"feeRate": n}}.
 */
public record FeeFilterMessage(long feeRate) implements BitcoinMessage {

  public static final String COMMAND = "feefilter";

  public static FeeFilterMessage decode(Buffer payload) {
    return PayloadReader.decode(COMMAND, payload, in -> new FeeFilterMessage(in.int64("feeRate")));
  }

  public static FeeFilterMessage fromJson(JsonObject json) {
    return new FeeFilterMessage(JsonFields.of(json).i64("feeRate"));
  }

  @Override
  public String command() {
    return COMMAND;
  }

  @Override
  public Buffer payload() {
    return new PayloadWriter(8).int64(feeRate).buffer();
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("feeRate", feeRate);
  }
}
