package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.peermesh.json.JsonFields;

/**
 * Asks a peer for transactions and blocks (nodeos: {@code req_blocks} in catch-up mode when a notice shows the peer
 * ahead). nodeos' layout, two {@link SelectIds}; wharfkit 1.2.0's two bare arrays do not decode here.
 */
public record RequestMessage(SelectIds reqTrx, SelectIds reqBlocks) implements AntelopeMessage {


  public RequestMessage {
    Objects.requireNonNull(reqTrx, "reqTrx");
    Objects.requireNonNull(reqBlocks, "reqBlocks");
  }

  public static RequestMessage decode(FcReader in) {
    return new RequestMessage(SelectIds.decode(in), SelectIds.decode(in));
  }

  public static RequestMessage fromJson(JsonObject json) {
    JsonFields in = FcJson.of(json);
    return new RequestMessage(SelectIds.fromJson(in.object("reqTrx")), SelectIds.fromJson(in.object("reqBlocks")));
  }

  @Override
  public void encode(FcWriter out) {
    reqTrx.encode(out);
    reqBlocks.encode(out);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("reqTrx", reqTrx.toJson()).put("reqBlocks", reqBlocks.toJson());
  }

  @Override
  public NetMessageType type() {
    return NetMessageType.REQUEST;
  }
}
