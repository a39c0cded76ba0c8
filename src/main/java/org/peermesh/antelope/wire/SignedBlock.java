package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import org.peermesh.antelope.crypto.AntelopeSignature;
import org.peermesh.json.JsonFields;

/**
 * A block as nodeos relays it: header, producer signature, transaction receipts and block extensions. JSON is
 * wharfkit's flat form, the header's fields first (see {@link BlockHeader}), then {@code producer_signature},
 * {@code transactions}, {@code block_extensions}, and the derived {@code id} and {@code blockNum}.
 */
public record SignedBlock(BlockHeader header, AntelopeSignature producerSignature,
    List<TransactionReceipt> transactions, List<Extension> blockExtensions) implements AntelopeMessage {


  public SignedBlock {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(producerSignature, "producerSignature");
    transactions = List.copyOf(transactions);
    blockExtensions = List.copyOf(blockExtensions);
  }

  public static SignedBlock decode(FcReader in) {
    return new SignedBlock(BlockHeader.decode(in), in.signature("producer_signature"),
        in.vector("transactions", TransactionReceipt.MIN_ENCODED_SIZE, TransactionReceipt::decode),
        in.vector("block_extensions", Extension.MIN_ENCODED_SIZE, Extension::decode));
  }

  public static SignedBlock fromJson(JsonObject json) {
    JsonFields in = FcJson.of(json);
    return new SignedBlock(BlockHeader.fromJson(in), in.parsed("producer_signature", FcJson.SIGNATURE),
        in.objects("transactions", TransactionReceipt::fromJson), in.objects("block_extensions", Extension::fromJson));
  }

  /** The block id, from the header. */
  public Checksum256 id() {
    return header.id();
  }

  public long blockNum() {
    return header.blockNum();
  }

  @Override
  public void encode(FcWriter out) {
    header.encode(out);
    out.signature(producerSignature)
        .vector(transactions, (writer, receipt) -> receipt.encode(writer))
        .vector(blockExtensions, (writer, extension) -> extension.encode(writer));
  }

  @Override
  public JsonObject toJson() {
    return header.toJson()
        .put("producer_signature", producerSignature.toString())
        .put("transactions", JsonFields.arrayOf(transactions, TransactionReceipt::toJson))
        .put("block_extensions", JsonFields.arrayOf(blockExtensions, Extension::toJson))
        .put("id", id().toHex())
        .put("blockNum", blockNum());
  }

  @Override
  public NetMessageType type() {
    return NetMessageType.SIGNED_BLOCK;
  }
}
