package org.peermesh.bitcoin.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One Bitcoin P2P message: its command (the frame header's name for it), its serialized payload,
 * and a JSON form for logs, the event bus and the node API. Implementations are immutable, so a
 * message can be shared between verticles; {@link BitcoinMessages#fromJson} inverts {@link
 * #toJson()}.
 */
public interface BitcoinMessage {

  /** The command, e.g. {@code "version"}: 1..12 printable ASCII characters. */
  String command();

  /** The serialized payload, without the frame header; a fresh buffer the caller may keep or change. */
  Buffer payload();

  JsonObject toJson();
}
