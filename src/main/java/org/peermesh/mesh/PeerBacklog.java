package org.peermesh.mesh;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which peers of this JVM are backed up: their sockets hold more than Vert.x's write queue allows, so what is sent to
 * them now waits. A session marks its peer when a fire-and-forget message (send, broadcast) leaves it backed up and
 * clears it when the socket drains or the peer goes; the send and broadcast routers make their acknowledgement wait
 * for the peers they chose to drain, so a caller that waits for its acknowledgements goes at the pace of its slowest
 * reading peer instead of growing that peer's outbox until it is cut off. Thread-safe: sessions and routers run on
 * many event loops.
 */
public final class PeerBacklog {

  /** The callers waiting for a backed-up peer, each completed once on its own context. */
  private final Map<String, List<Waiter>> backedUp = new ConcurrentHashMap<>();

  /** {@code peerId}'s socket is backed up. */
  void backedUp(String peerId) {
    backedUp.putIfAbsent(peerId, new ArrayList<>());
  }

  /** {@code peerId}'s socket drained, or the peer is gone: whoever waits for it goes on. */
  void drained(String peerId) {
    List<Waiter> waiting = backedUp.remove(peerId);
    if (waiting != null) {
      synchronized (waiting) {
        waiting.forEach(Waiter::peerDone);
        waiting.clear();
      }
    }
  }

  /** Whether {@code peerId}'s socket is backed up now. */
  public boolean isBackedUp(String peerId) {
    return backedUp.containsKey(peerId);
  }

  /**
   * Completes, on {@code context}, once none of {@code peerIds} is backed up: at once when none is.
   */
  public Future<Void> whenDrained(Collection<String> peerIds, Context context) {
    if (backedUp.isEmpty()) {
      // The common case, and a broadcast to thousands of peers should not look each of them up for it.
      return Future.succeededFuture();
    }
    List<String> waitingFor = peerIds.stream().filter(backedUp::containsKey).toList();
    if (waitingFor.isEmpty()) {
      return Future.succeededFuture();
    }
    Waiter waiter = new Waiter(waitingFor.size(), context);
    for (String peerId : waitingFor) {
      List<Waiter> waiting = backedUp.get(peerId);
      if (waiting == null) {
        waiter.peerDone();
        continue;
      }
      synchronized (waiting) {
        // Drained between the lookup and the lock: the list is cleared and out of the map.
        if (backedUp.get(peerId) == waiting) {
          waiting.add(waiter);
        } else {
          waiter.peerDone();
        }
      }
    }
    return waiter.promise.future();
  }

  /** One caller waiting for some peers to drain. */
  private static final class Waiter {
    private final AtomicInteger remaining;
    private final Context context;
    private final Promise<Void> promise = Promise.promise();

    Waiter(int peers, Context context) {
      this.remaining = new AtomicInteger(peers);
      this.context = context;
    }

    void peerDone() {
      if (remaining.decrementAndGet() == 0) {
        context.runOnContext(v -> promise.tryComplete());
      }
    }
  }
}
