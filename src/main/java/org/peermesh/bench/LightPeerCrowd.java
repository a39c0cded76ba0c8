package org.peermesh.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.net.PeerAddress;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/** Many {@link LightPeer}s: their keys made up front, connected a bounded number at a time. */
public final class LightPeerCrowd {

  private final List<LightPeer> peers;
  private final long[] connectEnds;

  /** Makes {@code count} peers; each generates a key, some milliseconds of CPU, so do this before timing anything. */
  LightPeerCrowd(int count) {
    this(IntStream.range(0, count).parallel().mapToObj(i -> new LightPeer(BenchNodes.NETWORK)).toList());
  }

  /** A crowd of peers made by the caller, such as ones that keep their own count of what they receive. */
  public LightPeerCrowd(List<LightPeer> peers) {
    this.peers = List.copyOf(peers);
    this.connectEnds = new long[peers.size()];
  }

  /** Hands every peer's application messages to {@code handler}, on that peer's event loop. */
  LightPeerCrowd onMessage(Consumer<AppMessage> handler) {
    peers.forEach(peer -> peer.onMessage(handler));
    return this;
  }

  int size() {
    return peers.size();
  }

  /** Connects every peer to {@code node}, as {@link #connect(Vertx, NetClient, IntFunction, int)} does. */
  Future<Void> connect(Vertx vertx, NetClient client, PeerAddress node, int inFlight) {
    return connect(vertx, client, k -> node, inFlight);
  }

  /**
   * Connects peer {@code k} to {@code nodeOf.apply(k)}, every peer, starting the next handshake as one completes, so
   * that {@code inFlight} are under way at any time; completes when all have completed, or fails naming the first
   * few that did not.
   */
  public Future<Void> connect(Vertx vertx, NetClient client, IntFunction<PeerAddress> nodeOf, int inFlight) {
    // One context for the first ones, so that every peer's socket is on one event loop: each next one is started
    // from a handshake's callback, on that context.
    Context context = vertx.getOrCreateContext();
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
      peers.get(k).connect(context, client, nodeOf.apply(k)).onComplete(ar -> {
        connectEnds[k] = System.nanoTime();
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
    for (int started = 0; started < Math.min(inFlight, peers.size()); started++) {
      connectNext[0].run();
    }
    return all.future();
  }

  /** The {@link System#nanoTime} at which each peer's handshake of the last {@link #connect} ended, if it did. */
  public long[] connectEnds() {
    return connectEnds.clone();
  }

  /** How many peers the node closed since they connected: a node holding them all closed none. */
  long closedByNode() {
    return peers.stream().filter(LightPeer::isClosed).count();
  }

  Future<Void> close() {
    return Future.join(peers.stream().map(LightPeer::close).toList()).mapEmpty();
  }
}
