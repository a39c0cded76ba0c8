package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.peermesh.json.JsonFields;

/**
 * The payload {@code inv}, {@code getdata} and {@code notfound} share: a list of at most {@link
 * #MAX_ITEMS} {@link InventoryItem}s. JSON: {@code {"items": [item, ...]}}.
 *
 * <pre>
 * count CompactSize | count x {@link InventoryItem}
 * </pre>
 */
final class InventoryList {

  /** Core's MAX_INV_SZ. */
  static final int MAX_ITEMS = 50_000;

  private InventoryList() {
  }

  static List<InventoryItem> copyOf(List<InventoryItem> items) {
    return Fields.copyOfAtMost(items, MAX_ITEMS, "items");
  }

  static List<InventoryItem> decode(String command, Buffer payload) {
    return PayloadReader.decode(command, payload, in -> {
      return in.list("items", MAX_ITEMS, InventoryItem.SIZE, InventoryItem::read);
    });
  }

  static Buffer payload(List<InventoryItem> items) {
    PayloadWriter out = new PayloadWriter(CompactSize.encodedLength(items.size()) + items.size() * InventoryItem.SIZE);
    return out.list(items, InventoryItem::writeTo).buffer();
  }

  static List<InventoryItem> fromJson(JsonObject json) {
    return JsonFields.of(json).objects("items", InventoryItem::fromJson);
  }

  static JsonObject toJson(List<InventoryItem> items) {
    return new JsonObject().put("items", JsonFields.arrayOf(items, InventoryItem::toJson));
  }
}
