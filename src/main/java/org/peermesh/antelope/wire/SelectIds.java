package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.peermesh.json.JsonFields;

/**
 * nodeos' {@code select_ids}: a mode, a count of pending items and a list of transaction or block ids, the two halves
 * of a {@link NoticeMessage} and a {@link RequestMessage}. The mode is kept as its code, since fc reads any u32 into
 * the enum and nodeos decides what an unknown one means.
 *
 * <p>JSON: {@code {"mode": 1, "pending": 0, "ids": [hex, ...]}}.
 *
 * @param mode u32, an {@link IdListMode} code
 * @param pending u32
 */
public record SelectIds(long mode, long pending, List<Checksum256> ids) {

  public SelectIds {
    FcRange.u32("mode", mode);
    FcRange.u32("pending", pending);
    ids = List.copyOf(ids);
  }

  public static SelectIds of(IdListMode mode, long pending, List<Checksum256> ids) {
    return new SelectIds(mode.code(), pending, ids);
  }

  public static SelectIds decode(FcReader in) {
    return new SelectIds(in.u32("mode"), in.u32("pending"),
        in.vector("ids", Checksum256.LENGTH, ids -> ids.checksum256("id")));
  }

  static SelectIds fromJson(JsonFields in) {
    return new SelectIds(in.u32("mode"), in.u32("pending"), in.strings("ids", FcJson.CHECKSUM256));
  }

  public static SelectIds fromJson(JsonObject json) {
    return fromJson(FcJson.of(json));
  }

  public Optional<IdListMode> idListMode() {
    return IdListMode.ofCode(mode);
  }

  public void encode(FcWriter out) {
    out.u32(mode).u32(pending).vector(ids, FcWriter::checksum256);
  }

  public JsonObject toJson() {
    return new JsonObject().put("mode", mode).put("pending", pending)
        .put("ids", JsonFields.arrayOf(ids, Checksum256::toHex));
  }
}
