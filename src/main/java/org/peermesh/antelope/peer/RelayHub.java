package org.peermesh.antelope.peer;

import io.vertx.core.Context;
import org.peermesh.antelope.wire.AntelopeMessage;
import org.peermesh.antelope.wire.Checksum256;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The established Antelope sessions of a node, so that what one peer sends new is relayed to the others. Each
 * session runs on its connection's context, so a relayed message is handed to it there.
 */
final class RelayHub {

  private final Map<AntelopeSession, Context> sessions = new ConcurrentHashMap<>();

  void join(AntelopeSession session, Context context) {
    sessions.put(session, context);
  }

  void leave(AntelopeSession session) {
    sessions.remove(session);
  }

  /**
   * Hands {@code message}, whose block or transaction id is {@code id} and which takes {@code size} bytes on the wire,
   * to every session but {@code from}'s.
   */
  void relay(AntelopeMessage message, Checksum256 id, long size, AntelopeSession from) {
    sessions.forEach((session, context) -> {
      if (session != from) {
        context.runOnContext(v -> session.relayed(message, id, size));
      }
    });
  }
}
