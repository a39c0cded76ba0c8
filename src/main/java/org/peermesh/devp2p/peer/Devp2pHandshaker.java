package org.peermesh.devp2p.peer;

import org.peermesh.devp2p.base.BaseMessageCodes;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.devp2p.base.HelloCheck;
import org.peermesh.devp2p.base.HelloMessage;
import org.peermesh.devp2p.base.SubProtocol;
import org.peermesh.devp2p.discovery.NodeId;
import org.peermesh.devp2p.rlpx.RlpxHandshake;
import org.peermesh.devp2p.rlpx.RlpxSecrets;
import org.peermesh.net.MalformedInputException;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.HandshakeStep;
import org.peermesh.peer.Handshaker;
import org.peermesh.peer.Refusal;

import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

/**
 * An RLPx connection's handshake as go-ethereum's {@code setupConn} runs it, as a pure state machine: the EIP-8
 * encryption handshake (auth from the dialer, ack from the dialed; a pre-EIP-8 auth is answered in kind), then the
 * checks that need only the proven key (ourselves; one connection per node, across the cluster, through the layer's
 * claim), then the protocol handshake (both Hellos; the peer's checked as geth does). The layer frames everything after the key exchange with the keys
 * ({@link #framing}) and reads the bytes that came behind the packet at once.
 *
 * <p>Refusals after the key exchange tell the peer why in a Disconnect, as geth does: 0x05 already connected, 0x0a
 * ourselves, 0x07/0x09 a Hello whose id is not the proven key, 0x03 no shared capability. Before the keys there is
 * no way to say anything: a bad auth or ack closes the connection.
 */
final class Devp2pHandshaker implements Handshaker<RlpxMessage, Devp2pHandshake> {

  /** What a packet that does not open or decode costs: the same as a malformed frame. */
  private static final int BAD_PACKET_PENALTY = Devp2pRefusals.MALFORMED_PENALTY;

  private final byte[] privateKey;
  private final NodeId self;
  private final HelloMessage ourHello;
  private final List<SubProtocol> ours;
  private final int maxMessageSize;
  private final SecureRandom random;
  /** The dialer's half; null for a connection we accepted. */
  private final RlpxHandshake.Initiator initiator;
  private final boolean outbound;

  private RlpxSecrets secrets;
  private NodeId remoteId;
  private boolean authFramed;
  private boolean framed;
  private boolean helloSent;

  /**
   * @param privateKey     the node's static key, 32 bytes
   * @param outbound       whether we dial the peer
   * @param dialed         the key of the node we dial, from its enode URL; null for a connection we accepted
   * @param ourHello       our Hello, sent once the peer's key is proven and claimed
   * @param ours           the sub-protocols we run, to negotiate against the peer's Hello
   * @param maxMessageSize the session's limit on a message, decompressed or not
   */
  Devp2pHandshaker(byte[] privateKey, boolean outbound, NodeId dialed, HelloMessage ourHello, List<SubProtocol> ours,
                   int maxMessageSize, SecureRandom random) {
    this.privateKey = privateKey;
    this.self = NodeId.ofPrivateKey(privateKey);
    this.ourHello = Objects.requireNonNull(ourHello, "ourHello");
    this.ours = List.copyOf(ours);
    this.maxMessageSize = maxMessageSize;
    this.random = random;
    this.outbound = outbound;
    this.initiator = !outbound || dialed == null ? null : RlpxHandshake.initiator(privateKey, dialed.bytes(), random);
  }

  @Override
  public HandshakeStep<RlpxMessage, Devp2pHandshake> start() {
    if (initiator == null && outbound) {
      return HandshakeStep.refuse(Refusal.of(DisconnectReason.NORMAL, "no_node_id",
          "dialed without the node's id: devp2p dials enode:// URLs"));
    }
    return HandshakeStep.proceed(initiator == null ? List.of()
        : List.of(new RlpxMessage.HandshakePacket(initiator.firstMessage())));
  }

  @Override
  public HandshakeStep<RlpxMessage, Devp2pHandshake> onMessage(RlpxMessage message) {
    if (message instanceof RlpxMessage.HandshakePacket packet) {
      return secrets == null ? onPacket(packet) : refuse("unexpected_packet", "a second handshake packet");
    }
    RlpxMessage.Frame frame = (RlpxMessage.Frame) message;
    if (!helloSent) {
      // The layer holds what comes while the claim is settled; nothing else reaches us before it.
      return refuse("expected_hello", "a frame before the handshake's keys were claimed");
    }
    if (frame.code() != BaseMessageCodes.HELLO) {
      return refuse("expected_hello", "message 0x" + Integer.toHexString(frame.code()) + " before Hello");
    }
    return onHello(frame);
  }

  private HandshakeStep<RlpxMessage, Devp2pHandshake> onPacket(RlpxMessage.HandshakePacket packet) {
    List<RlpxMessage> send;
    try {
      if (initiator != null) {
        secrets = initiator.onAck(packet.bytes());
        send = List.of();
      } else {
        RlpxHandshake.Accepted accepted = RlpxHandshake.responder(privateKey, random).onAuth(packet.bytes());
        secrets = accepted.secrets();
        send = List.of(new RlpxMessage.HandshakePacket(accepted.ackPacket()));
      }
    } catch (MalformedInputException e) {
      return HandshakeStep.refuse(Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, e.kind(), e.detail(),
          BAD_PACKET_PENALTY));
    }
    remoteId = NodeId.of(secrets.remotePublicKey64());
    if (remoteId.equals(self)) {
      return new HandshakeStep.Refused<>(send, Devp2pRefusals.refusal(Devp2pDisconnectReason.CONNECTED_TO_SELF,
          "the peer is this node", 0));
    }
    return new HandshakeStep.Claim<>(send, remoteId.hex());
  }

  /** Once the keys exist, everything is framed with them, starting with what the peer sent behind its packet. */
  @Override
  public FrameCodec<RlpxMessage> framing(FrameCodec<RlpxMessage> current) {
    if (!outbound && !authFramed) {
      // Asked after start(), before the peer is heard: the layer's codec, made before the direction was known,
      // gives way to one that also takes a pre-EIP-8 auth, as geth's responder does. Never for a dialed peer:
      // we send EIP-8, so its ack is EIP-8.
      authFramed = true;
      return RlpxHandshakeCodec.forAuth(privateKey);
    }
    if (secrets == null || framed) {
      return current;
    }
    framed = true;
    return new RlpxSessionCodec(secrets, ((RlpxHandshakeCodec) current).remainder(), maxMessageSize);
  }

  @Override
  public HandshakeStep<RlpxMessage, Devp2pHandshake> onClaim(boolean granted, String detail) {
    if (!granted) {
      return HandshakeStep.refuse(Devp2pRefusals.refusal(Devp2pDisconnectReason.ALREADY_CONNECTED,
          "already connected to node " + remoteId.hex().substring(0, 16) + (detail == null ? "" : ": " + detail), 0));
    }
    helloSent = true;
    return HandshakeStep.proceed(List.of(RlpxMessage.Frame.owning(BaseMessageCodes.HELLO, ourHello.encode())));
  }

  private HandshakeStep<RlpxMessage, Devp2pHandshake> onHello(RlpxMessage.Frame frame) {
    HelloMessage hello;
    try {
      hello = HelloMessage.decode(frame.payloadArray());
    } catch (MalformedInputException e) {
      return HandshakeStep.refuse(Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, "bad_hello",
          e.getMessage(), BAD_PACKET_PENALTY));
    }
    HelloCheck.Outcome outcome = HelloCheck.check(hello, remoteId.bytes(), ours);
    if (outcome instanceof HelloCheck.Refused refused) {
      // A peer that names another key tried to pass for another node: misbehaviour; one we share nothing with is not.
      int penalty = refused.reason() == Devp2pDisconnectReason.USELESS_PEER ? 0 : BAD_PACKET_PENALTY;
      return HandshakeStep.refuse(Devp2pRefusals.refusal(refused.reason(), refused.detail(), penalty));
    }
    return new HandshakeStep.Established<>(List.of(),
        new Devp2pHandshake(remoteId, hello, ((HelloCheck.Accepted) outcome).negotiated()));
  }

  private static HandshakeStep<RlpxMessage, Devp2pHandshake> refuse(String kind, String detail) {
    return HandshakeStep.refuse(Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, kind, detail,
        BAD_PACKET_PENALTY));
  }
}
