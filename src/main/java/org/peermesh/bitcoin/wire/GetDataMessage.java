package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Asks for the objects named, usually after an {@link InvMessage}; the peer answers with {@code tx} or {@code block} messages, or {@link NotFoundMessage}.
 *
 * <p>Payload and limit as {@link InventoryList}: at most 50,000 items. JSON: {@code {"items": [{"type":
 * "MSG_TX", "hash": "..."}, ...]}}.
 */
public record GetDataMessage(List<InventoryItem> items) implements InventoryMessage {

  public static final String COMMAND = "getdata";

  public GetDataMessage {
    items = InventoryList.copyOf(items);
  }

  public static GetDataMessage decode(Buffer payload) {
    return new GetDataMessage(InventoryList.decode(COMMAND, payload));
  }

  public static GetDataMessage fromJson(JsonObject json) {
    return new GetDataMessage(InventoryList.fromJson(json));
  }

  @Override
  public String command() {
    return COMMAND;
  }
}
