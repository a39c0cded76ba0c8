package org.peermesh.peer;

import org.peermesh.net.PeerAddress;

import io.vertx.core.json.JsonObject;

import java.util.List;

/** What a protocol's sessions may read of their pool: where it listens, and the peers it holds. */
public interface PoolView {

  /** Where inbound peers connect, with the port actually bound; null when the pool does not listen. */
  PeerAddress listenAddress();

  /** The peers of this pool, each as the peers command lists it, in no order. */
  List<JsonObject> peers();
}
