package org.peermesh.mesh;

import org.peermesh.crypto.NodeKey;
import org.peermesh.crypto.PeerId;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.mesh.wire.Auth;
import org.peermesh.mesh.wire.HandshakeTranscript;
import org.peermesh.mesh.wire.Hello;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.HandshakeStep;
import org.peermesh.peer.Handshaker;
import org.peermesh.peer.Refusal;
import org.peermesh.reputation.Penalty;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The mesh protocol's handshake (docs/wire-protocol.md, "Handshake"): both sides send Hello and check the other's,
 * then each proves its key with an Auth that signs the other side's fresh nonce. One instance per connection.
 *
 * <p>The peer's Hello names its key, which the layer claims in the cluster ({@link HandshakeStep.Claim}) before this
 * side sends its Auth, so a peer never admits a connection the node then refuses. The peer sends its Auth as soon as
 * it has our Hello, so it may arrive while the claim is pending: it is kept and judged once the claim is granted.
 *
 * <p>A Disconnect from the peer is no handshake message but the peer leaving, which the layer handles before it asks
 * the handshaker; passed here, it is out of place like anything else.
 */
public final class MeshHandshaker implements Handshaker<WireMessage, MeshHandshake> {

  /** The {@link Refusal#kind} of each way a mesh handshake fails. */
  public static final class Kind {
    public static final String INCOMPATIBLE_NETWORK = "incompatible_network";
    public static final String INCOMPATIBLE_PROTOCOL_VERSION = "incompatible_protocol_version";
    /** The Hello's key is not a secp256k1 point, so no signature of it could verify. */
    public static final String INVALID_PUBLIC_KEY = "invalid_public_key";
    public static final String SELF_CONNECTION = "self_connection";
    /** The cluster denied the claim: the peer is held by another connection of the node. */
    public static final String DUPLICATE_CONNECTION = "duplicate_connection";
    /** The Auth's signature is not the Hello key's over this connection's transcript. */
    public static final String INVALID_SIGNATURE = "invalid_signature";
    /** The Auth's nodeInfo is over maxPeerInfoSize. */
    public static final String INVALID_NODE_INFO = "invalid_node_info";
    /** Anything but Hello (once) then Auth (once, after the Hello). */
    public static final String UNEXPECTED_MESSAGE = "unexpected_message";

    private Kind() {
    }
  }

  private final String networkId;
  private final String protocolVersion;
  private final int maxPeerInfoSize;
  private final NodeKey nodeKey;
  private final byte[] nonce;
  private final int listenPort;
  private final Supplier<JsonPayload> nodeInfo;

  /** The peer's Hello once it passed the checks; its key is the identity claimed. */
  private Hello remoteHello;
  private PeerId remoteId;
  private boolean claimGranted;
  /** The peer's Auth when it came before the claim was granted; judged once it is. */
  private Auth earlyAuth;
  /** The peer's Auth verified: its session's messages are framed as a session's. */
  private boolean established;

  /**
   * @param networkId       the mesh this node belongs to; a peer of another is refused
   * @param protocolVersion this node's "MAJOR.MINOR"; a peer of another major is refused
   * @param maxPeerInfoSize the largest nodeInfo, in bytes, the peer's Auth may carry
   * @param nodeKey         this node's key, which our Hello names and our Auth proves
   * @param nonce           32 fresh random bytes for this connection only, which the peer must sign
   * @param listenPort      the port this node accepts connections on, 0 if none, for the peer to book
   * @param nodeInfo        this node's nodeInfo, read when our Auth is built so that the peer gets the current one
   */
  public MeshHandshaker(String networkId, String protocolVersion, int maxPeerInfoSize, NodeKey nodeKey, byte[] nonce,
                        int listenPort, Supplier<JsonPayload> nodeInfo) {
    this.networkId = Objects.requireNonNull(networkId, "networkId");
    this.protocolVersion = Objects.requireNonNull(protocolVersion, "protocolVersion");
    this.maxPeerInfoSize = maxPeerInfoSize;
    this.nodeKey = Objects.requireNonNull(nodeKey, "nodeKey");
    this.nonce = nonce.clone();
    this.listenPort = listenPort;
    this.nodeInfo = Objects.requireNonNull(nodeInfo, "nodeInfo");
  }

  @Override
  public HandshakeStep<WireMessage, MeshHandshake> start() {
    return HandshakeStep.proceed(List.of(new Hello(networkId, protocolVersion, nodeKey.publicKey(), nonce,
        listenPort)));
  }

  @Override
  public HandshakeStep<WireMessage, MeshHandshake> onMessage(WireMessage message) {
    if (message instanceof Hello hello && remoteHello == null) {
      return onHello(hello);
    }
    if (message instanceof Auth auth && remoteHello != null && earlyAuth == null) {
      if (claimGranted) {
        return onAuth(auth, List.of());
      }
      earlyAuth = auth;
      return HandshakeStep.proceed(List.of());
    }
    String detail = "unexpected " + message.getClass().getSimpleName() + " during the handshake";
    return HandshakeStep.refuse(Refusal.violation(DisconnectReason.PROTOCOL_VIOLATION, Kind.UNEXPECTED_MESSAGE, detail,
        Penalty.MALFORMED_FRAME.amount()));
  }

  /**
   * Sends our Auth once the peer is ours to hold, and judges the peer's if it is already here.
   *
   * @param detail why the claim could not be made (the cluster failed to answer), or null if the cluster answered:
   *               then a denied claim means another member holds the peer
   */
  @Override
  public HandshakeStep<WireMessage, MeshHandshake> onClaim(boolean granted, String detail) {
    if (!granted) {
      return refuse(DisconnectReason.DUPLICATE_CONNECTION, Kind.DUPLICATE_CONNECTION, detail == null
          ? "already connected to " + remoteId + " through another member of this node"
          : "cannot claim " + remoteId + " in the cluster: " + detail);
    }
    claimGranted = true;
    byte[] challenge = HandshakeTranscript.challengeHash(networkId, remoteHello.nonce(), nonce, nodeKey.publicKey(),
        remoteHello.publicKey());
    List<WireMessage> ownAuth = List.of(new Auth(nodeKey.sign(challenge), nodeInfo.get()));
    return earlyAuth == null ? HandshakeStep.proceed(ownAuth) : onAuth(earlyAuth, ownAuth);
  }

  /** The checks of docs/wire-protocol.md, in order; a peer that passes them all is claimed. */
  private HandshakeStep<WireMessage, MeshHandshake> onHello(Hello hello) {
    if (!hello.networkId().equals(networkId)) {
      return refuse(DisconnectReason.INCOMPATIBLE_NETWORK, Kind.INCOMPATIBLE_NETWORK,
          "network " + hello.networkId() + " is not ours (" + networkId + ")");
    }
    if (!ProtocolVersions.compatible(protocolVersion, hello.protocolVersion())) {
      return refuse(DisconnectReason.INCOMPATIBLE_PROTOCOL_VERSION, Kind.INCOMPATIBLE_PROTOCOL_VERSION,
          "protocol " + hello.protocolVersion() + " is incompatible with " + protocolVersion);
    }
    if (!Secp256k1.isValidPublicKey(hello.publicKey())) {
      return refuse(DisconnectReason.INVALID_SIGNATURE, Kind.INVALID_PUBLIC_KEY,
          "the public key is not a secp256k1 point");
    }
    PeerId claimed = PeerId.fromPublicKey(hello.publicKey());
    if (claimed.equals(nodeKey.peerId())) {
      return refuse(DisconnectReason.SELF_CONNECTION, Kind.SELF_CONNECTION, "the peer is this node");
    }
    remoteHello = hello;
    remoteId = claimed;
    return new HandshakeStep.Claim<>(List.of(), claimed.toString());
  }

  /** Judges the peer's Auth; {@code send} goes out before the verdict takes effect (our Auth, when they crossed). */
  private HandshakeStep<WireMessage, MeshHandshake> onAuth(Auth auth, List<WireMessage> send) {
    byte[] challenge = HandshakeTranscript.challengeHash(networkId, nonce, remoteHello.nonce(),
        remoteHello.publicKey(), nodeKey.publicKey());
    if (!Secp256k1.verify(remoteHello.publicKey(), challenge, auth.signature())) {
      return new HandshakeStep.Refused<>(send, Refusal.violation(DisconnectReason.INVALID_SIGNATURE,
          Kind.INVALID_SIGNATURE, "the handshake signature does not verify", Penalty.MALFORMED_FRAME.amount()));
    }
    if (auth.nodeInfo().length() > maxPeerInfoSize) {
      return new HandshakeStep.Refused<>(send, Refusal.violation(DisconnectReason.INVALID_NODE_INFO,
          Kind.INVALID_NODE_INFO, "nodeInfo of " + auth.nodeInfo().length() + " bytes exceeds " + maxPeerInfoSize,
          Penalty.INVALID_NODE_INFO.amount()));
    }
    established = true;
    return new HandshakeStep.Established<>(send, new MeshHandshake(remoteId, remoteHello, auth.nodeInfo()));
  }

  /** The session skips the frame types a newer minor version may send, which the handshake refuses. */
  @Override
  public FrameCodec<WireMessage> framing(FrameCodec<WireMessage> current) {
    return established ? ((MeshCodec) current).established() : current;
  }

  /** A refusal that is no fault of the peer: it is who it is, and costs it nothing. */
  private static HandshakeStep<WireMessage, MeshHandshake> refuse(DisconnectReason reason, String kind,
                                                                  String detail) {
    return HandshakeStep.refuse(Refusal.of(reason, kind, detail));
  }
}
