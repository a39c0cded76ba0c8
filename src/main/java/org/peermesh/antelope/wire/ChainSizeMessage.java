package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.peermesh.json.JsonFields;

/**
 * A peer's irreversible and head blocks. nodeos never sends it and ignores it on receipt; it is decoded so that a
 * peer sending it is not cut for a valid message.
 *
 * @param lastIrreversibleBlockNum u32
 * @param headNum u32
 */
public record ChainSizeMessage(long lastIrreversibleBlockNum, Checksum256 lastIrreversibleBlockId, long headNum,
    Checksum256 headId) implements AntelopeMessage {


  public ChainSizeMessage {
    FcRange.u32("lastIrreversibleBlockNum", lastIrreversibleBlockNum);
    Objects.requireNonNull(lastIrreversibleBlockId, "lastIrreversibleBlockId");
    FcRange.u32("headNum", headNum);
    Objects.requireNonNull(headId, "headId");
  }

  public static ChainSizeMessage decode(FcReader in) {
    return new ChainSizeMessage(in.u32("last_irreversible_block_num"), in.checksum256("last_irreversible_block_id"),
        in.u32("head_num"), in.checksum256("head_id"));
  }

  public static ChainSizeMessage fromJson(JsonObject json) {
    JsonFields in = FcJson.of(json);
    return new ChainSizeMessage(in.u32("lastIrreversibleBlockNumber"),
        in.parsed("lastIrreversibleBlockId", FcJson.CHECKSUM256), in.u32("headNum"),
        in.parsed("headId", FcJson.CHECKSUM256));
  }

  @Override
  public void encode(FcWriter out) {
    out.u32(lastIrreversibleBlockNum).checksum256(lastIrreversibleBlockId).u32(headNum).checksum256(headId);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("lastIrreversibleBlockNumber", lastIrreversibleBlockNum)
        .put("lastIrreversibleBlockId", lastIrreversibleBlockId.toHex())
        .put("headNum", headNum)
        .put("headId", headId.toHex());
  }

  @Override
  public NetMessageType type() {
    return NetMessageType.CHAIN_SIZE;
  }
}
