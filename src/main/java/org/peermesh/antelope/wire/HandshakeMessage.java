package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.peermesh.antelope.crypto.AntelopePublicKey;
import org.peermesh.antelope.crypto.AntelopeSignature;
import org.peermesh.json.JsonFields;

/**
 * The first message each side sends: who it is (node id, optional key and signature over {@code token}), which
 * chain it follows and how far it has got. The handshake checker applies nodeos' rules (384-character strings,
 * {@code token = sha256(time)}); the codec only bounds the strings so a frame cannot carry huge ones.
 *
 * @param networkVersion u16, 0x04b5 + the peer's protocol version
 * @param time i64 nanoseconds since the epoch
 * @param lastIrreversibleBlockNum u32
 * @param headNum u32
 * @param generation i16, how many handshakes the sender has sent on this connection, from 1
 */
public record HandshakeMessage(int networkVersion, Checksum256 chainId, Checksum256 nodeId, AntelopePublicKey key,
    long time, Checksum256 token, AntelopeSignature sig, String p2pAddress, long lastIrreversibleBlockNum,
    Checksum256 lastIrreversibleBlockId, long headNum, Checksum256 headId, String os, String agent, int generation)
    implements AntelopeMessage {

  /** The longest string field decoded, in UTF-8 bytes: well above nodeos' 384 characters of ASCII. */
  public static final int MAX_STRING_BYTES = 1024;

  public HandshakeMessage {
    FcRange.u16("networkVersion", networkVersion);
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(sig, "sig");
    Objects.requireNonNull(p2pAddress, "p2pAddress");
    FcRange.u32("lastIrreversibleBlockNum", lastIrreversibleBlockNum);
    Objects.requireNonNull(lastIrreversibleBlockId, "lastIrreversibleBlockId");
    FcRange.u32("headNum", headNum);
    Objects.requireNonNull(headId, "headId");
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(agent, "agent");
    FcRange.i16("generation", generation);
  }

  public static HandshakeMessage decode(FcReader in) {
    return new HandshakeMessage(in.u16("network_version"), in.checksum256("chain_id"), in.checksum256("node_id"),
        in.publicKey("key"), in.i64("time"), in.checksum256("token"), in.signature("sig"),
        in.string("p2p_address", MAX_STRING_BYTES), in.u32("last_irreversible_block_num"),
        in.checksum256("last_irreversible_block_id"), in.u32("head_num"), in.checksum256("head_id"),
        in.string("os", MAX_STRING_BYTES), in.string("agent", MAX_STRING_BYTES), in.i16("generation"));
  }

  public static HandshakeMessage fromJson(JsonObject json) {
    JsonFields in = FcJson.of(json);
    return new HandshakeMessage(in.u16("networkVersion"), in.parsed("chainId", FcJson.CHECKSUM256),
        in.parsed("nodeId", FcJson.CHECKSUM256), in.parsed("key", FcJson.PUBLIC_KEY), in.i64("time"),
        in.parsed("token", FcJson.CHECKSUM256), in.parsed("sig", FcJson.SIGNATURE), in.string("p2pAddress"),
        in.u32("lastIrreversibleBlockNumber"), in.parsed("lastIrreversibleBlockId", FcJson.CHECKSUM256),
        in.u32("headNum"), in.parsed("headId", FcJson.CHECKSUM256), in.string("os"), in.string("agent"),
        in.i16("generation"));
  }

  @Override
  public void encode(FcWriter out) {
    out.u16(networkVersion).checksum256(chainId).checksum256(nodeId).publicKey(key).i64(time).checksum256(token)
        .signature(sig).string(p2pAddress).u32(lastIrreversibleBlockNum).checksum256(lastIrreversibleBlockId)
        .u32(headNum).checksum256(headId).string(os).string(agent).i16(generation);
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("networkVersion", networkVersion)
        .put("chainId", chainId.toHex())
        .put("nodeId", nodeId.toHex())
        .put("key", key.toString())
        .put("time", FcJson.signedDecimal(time))
        .put("token", token.toHex())
        .put("sig", sig.toString())
        .put("p2pAddress", p2pAddress)
        .put("lastIrreversibleBlockNumber", lastIrreversibleBlockNum)
        .put("lastIrreversibleBlockId", lastIrreversibleBlockId.toHex())
        .put("headNum", headNum)
        .put("headId", headId.toHex())
        .put("os", os)
        .put("agent", agent)
        .put("generation", generation);
  }

  @Override
  public NetMessageType type() {
    return NetMessageType.HANDSHAKE;
  }
}
