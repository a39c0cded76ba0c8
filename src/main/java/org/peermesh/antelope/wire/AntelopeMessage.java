package org.peermesh.antelope.wire;

import io.vertx.core.json.JsonObject;

/**
 * One variant of nodeos' {@code net_message}: its index on the wire, its type name, its fields packed with fc and a
 * JSON form (wharfkit's field names) for logs and the event bus. Implementations are immutable, so a message can be
 * shared between verticles; {@link AntelopeMessages} decodes, frames and builds them from JSON.
 */
public sealed interface AntelopeMessage permits HandshakeMessage, ChainSizeMessage, GoAwayMessage, TimeMessage,
    NoticeMessage, RequestMessage, SyncRequestMessage, SignedBlock, PackedTransaction, UnknownMessage {

  /** The index of the variant in {@code net_message}, written before the fields. */
  int variant();

  /** nodeos' name of the type, e.g. {@code "handshake_message"}. */
  String typeName();

  /** Appends the fields, without the variant index. */
  void encode(FcWriter out);

  JsonObject toJson();
}
