package org.peermesh.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.peermesh.node.PeerMeshNode;

/**
 * The latency of {@code requestFromPeer} with one request in flight: each is sent from the answer's callback to the
 * one before, all on one context, so that no thread hand-off of the bench's own adds to what is measured.
 */
final class RequestLatency {

  private final PeerMeshNode node;
  private final String peerId;
  private final String procedure;
  private final Object data;

  RequestLatency(PeerMeshNode node, String peerId, String procedure, Object data) {
    this.node = node;
    this.peerId = peerId;
    this.procedure = procedure;
    this.data = data;
  }

  /** Requests one after another for {@code millis}; completes with every request's latency. */
  Future<Latencies> measure(Vertx vertx, long millis) {
    Latencies latencies = new Latencies();
    Promise<Latencies> done = Promise.promise();
    long deadline = System.nanoTime() + millis * 1_000_000;
    vertx.getOrCreateContext().runOnContext(v -> next(latencies, deadline, done));
    return done.future();
  }

  private void next(Latencies latencies, long deadline, Promise<Latencies> done) {
    long sent = System.nanoTime();
    node.requestFromPeer(peerId, procedure, data).onComplete(ar -> {
      long now = System.nanoTime();
      if (ar.failed()) {
        done.fail(ar.cause());
        return;
      }
      latencies.record(now - sent);
      if (now < deadline) {
        next(latencies, deadline, done);
      } else {
        done.complete(latencies);
      }
    });
  }
}
