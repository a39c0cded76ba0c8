package org.peermesh.mesh;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.peermesh.peer.PeerInfo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which peers of this JVM are backed up: their sockets hold more than Vert.x's write queue allows, so what is sent to
 * them now waits. A session marks its peer when a message leaves it backed up and clears it when the socket drains
 * or the peer goes; the send and broadcast routers make their acknowledgement wait for the peers they chose to
 * drain, so a caller that waits for its acknowledgements goes at the pace of its slowest reading peer instead of
 * growing that peer's outbox until it is cut off. Thread-safe: sessions and routers run on many event loops.
 */
public final class PeerBacklog {

  /** Each backed-up peer's drain, completed when it drains or goes. */
  private final Map<String, Promise<Void>> backedUp = new ConcurrentHashMap<>();

  /** {@code peerId}'s socket is backed up. */
  void backedUp(String peerId) {
    backedUp.computeIfAbsent(peerId, id -> Promise.promise());
  }

  /** {@code peerId}'s socket drained, or the peer is gone: whoever waits for it goes on. */
  void drained(String peerId) {
    Promise<Void> drain = backedUp.remove(peerId);
    if (drain != null) {
      drain.tryComplete();
    }
  }

  /** Whether {@code peerId}'s socket is backed up now. */
  public boolean isBackedUp(String peerId) {
    return backedUp.containsKey(peerId);
  }

  /** Completes, on {@code context}, once none of {@code peers} is backed up: at once when none is. */
  public Future<Void> whenDrained(Collection<PeerInfo> peers, Context context) {
    if (backedUp.isEmpty()) {
      // The common case, and a broadcast to thousands of peers should not look each of them up for it.
      return Future.succeededFuture();
    }
    List<Future<Void>> drains = new ArrayList<>();
    for (PeerInfo peer : peers) {
      Promise<Void> drain = backedUp.get(peer.peerId());
      if (drain != null) {
        drains.add(drain.future());
      }
    }
    if (drains.isEmpty()) {
      return Future.succeededFuture();
    }
    // A drain completes on its session's event loop: the caller goes on on its own.
    Promise<Void> drained = Promise.promise();
    Future.all(drains).onComplete(all -> context.runOnContext(v -> drained.complete()));
    return drained.future();
  }
}
