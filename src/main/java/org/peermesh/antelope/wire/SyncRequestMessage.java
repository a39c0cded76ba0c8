package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;
import org.peermesh.json.JsonFields;

/**
 * Asks a peer for the blocks {@code startBlock..endBlock}; {@code endBlock} 0 cancels an earlier request.
 *
 * @param startBlock u32
 * @param endBlock u32
 */
public record SyncRequestMessage(long startBlock, long endBlock) implements AntelopeMessage {


  public SyncRequestMessage {
    FcRange.u32("startBlock", startBlock);
    FcRange.u32("endBlock", endBlock);
  }

  public static SyncRequestMessage decode(FcReader in) {
    return new SyncRequestMessage(in.u32("start_block"), in.u32("end_block"));
  }

  public static SyncRequestMessage fromJson(JsonObject json) {
    JsonFields in = FcJson.of(json);
    return new SyncRequestMessage(in.u32("startBlock"), in.u32("endBlock"));
  }

  @Override
  public void encode(FcWriter out) {
    out.u32(startBlock).u32(endBlock);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("startBlock", startBlock).put("endBlock", endBlock);
  }

  @Override
  public NetMessageType type() {
    return NetMessageType.SYNC_REQUEST;
  }
}
