package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Asks for an {@code inv} of up to 500 blocks following the first locator hash the peer knows, up to {@code hashStop}; the pre-headers-first way to sync.
 *
 * <p>Payload and limits as {@link BlockLocator}: at most 101 locator hashes. JSON: {@code {"version":
 * n, "locator": [display hex, ...], "hashStop": display hex}}.
 *
 * @param version the sender's protocol version, u32
 */
public record GetBlocksMessage(long version, List<Sha256Hash> locator, Sha256Hash hashStop) implements LocatorMessage {

  public static final String COMMAND = "getblocks";

  public GetBlocksMessage {
    locator = BlockLocator.checked(version, locator, hashStop);
  }

  public static GetBlocksMessage decode(Buffer payload) {
    return BlockLocator.decode(COMMAND, payload, GetBlocksMessage::new);
  }

  public static GetBlocksMessage fromJson(JsonObject json) {
    return BlockLocator.fromJson(json, GetBlocksMessage::new);
  }

  @Override
  public String command() {
    return COMMAND;
  }
}
