package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;

/**
 * Asks a peer for the blocks {@code startBlock..endBlock}; {@code endBlock} 0 cancels an earlier request.
 *
 * @param startBlock u32
 * @param endBlock u32
 */
public record SyncRequestMessage(long startBlock, long endBlock) implements AntelopeMessage {

  public static final int VARIANT = 6;
  public static final String TYPE_NAME = "sync_request_message";

  public SyncRequestMessage {
    FcRange.u32("startBlock", startBlock);
    FcRange.u32("endBlock", endBlock);
  }

  public static SyncRequestMessage decode(FcReader in) {
    return new SyncRequestMessage(in.u32("start_block"), in.u32("end_block"));
  }

  public static SyncRequestMessage fromJson(JsonObject json) {
    FcJson in = FcJson.of(json);
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
  public int variant() {
    return VARIANT;
  }

  @Override
  public String typeName() {
    return TYPE_NAME;
  }
}
