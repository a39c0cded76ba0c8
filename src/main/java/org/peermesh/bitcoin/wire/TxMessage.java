package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.peermesh.json.JsonFields;

/**
 * One transaction, relayed or answering a {@link GetDataMessage}. The payload is the {@link
 * Transaction}'s serialization, with witnesses. JSON: the transaction's, {@code {"txid", "wtxid",
 * "version", "inputs", "outputs", "lockTime"}}.
 */
public record TxMessage(Transaction transaction) implements BitcoinMessage {

  public static final String COMMAND = "tx";

  public TxMessage {
    Objects.requireNonNull(transaction, "transaction");
  }

  public static TxMessage decode(Buffer payload) {
    return PayloadReader.decode(COMMAND, payload, in -> new TxMessage(Transaction.read(in, "tx")));
  }

  public static TxMessage fromJson(JsonObject json) {
    return new TxMessage(Transaction.fromJson(JsonFields.of(json)));
  }

  @Override
  public String command() {
    return COMMAND;
  }

  @Override
  public Buffer payload() {
    return transaction.serialize();
  }

  @Override
  public JsonObject toJson() {
    return transaction.toJson();
  }
}
