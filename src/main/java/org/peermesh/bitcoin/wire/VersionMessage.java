package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.peermesh.json.JsonFields;

/**
 * The first message each side sends: what it speaks and serves, who it thinks it talks to, and a
 * nonce that lets a node detect a connection to itself.
 *
 * <pre>
 * version int32 | services u64 | timestamp int64 | receiver {@link NetworkAddress} | sender {@link NetworkAddress}
 *   | nonce u64 | userAgent CompactSize-length UTF-8 (max 256 bytes) | startHeight int32 | relay bool (from 70001)
 * </pre>
 *
 * The relay byte came with BIP37 in protocol version 70001: when it is absent relay is true. It is
 * written for versions from 70001 on, and before only when relay is false, the one way to carry that
 * (Core, like the decoder, reads the byte whatever the version): so a pre-70001 message without it
 * re-encodes to its own bytes, and every message to bytes that decode to it.
 * JSON: {@code {"version", "services", "timestamp", "receiver", "sender", "nonce": decimal string,
 * "userAgent", "startHeight", "relay"}}, the addresses as {@link NetworkAddress#toJson()}.
 *
 * @param services the sender's service bits, u64 bit for bit
 * @param timestamp unix seconds
 * @param nonce u64 bit for bit
 * @param relay BIP37: whether the sender wants transactions announced before it sends a filter
 */
public record VersionMessage(int protocolVersion, long services, long timestamp, NetworkAddress receiver,
    NetworkAddress sender, long nonce, String userAgent, int startHeight, boolean relay) implements BitcoinMessage {

  public static final String COMMAND = "version";

  /** Core's MAX_SUBVERSION_LENGTH. */
  public static final int MAX_USER_AGENT_BYTES = 256;

  /** BIP37: the first protocol version whose version message has the relay byte. */
  public static final int RELAY_FIELD_VERSION = 70001;

  public VersionMessage {
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(sender, "sender");
    Fields.requireUtf8AtMost(userAgent, MAX_USER_AGENT_BYTES, "userAgent");
  }

  public static VersionMessage decode(Buffer payload) {
    return PayloadReader.decode(COMMAND, payload, in -> new VersionMessage(
        in.int32("version"),
        in.int64("services"),
        in.int64("timestamp"),
        NetworkAddress.read(in, "receiver"),
        NetworkAddress.read(in, "sender"),
        in.int64("nonce"),
        in.varString("userAgent", MAX_USER_AGENT_BYTES),
        in.int32("startHeight"),
        in.atEnd() || in.bool("relay")));
  }

  public static VersionMessage fromJson(JsonObject json) {
    JsonFields in = JsonFields.of(json);
    return new VersionMessage(in.i32("version"), in.u64("services"), in.i64("timestamp"),
        NetworkAddress.fromJson(in.object("receiver")), NetworkAddress.fromJson(in.object("sender")),
        in.parsed("nonce", BitcoinJson.U64_DECIMAL), in.string("userAgent"), in.i32("startHeight"), in.bool("relay"));
  }

  @Override
  public String command() {
    return COMMAND;
  }

  @Override
  public Buffer payload() {
    PayloadWriter out = new PayloadWriter()
        .int32(protocolVersion)
        .int64(services)
        .int64(timestamp);
    receiver.writeTo(out);
    sender.writeTo(out);
    out.int64(nonce).varString(userAgent).int32(startHeight);
    if (protocolVersion >= RELAY_FIELD_VERSION || !relay) {
      out.bool(relay);
    }
    return out.buffer();
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("version", protocolVersion)
        .put("services", BitcoinJson.unsignedNumber(services))
        .put("timestamp", timestamp)
        .put("receiver", receiver.toJson())
        .put("sender", sender.toJson())
        .put("nonce", Long.toUnsignedString(nonce))
        .put("userAgent", userAgent)
        .put("startHeight", startHeight)
        .put("relay", relay);
  }
}
