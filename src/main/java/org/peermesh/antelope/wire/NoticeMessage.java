package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.peermesh.json.JsonFields;

/**
 * What a peer has: transaction ids and block ids (nodeos sends its head this way, in catch-up mode, when a peer
 * lags). nodeos' layout, two {@link SelectIds}; wharfkit 1.2.0 models two bare id arrays instead, which do not
 * decode here.
 */
public record NoticeMessage(SelectIds knownTrx, SelectIds knownBlocks) implements AntelopeMessage {


  public NoticeMessage {
    Objects.requireNonNull(knownTrx, "knownTrx");
    Objects.requireNonNull(knownBlocks, "knownBlocks");
  }

  public static NoticeMessage decode(FcReader in) {
    return new NoticeMessage(SelectIds.decode(in), SelectIds.decode(in));
  }

  public static NoticeMessage fromJson(JsonObject json) {
    JsonFields in = FcJson.of(json);
    return new NoticeMessage(SelectIds.fromJson(in.object("knownTrx")), SelectIds.fromJson(in.object("knownBlocks")));
  }

  @Override
  public void encode(FcWriter out) {
    knownTrx.encode(out);
    knownBlocks.encode(out);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("knownTrx", knownTrx.toJson()).put("knownBlocks", knownBlocks.toJson());
  }

  @Override
  public NetMessageType type() {
    return NetMessageType.NOTICE;
  }
}
