package org.peermesh.peer;

import io.vertx.core.json.JsonObject;
import org.peermesh.net.PeerAddress;

import java.util.List;

/** What a protocol's sessions may read of their pool: where it listens, and the peers it holds. */
public interface PoolView {

  /** Where inbound peers connect, with the port actually bound; null when the pool does not listen. */
  PeerAddress listenAddress();

  /**
   * The peers of this protocol the node holds, each as the peers command lists it, in no order: in a clustered node,
   * the connected peers of every member too.
   */
  List<JsonObject> peers();

  /**
   * How many peers of this protocol the node has connected, their handshakes done: this JVM's, and in a clustered node
   * the other members'.
   */
  int connectedPeers();

  /**
   * How this protocol names {@code state} in its events and peer listings, where its users expect names of their own.
   */
  default String stateName(PeerState state) {
    return state.jsonName();
  }
}
