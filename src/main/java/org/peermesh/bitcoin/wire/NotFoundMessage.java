package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Answers a {@link GetDataMessage} for objects the peer does not have (any more), so the asker can try elsewhere at once.
 *
 * <p>Payload and limit as {@link InventoryList}: at most 50,000 items. JSON: {@code {"items": [{"type":
 * "MSG_TX", "hash": "..."}, ...]}}.
 */
public record NotFoundMessage(List<InventoryItem> items) implements InventoryMessage {

  public static final String COMMAND = "notfound";

  public NotFoundMessage {
    items = InventoryList.copyOf(items);
  }

  public static NotFoundMessage decode(Buffer payload) {
    return new NotFoundMessage(InventoryList.decode(COMMAND, payload));
  }

  public static NotFoundMessage fromJson(JsonObject json) {
    return new NotFoundMessage(InventoryList.fromJson(json));
  }

  @Override
  public String command() {
    return COMMAND;
  }
}
