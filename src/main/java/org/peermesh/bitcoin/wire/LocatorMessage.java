package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** What {@code getheaders} and {@code getblocks} share: a {@link BlockLocator} payload. */
interface LocatorMessage extends BitcoinMessage {

  long version();

  List<Sha256Hash> locator();

  Sha256Hash hashStop();

  @Override
  default Buffer payload() {
    return BlockLocator.payload(version(), locator(), hashStop());
  }

  @Override
  default JsonObject toJson() {
    return BlockLocator.toJson(version(), locator(), hashStop());
  }
}
