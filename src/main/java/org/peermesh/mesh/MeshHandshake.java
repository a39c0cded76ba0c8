package org.peermesh.mesh;

import org.peermesh.crypto.PeerId;
import org.peermesh.mesh.wire.Hello;
import org.peermesh.mesh.wire.JsonPayload;

import java.util.Objects;

/**
 * What a finished mesh handshake proved: the peer holds the key of {@code peerId}, and said {@code hello} and
 * {@code nodeInfo} on this connection. The layer builds the peer's admission from it.
 *
 * @param peerId   the id of the key the peer proved it holds
 * @param hello    the peer's Hello, with the port it says it listens on
 * @param nodeInfo the peer's nodeInfo as its Auth carried it, within maxPeerInfoSize
 */
public record MeshHandshake(PeerId peerId, Hello hello, JsonPayload nodeInfo) {

  public MeshHandshake {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(hello, "hello");
    Objects.requireNonNull(nodeInfo, "nodeInfo");
  }
}
