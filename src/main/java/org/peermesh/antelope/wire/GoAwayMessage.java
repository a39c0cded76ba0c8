package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;
import org.peermesh.json.JsonFields;

/**
 * Why a peer is about to close the connection; {@code nodeId} is the sender's, so a duplicate can be told apart.
 *
 * <p>nodeos packs the reason as the raw enum, a u32, and that is what is written. wharfkit 1.2.0 writes it as one
 * byte; both are read, told apart by the body's length (36 or 33 bytes after the variant index), as nothing else in
 * the message could tell them apart.
 *
 * @param reasonCode u32, a {@link GoAwayReason} code or one this node does not know
 */
public record GoAwayMessage(long reasonCode, Checksum256 nodeId) implements AntelopeMessage {

  private static final int NODEOS_BODY_LENGTH = 4 + Checksum256.LENGTH;
  private static final int WHARFKIT_BODY_LENGTH = 1 + Checksum256.LENGTH;

  public GoAwayMessage {
    FcRange.u32("reasonCode", reasonCode);
    Objects.requireNonNull(nodeId, "nodeId");
  }

  public static GoAwayMessage of(GoAwayReason reason, Checksum256 nodeId) {
    return new GoAwayMessage(reason.code(), nodeId);
  }

  /** Reads the rest of the reader as a go_away body, of either width. */
  public static GoAwayMessage decode(FcReader in) {
    int length = in.remaining();
    long reason = switch (length) {
      case NODEOS_BODY_LENGTH -> in.u32("reason");
      case WHARFKIT_BODY_LENGTH -> in.u8("reason");
      default -> throw new AntelopeWireException("bad_length", NetMessageType.GO_AWAY.typeName() + " at offset " + in.position() + ": "
          + length + " bytes, neither nodeos' " + NODEOS_BODY_LENGTH + " (u32 reason) nor wharfkit's "
          + WHARFKIT_BODY_LENGTH + " (u8 reason)");
    };
    return new GoAwayMessage(reason, in.checksum256("node_id"));
  }

  public static GoAwayMessage fromJson(JsonObject json) {
    JsonFields in = FcJson.of(json);
    return new GoAwayMessage(in.u32("reason"), in.parsed("nodeId", FcJson.CHECKSUM256));
  }

  public Optional<GoAwayReason> reason() {
    return GoAwayReason.ofCode(reasonCode);
  }

  @Override
  public void encode(FcWriter out) {
    out.u32(reasonCode).checksum256(nodeId);
  }

  /** {@code reasonName} is derived, for readers of logs and events; it is absent for an unknown code. */
  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("reason", reasonCode);
    reason().ifPresent(known -> json.put("reasonName", known.jsonName()));
    return json.put("nodeId", nodeId.toHex());
  }

  @Override
  public NetMessageType type() {
    return NetMessageType.GO_AWAY;
  }
}
