package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.peermesh.json.JsonFields;

/**
 * Block headers answering a {@link GetHeadersMessage}, or announcing new blocks to a peer that sent
 * {@link SendHeadersMessage}. At most 2,000 headers; fewer means the sender has no more.
 *
 * <pre>
 * count CompactSize | count x ({@link BlockHeader} | txCount CompactSize, always 0)
 * </pre>
 *
 * JSON: {@code {"headers": [header, ...]}} with each header as {@link BlockHeader#toJson()}.
 */
public record HeadersMessage(List<BlockHeader> headers) implements BitcoinMessage {

  public static final String COMMAND = "headers";

  /** Core's MAX_HEADERS_RESULTS. */
  public static final int MAX_HEADERS = 2000;

  /** A header and its empty transaction count. */
  private static final int ENTRY_SIZE = BlockHeader.SIZE + 1;

  public HeadersMessage {
    headers = Fields.copyOfAtMost(headers, MAX_HEADERS, "headers");
  }

  public static HeadersMessage decode(Buffer payload) {
    return PayloadReader.decode(COMMAND, payload, in -> {
      return new HeadersMessage(in.list("headers", MAX_HEADERS, ENTRY_SIZE, (entry, field) -> {
        BlockHeader header = BlockHeader.read(entry, field);
        int txCountOffset = entry.position();
        long txCount = entry.compactSize(field + ".txCount");
        if (txCount != 0) {
          throw entry.invalid(field + ".txCount", txCountOffset, "is " + Long.toUnsignedString(txCount) + ", must be 0");
        }
        return header;
      }));
    });
  }

  public static HeadersMessage fromJson(JsonObject json) {
    return new HeadersMessage(JsonFields.of(json).objects("headers", BlockHeader::fromJson));
  }

  @Override
  public String command() {
    return COMMAND;
  }

  @Override
  public Buffer payload() {
    PayloadWriter out = new PayloadWriter(CompactSize.encodedLength(headers.size()) + headers.size() * ENTRY_SIZE);
    return out.list(headers, (header, entry) -> {
      header.writeTo(entry);
      entry.compactSize(0);
    }).buffer();
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("headers", JsonFields.arrayOf(headers, BlockHeader::toJson));
  }
}
