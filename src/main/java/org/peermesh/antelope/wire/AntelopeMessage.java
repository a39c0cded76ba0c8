package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;

/**
 * One variant of nodeos' {@code net_message}: its index on the wire, its type name, its fields packed with fc and a
 * JSON form (wharfkit's field names) for logs and the event bus. Implementations are immutable, so a message can be
 * shared between verticles; {@link AntelopeMessages} decodes, frames and builds them from JSON.
 */
public sealed interface AntelopeMessage permits HandshakeMessage, ChainSizeMessage, GoAwayMessage, TimeMessage,
    NoticeMessage, RequestMessage, SyncRequestMessage, SignedBlock, PackedTransaction, UnknownMessage {

  /** Which variant of {@code net_message} this is. */
  NetMessageType type();

  /** The index of the variant in {@code net_message}, written before the fields. */
  default int variant() {
    return type().index();
  }

  /** nodeos' name of the type, e.g. {@code "handshake_message"}. */
  default String typeName() {
    return type().typeName();
  }

  /** Appends the fields, without the variant index. */
  void encode(FcWriter out);

  JsonObject toJson();
}
