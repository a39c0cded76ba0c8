package org.peermesh.peer.echo;

import org.peermesh.peer.Direction;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.HandshakeStep;
import org.peermesh.peer.Handshaker;
import org.peermesh.peer.Refusal;
import org.peermesh.peer.echo.EchoMessage.Verb;

import java.util.List;

/**
 * The dialer says {@code hello <id>}, the listener answers {@code welcome <id>}. Each side claims the id the peer
 * names before it goes on; the listener welcomes only a peer whose claim it was granted.
 */
final class EchoHandshaker implements Handshaker<EchoMessage, String> {

  private final Direction direction;
  private final String ownId;
  /** The id the peer named, claimed or being claimed; null until then. */
  private String peerId;

  EchoHandshaker(Direction direction, String ownId) {
    this.direction = direction;
    this.ownId = ownId;
  }

  @Override
  public HandshakeStep<EchoMessage, String> start() {
    return HandshakeStep.proceed(direction == Direction.OUTBOUND
        ? List.of(new EchoMessage(Verb.HELLO, ownId)) : List.of());
  }

  @Override
  public HandshakeStep<EchoMessage, String> onMessage(EchoMessage message) {
    Verb awaited = direction == Direction.OUTBOUND ? Verb.WELCOME : Verb.HELLO;
    if (peerId != null || message.verb() != awaited) {
      return HandshakeStep.refuse(EchoProtocol.violation("unexpected_" + message.verb().word(),
          message.verb().word() + " during the handshake" + (peerId == null ? ", before " + awaited.word() : "")));
    }
    peerId = message.argument();
    return new HandshakeStep.Claim<>(List.of(), peerId);
  }

  @Override
  public HandshakeStep<EchoMessage, String> onClaim(boolean granted, String detail) {
    if (!granted) {
      return HandshakeStep.refuse(Refusal.of(DisconnectReason.DUPLICATE_CONNECTION, "duplicate_connection",
          "peer " + peerId + " is connected already" + (detail == null ? "" : ": " + detail)));
    }
    return new HandshakeStep.Established<>(direction == Direction.INBOUND
        ? List.of(new EchoMessage(Verb.WELCOME, ownId)) : List.of(), peerId);
  }
}
