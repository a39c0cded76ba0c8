package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import org.peermesh.json.JsonFields;

/**
 * A whole block: its header and its transactions, with witnesses. The frame's payload limit (4 MB
 * in Core) bounds the block; the transaction count is checked against the bytes that remain before
 * any list is made, and a transaction's ids are computed only when asked for.
 *
 * <pre>
 * {@link BlockHeader} | count CompactSize | count x {@link Transaction}
 * </pre>
 *
 * JSON: the header's fields and {@code hash}, and {@code "transactions": [transaction, ...]}.
 */
public record BlockMessage(BlockHeader header, List<Transaction> transactions) implements BitcoinMessage {

  public static final String COMMAND = "block";

  public BlockMessage {
    Objects.requireNonNull(header, "header");
    transactions = List.copyOf(transactions);
  }

  public static BlockMessage decode(Buffer payload) {
    return PayloadReader.decode(COMMAND, payload, in -> {
      BlockHeader header = BlockHeader.read(in, "header");
      return new BlockMessage(header,
          in.list("transactions", Integer.MAX_VALUE, Transaction.MIN_SIZE, Transaction::read));
    });
  }

  public static BlockMessage fromJson(JsonObject json) {
    JsonFields in = JsonFields.of(json);
    return new BlockMessage(BlockHeader.fromJson(in), in.objects("transactions", Transaction::fromJson));
  }

  /** The block hash: its header's. */
  public Sha256Hash hash() {
    return header.hash();
  }

  @Override
  public String command() {
    return COMMAND;
  }

  @Override
  public Buffer payload() {
    PayloadWriter out = new PayloadWriter();
    header.writeTo(out);
    return out.list(transactions, (transaction, entry) -> transaction.writeTo(entry, true)).buffer();
  }

  @Override
  public JsonObject toJson() {
    return header.toJson().put("transactions", JsonFields.arrayOf(transactions, Transaction::toJson));
  }
}
