package org.peermesh.mesh;

import org.peermesh.bus.BusAddresses;
import org.peermesh.mesh.wire.Disconnect;
import org.peermesh.mesh.wire.Hello;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.net.PeerAddress;
import org.peermesh.peer.DisconnectReason;
import org.peermesh.peer.FrameCodec;
import org.peermesh.peer.Goodbye;
import org.peermesh.peer.Handshaker;
import org.peermesh.peer.PeerLink;
import org.peermesh.peer.Session;
import org.peermesh.peer.WireProtocol;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/**
 * The mesh protocol on the peer layer: {@link MeshCodec} frames, the authenticated {@link MeshHandshaker}, and a
 * {@link MeshSession} per connected peer. A peer leaves with a Disconnect, and is told why in one when we close.
 */
final class MeshProtocol implements WireProtocol<WireMessage, MeshHandshake> {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final PeerPool pool;

  MeshProtocol(PeerPool pool) {
    this.pool = pool;
  }

  @Override
  public String name() {
    return BusAddresses.MESH;
  }

  @Override
  public FrameCodec<WireMessage> newCodec() {
    return new MeshCodec(pool.options().getMaxMessageSize());
  }

  @Override
  public Handshaker<WireMessage, MeshHandshake> newHandshaker(PeerLink<WireMessage> link) {
    byte[] nonce = new byte[Hello.NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    MeshOptions options = pool.options();
    PeerAddress listen = pool.listenAddress();
    return new MeshHandshaker(options.getNetworkId(), options.getProtocolVersion(), options.getMaxPeerInfoSize(),
        pool.nodeKey(), nonce, listen == null ? 0 : listen.port(), pool::nodeInfo);
  }

  @Override
  public Session<WireMessage> newSession(PeerLink<WireMessage> link, MeshHandshake established) {
    return new MeshSession(link, pool, pool.admitted(link));
  }

  @Override
  public Optional<Goodbye> goodbye(WireMessage message) {
    if (message instanceof Disconnect disconnect) {
      return Optional.of(new Goodbye(disconnect.code(), DisconnectReason.fromCode(disconnect.code()),
          disconnect.reason()));
    }
    return Optional.empty();
  }

  @Override
  public List<WireMessage> farewell(DisconnectReason reason, String kind, String detail) {
    return List.of(Disconnect.of(reason.code(), detail == null ? reason.description() : detail));
  }
}
