package org.peermesh.bench;

import io.vertx.core.json.JsonObject;
import org.peermesh.node.PeerMeshNode;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.function.Function;

/**
 * One way a message goes from a sender to a consumer, measured the same way whatever lies between: a
 * {@link WindowedSender} on the sender's Vert.x keeps {@code window} messages in flight, and an
 * {@link ArrivalMeter} on the receiver's Vert.x counts what arrives and how long it took, and tells the sender.
 * Sender and receiver are in this JVM, so each latency is read on one clock.
 *
 * @param send    sends one stamped message; its future completes when the path has taken it
 * @param address where the messages arrive
 * @param stampOf the stamp in a message body that arrived
 */
record SendPath(String label, int window, Vertx senderVertx, Function<String, Future<?>> send,
                Vertx receiverVertx, String address, Function<Object, String> stampOf) {

  /** Messages in flight at once: enough to keep every hop busy, few enough that no queue on the way grows long. */
  static final int WINDOW = 128;

  /** {@code sender}'s sendToPeer to {@code remote}, arriving at {@code remote}'s consumer of {@code event}. */
  static SendPath sendToPeer(String label, int window, String event, PeerMeshNode sender, Vertx senderVertx,
                             PeerMeshNode remote, Vertx remoteVertx) {
    return new SendPath(label, window, senderVertx, data -> sender.sendToPeer(remote.peerId(), event, data),
        remoteVertx, remote.addresses().message(event), body -> ((JsonObject) body).getString("data"));
  }

  /** Per round: arrivals per second and their 99th percentile latency in microseconds. */
  double[][] measure(BenchOptions options, BenchLog log) throws Exception {
    WindowedSender sender = new WindowedSender(window, new SendStamp(options.payload()), send);
    ArrivalMeter meter = new ArrivalMeter(address, stampOf, sender::arrived);
    String meterId = BenchNodes.await(receiverVertx.deployVerticle(meter));
    try {
      String senderId = BenchNodes.await(senderVertx.deployVerticle(sender));
      try {
        // The first message across a JVM boundary waits for the event bus to connect, half a second or more: the
        // warm-up round starts once the path is open, so that it warms up the path rather than measures a connect.
        BenchNodes.awaitCondition(label + ": a first message arrives", () -> BenchNodes.await(meter.arrivals()) > 0);
        return Rounds.measure(options, log, label, () -> {
          BenchNodes.await(meter.reset());
          Thread.sleep(options.roundMillis());
          if (sender.failure() != null) {
            throw new IllegalStateException(label + ": a send failed: " + sender.failure().getMessage(),
                sender.failure());
          }
          return BenchNodes.await(meter.read());
        });
      } finally {
        BenchNodes.await(senderVertx.undeploy(senderId));
      }
    } finally {
      BenchNodes.await(receiverVertx.undeploy(meterId));
    }
  }
}
