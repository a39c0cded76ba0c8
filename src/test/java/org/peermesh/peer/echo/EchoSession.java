package org.peermesh.peer.echo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.peermesh.bus.Failure;
import org.peermesh.peer.PeerLink;
import org.peermesh.peer.Session;
import org.peermesh.peer.echo.EchoMessage.Verb;

/** An established echo peer: a say is echoed, a ping ponged; the {@code say} command speaks to the peer. */
final class EchoSession implements Session<EchoMessage> {

  private final PeerLink<EchoMessage> link;
  private final String peerId;

  EchoSession(PeerLink<EchoMessage> link, String peerId) {
    this.link = link;
    this.peerId = peerId;
  }

  @Override
  public void onMessage(EchoMessage message) {
    switch (message.verb()) {
      case SAY -> link.send(new EchoMessage(Verb.ECHO, message.argument()));
      case PING -> link.send(new EchoMessage(Verb.PONG, message.argument()));
      case PONG -> link.pong(message.nonce());
      case ECHO -> { } // published by the protocol, as everything received
      case HELLO, WELCOME -> link.refuse(EchoProtocol.violation("unexpected_" + message.verb().word(),
          message.verb().word() + " after the handshake"));
    }
  }

  @Override
  public EchoMessage ping(long nonce) {
    return new EchoMessage(Verb.PING, Long.toString(nonce));
  }

  @Override
  public void describe(JsonObject info) {
    info.put("id", peerId);
  }

  /** {@code say}: {@code {"peer", "text"}}. */
  @Override
  public Future<JsonObject> command(String action, JsonObject body) {
    if (!action.equals(EchoProtocol.SAY)) {
      return Session.super.command(action, body);
    }
    EchoMessage say;
    try {
      say = new EchoMessage(Verb.SAY, body.getString("text", ""));
    } catch (IllegalArgumentException | ClassCastException e) {
      return Future.failedFuture(Failure.BAD_REQUEST.exception("say needs {\"peer\", \"text\"}, a text of at most "
          + EchoMessage.MAX_ARGUMENT + " bytes"));
    }
    link.send(say);
    return Future.succeededFuture(new JsonObject().put("peer", link.name()).put("text", say.argument()));
  }
}
