package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** What {@code inv}, {@code getdata} and {@code notfound} share: an {@link InventoryList} payload. */
interface InventoryMessage extends BitcoinMessage {

  List<InventoryItem> items();

  @Override
  default Buffer payload() {
    return InventoryList.payload(items());
  }

  @Override
  default JsonObject toJson() {
    return InventoryList.toJson(items());
  }
}
