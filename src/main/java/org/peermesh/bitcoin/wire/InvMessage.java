package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Announces objects the sender has (transactions, blocks), so the receiver can ask for those it lacks with {@link GetDataMessage}.
 *
 * <p>Payload and limit as {@link InventoryList}: at most 50,000 items. JSON: {@code {"items": [{"type":
 * "MSG_TX", "hash": "..."}, ...]}}.
 */
public record InvMessage(List<InventoryItem> items) implements InventoryMessage {

  public static final String COMMAND = "inv";

  public InvMessage {
    items = InventoryList.copyOf(items);
  }

  public static InvMessage decode(Buffer payload) {
    return new InvMessage(InventoryList.decode(COMMAND, payload));
  }

  public static InvMessage fromJson(JsonObject json) {
    return new InvMessage(InventoryList.fromJson(json));
  }

  @Override
  public String command() {
    return COMMAND;
  }
}
