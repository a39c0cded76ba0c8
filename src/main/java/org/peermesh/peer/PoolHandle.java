package org.peermesh.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.peermesh.net.PeerAddress;

/**
 * What a protocol's own services reach of the pool they run beside ({@link WireProtocol#start}): devp2p's discovery
 * dials the nodes it finds.
 */
public interface PoolHandle extends PoolView {

  /** The Vert.x instance the pool runs on; the protocol's services run on the pool's context. */
  Vertx vertx();

  /**
   * Dials {@code target}, or takes the connection to it there is, as the {@code connect} command does.
   *
   * @return the peer's info once its handshake is established; a failure with the reason it never was
   */
  Future<JsonObject> connect(PeerAddress target);
}
