package org.peermesh.peer.echo;

import io.vertx.core.buffer.Buffer;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.Handshaker;
import org.peermesh.peer.PeerLink;
import org.peermesh.peer.Refusal;
import org.peermesh.peer.Session;
import org.peermesh.peer.WireProtocol;

import java.util.Objects;
import java.util.Set;

/**
 * A toy wire protocol that proves the peer layer's SPI: length-prefixed UTF-8 lines ({@link EchoCodec}), a
 * hello/welcome handshake that claims the peer's id ({@link EchoHandshaker}), a session that echoes what a peer says
 * ({@link EchoSession}). Limits, bans, back-off, claims, events and commands are all the layer's.
 */
public final class EchoProtocol implements WireProtocol<EchoMessage, String> {

  public static final String NAME = "echo";
  /** The peer command that makes a peer say something: {@code <prefix>.echo.command.say}. */
  public static final String SAY = "say";
  /** What breaking the protocol costs a peer's score of 100: an address that does it four times is banned. */
  public static final int VIOLATION_PENALTY = 25;

  private final String id;

  /** @param id this node's id, which its peers claim */
  public EchoProtocol(String id) {
    this.id = Objects.requireNonNull(id, "id");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public FrameCodec<EchoMessage> newCodec() {
    return new EchoCodec();
  }

  @Override
  public Handshaker<EchoMessage, String> newHandshaker(PeerLink<EchoMessage> link) {
    return new EchoHandshaker(link.direction(), id);
  }

  @Override
  public Session<EchoMessage> newSession(PeerLink<EchoMessage> link, String peerId) {
    return new EchoSession(link, peerId);
  }

  /** Everything a peer sends, published on {@code <prefix>.echo.text}. */
  @Override
  public void received(PeerLink<EchoMessage> link, EchoMessage message, Buffer payload) {
    link.publish("text", link.header().put("text", message.line()));
  }

  /** Its verb: a constant per verb, as metrics need. */
  @Override
  public String messageType(EchoMessage message) {
    return message.verb().word();
  }

  @Override
  public Set<String> peerCommands() {
    return Set.of(SAY);
  }

  static Refusal violation(String kind, String detail) {
    return Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, kind, detail, VIOLATION_PENALTY);
  }
}
