package org.peermesh.bench;


import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import org.peermesh.node.PeerAddress;
import org.peermesh.wire.AppMessage;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/** Many {@link LightPeer}s of one node: their keys made up front, connected a bounded number at a time. */
final class LightPeerCrowd {

  private final List<LightPeer> peers;

  /** Makes {@code count} peers; each generates a key, some milliseconds of CPU, so do this before timing anything. */
  LightPeerCrowd(int count) {
    this.peers = IntStream.range(0, count).parallel().mapToObj(i -> new LightPeer(BenchNodes.NETWORK)).toList();
  }

  /** Hands every peer's application messages to {@code handler}, on that peer's event loop. */
  LightPeerCrowd onMessage(Consumer<AppMessage> handler) {
    peers.forEach(peer -> peer.onMessage(handler));
    return this;
  }

  int size() {
    return peers.size();
  }

  /**
   * Connects every peer to {@code node}, starting the next handshake as one completes, so that {@code inFlight} are
   * under way at any time; completes when all have completed, or fails naming the first few that did not.
   */
  Future<Void> connect(Vertx vertx, NetClient client, PeerAddress node, int inFlight) {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    Promise<Void> all = Promise.promise();
    Runnable[] connectNext = new Runnable[1];
    connectNext[0] = () -> {
      int k = next.getAndIncrement();
      if (k >= peers.size()) {
        return;
      }
      peers.get(k).connect(client, node).onComplete(ar -> {
        if (ar.failed()) {
          failures.add(peers.get(k).peerId() + ": " + ar.cause().getMessage());
        }
        if (finished.incrementAndGet() < peers.size()) {
          connectNext[0].run();
        } else if (failures.isEmpty()) {
          all.complete();
        } else {
          all.fail(failures.size() + " of " + peers.size() + " light peers did not connect, e.g. "
              + failures.stream().limit(3).toList());
        }
      });
    };
    // The first ones on a context, as LightPeer.connect requires; each next one runs on a handshake's callback.
    vertx.runOnContext(v -> {
      for (int started = 0; started < Math.min(inFlight, peers.size()); started++) {
        connectNext[0].run();
      }
    });
    return all.future();
  }

  /** How many peers the node closed since they connected: a node holding them all closed none. */
  long closedByNode() {
    return peers.stream().filter(LightPeer::isClosed).count();
  }

  Future<Void> close() {
    return Future.join(peers.stream().map(LightPeer::close).toList()).mapEmpty();
  }
}
