package org.peermesh.bitcoin.wire;

import static java.util.Map.entry;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Decodes a frame's command and payload into its message class, and JSON back into messages. An
 * unknown command becomes a {@link RawMessage}, never an error: peers send messages newer than
 * this code, and the protocol says to ignore what one does not understand.
 */
public final class BitcoinMessages {

  /** How to read one known command, from its payload and from its JSON. */
  private record Codec(Function<Buffer, BitcoinMessage> decoder, Function<JsonObject, BitcoinMessage> fromJson) {
  }

  private static final Map<String, Codec> CODECS = Map.ofEntries(
      entry(VersionMessage.COMMAND, new Codec(VersionMessage::decode, VersionMessage::fromJson)),
      entry(VerackMessage.COMMAND, new Codec(VerackMessage::decode, VerackMessage::fromJson)),
      entry(PingMessage.COMMAND, new Codec(PingMessage::decode, PingMessage::fromJson)),
      entry(PongMessage.COMMAND, new Codec(PongMessage::decode, PongMessage::fromJson)),
      entry(GetAddrMessage.COMMAND, new Codec(GetAddrMessage::decode, GetAddrMessage::fromJson)),
      entry(AddrMessage.COMMAND, new Codec(AddrMessage::decode, AddrMessage::fromJson)),
      entry(AddrV2Message.COMMAND, new Codec(AddrV2Message::decode, AddrV2Message::fromJson)),
      entry(SendAddrV2Message.COMMAND, new Codec(SendAddrV2Message::decode, SendAddrV2Message::fromJson)),
      entry(InvMessage.COMMAND, new Codec(InvMessage::decode, InvMessage::fromJson)),
      entry(GetDataMessage.COMMAND, new Codec(GetDataMessage::decode, GetDataMessage::fromJson)),
      entry(NotFoundMessage.COMMAND, new Codec(NotFoundMessage::decode, NotFoundMessage::fromJson)),
      entry(GetHeadersMessage.COMMAND, new Codec(GetHeadersMessage::decode, GetHeadersMessage::fromJson)),
      entry(GetBlocksMessage.COMMAND, new Codec(GetBlocksMessage::decode, GetBlocksMessage::fromJson)),
      entry(HeadersMessage.COMMAND, new Codec(HeadersMessage::decode, HeadersMessage::fromJson)),
      entry(BlockMessage.COMMAND, new Codec(BlockMessage::decode, BlockMessage::fromJson)),
      entry(TxMessage.COMMAND, new Codec(TxMessage::decode, TxMessage::fromJson)),
      entry(SendHeadersMessage.COMMAND, new Codec(SendHeadersMessage::decode, SendHeadersMessage::fromJson)),
      entry(SendCmpctMessage.COMMAND, new Codec(SendCmpctMessage::decode, SendCmpctMessage::fromJson)),
      entry(FeeFilterMessage.COMMAND, new Codec(FeeFilterMessage::decode, FeeFilterMessage::fromJson)),
      entry(WtxidRelayMessage.COMMAND, new Codec(WtxidRelayMessage::decode, WtxidRelayMessage::fromJson)),
      entry(MempoolMessage.COMMAND, new Codec(MempoolMessage::decode, MempoolMessage::fromJson)),
      entry(RejectMessage.COMMAND, new Codec(RejectMessage::decode, RejectMessage::fromJson)));

  private BitcoinMessages() {
  }

  /**
   * @throws BitcoinWireException TRUNCATED, TRAILING_BYTES or INVALID_FIELD if {@code command} is
   *     known and its payload is malformed
   */
  public static BitcoinMessage decode(String command, Buffer payload) {
    Codec codec = CODECS.get(command);
    return codec == null ? new RawMessage(command, payload) : codec.decoder().apply(payload);
  }

  /**
   * The inverse of {@link BitcoinMessage#toJson()}; for an unknown command {@code {"payload": hex}}.
   *
   * @throws IllegalArgumentException naming the field, if the JSON does not describe a valid message
   */
  public static BitcoinMessage fromJson(String command, JsonObject json) {
    Codec codec = CODECS.get(command);
    return codec == null ? RawMessage.fromJson(command, json) : codec.fromJson().apply(json);
  }

  /** The commands decoded into classes of their own; every other command becomes a {@link RawMessage}. */
  public static Set<String> knownCommands() {
    return CODECS.keySet();
  }
}
