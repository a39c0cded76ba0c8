package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The variants of nodeos' {@code net_message}, in index order: Leap 5's nine, decoded, and Spring's five after them,
 * passed through as they came ({@link UnknownMessage}) so that a Spring peer that sends one is not cut. An index
 * past them is refused, as nodeos refuses it.
 */
public enum NetMessageType {
  HANDSHAKE("handshake_message", HandshakeMessage::decode, HandshakeMessage::fromJson),
  CHAIN_SIZE("chain_size_message", ChainSizeMessage::decode, ChainSizeMessage::fromJson),
  GO_AWAY("go_away_message", GoAwayMessage::decode, GoAwayMessage::fromJson),
  TIME("time_message", TimeMessage::decode, TimeMessage::fromJson),
  NOTICE("notice_message", NoticeMessage::decode, NoticeMessage::fromJson),
  REQUEST("request_message", RequestMessage::decode, RequestMessage::fromJson),
  SYNC_REQUEST("sync_request_message", SyncRequestMessage::decode, SyncRequestMessage::fromJson),
  SIGNED_BLOCK("signed_block", SignedBlock::decode, SignedBlock::fromJson),
  PACKED_TRANSACTION("packed_transaction", PackedTransaction::decode, PackedTransaction::fromJson),
  VOTE("vote_message"),
  BLOCK_NACK("block_nack_message"),
  BLOCK_NOTICE("block_notice_message"),
  GOSSIP_BP_PEERS("gossip_bp_peers_message"),
  TRANSACTION_NOTICE("transaction_notice_message");

  private static final List<String> TYPE_NAMES = Arrays.stream(values()).map(NetMessageType::typeName).toList();

  private final String typeName;
  /** Null for Spring's pass-through variants. */
  private final Function<FcReader, AntelopeMessage> decoder;
  private final Function<JsonObject, AntelopeMessage> fromJson;

  NetMessageType(String typeName, Function<FcReader, AntelopeMessage> decoder,
                 Function<JsonObject, AntelopeMessage> fromJson) {
    this.typeName = typeName;
    this.decoder = decoder;
    this.fromJson = fromJson;
  }

  /** One of Spring's variants, passed through. */
  NetMessageType(String typeName) {
    this(typeName, null, null);
  }

  /** The variant of index {@code index}, if nodeos has one. */
  public static Optional<NetMessageType> ofIndex(long index) {
    return index >= 0 && index < values().length ? Optional.of(values()[(int) index]) : Optional.empty();
  }

  /** The variant named {@code typeName}, if nodeos has one. */
  public static Optional<NetMessageType> ofName(String typeName) {
    int index = TYPE_NAMES.indexOf(typeName);
    return index < 0 ? Optional.empty() : Optional.of(values()[index]);
  }

  /** Every type name, in index order. */
  public static List<String> typeNames() {
    return TYPE_NAMES;
  }

  /** The index written before the fields. */
  public int index() {
    return ordinal();
  }

  /** nodeos' name of the type, e.g. {@code handshake_message}: the segment of its bus address. */
  public String typeName() {
    return typeName;
  }

  /** Whether this is one of Spring's variants, which the codec passes through without reading. */
  public boolean isPassedThrough() {
    return decoder == null;
  }

  /** The message whose fields {@code in} holds (after the index); the caller checks that nothing follows. */
  AntelopeMessage decode(FcReader in) {
    return isPassedThrough() ? UnknownMessage.decode(index(), in) : decoder.apply(in);
  }

  /** The message from its JSON form; a pass-through variant takes {@code {"body": hex}}. */
  AntelopeMessage fromJson(JsonObject json) {
    return isPassedThrough() ? UnknownMessage.fromJson(index(), json) : fromJson.apply(json);
  }
}
