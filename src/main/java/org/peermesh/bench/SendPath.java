package org.peermesh.bench;

import io.vertx.core.json.JsonObject;
import org.peermesh.node.PeerMeshNode;
import org.peermesh.routing.PeerStream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One way a message goes from a sender to one or more consumers, measured the same way whatever lies between: a
 * {@link WindowedSender} on the sender's Vert.x keeps {@code window} messages in flight until every receiver has
 * them, and an {@link ArrivalMeter} on each receiver's Vert.x counts what arrives there and how long it took, and
 * tells the sender. Sender and receivers are in this JVM, so each latency is read on one clock.
 *
 * @param send      sends one stamped message; its future completes when the path has taken it
 * @param receivers where the messages arrive, each of them at every receiver
 * @param stampOf   the stamp in a message body that arrived
 */
record SendPath(String label, int window, Vertx senderVertx, Function<String, Future<?>> send,
                List<Receiver> receivers, Function<Object, String> stampOf) {

  /** Messages in flight at once: enough to keep every hop busy, few enough that no queue on the way grows long. */
  static final int WINDOW = 128;
  /**
   * Data in flight at most, whatever the window: half a peer's default write-queue limit, so that large messages
   * never fill the queue that cuts off a peer that does not read, as a sender that knows the limit keeps them.
   */
  static final long MAX_BYTES_IN_FLIGHT = 4L << 20;

  /** An event-bus address where the messages arrive, and the Vert.x its consumer runs on. */
  record Receiver(Vertx vertx, String address) {

    /** Where {@code node}, on {@code vertx}, publishes the messages of {@code event} it receives. */
    static Receiver of(PeerMeshNode node, Vertx vertx, String event) {
      return new Receiver(vertx, node.addresses().message(event));
    }
  }

  /** A path from one node to another. */
  @FunctionalInterface
  interface Factory {
    SendPath create(String label, int window, String event, PeerMeshNode sender, Vertx senderVertx,
                    PeerMeshNode remote, Vertx remoteVertx);
  }

  /**
   * {@code sender}'s {@link PeerStream} to {@code remote}, arriving at {@code remote}'s consumer of {@code event}. The
   * stream is created at the first message, on the sending verticle's context, where a stream belongs.
   */
  static SendPath stream(String label, int window, String event, PeerMeshNode sender, Vertx senderVertx,
                         PeerMeshNode remote, Vertx remoteVertx) {
    PeerStream[] stream = new PeerStream[1];
    return new SendPath(label, window, senderVertx, data -> {
      if (stream[0] == null) {
        stream[0] = sender.streamToPeer(remote.peerId());
      }
      return stream[0].write(event, data);
    }, List.of(Receiver.of(remote, remoteVertx, event)), SendPath::dataOf);
  }

  /** {@code sender}'s sendToPeer to {@code remote}, arriving at {@code remote}'s consumer of {@code event}. */
  static SendPath sendToPeer(String label, int window, String event, PeerMeshNode sender, Vertx senderVertx,
                             PeerMeshNode remote, Vertx remoteVertx) {
    return new SendPath(label, window, senderVertx, data -> sender.sendToPeer(remote.peerId(), event, data),
        List.of(Receiver.of(remote, remoteVertx, event)), SendPath::dataOf);
  }

  /** The stamp in what a node publishes of a message it received: the message's data. */
  static String dataOf(Object body) {
    return ((JsonObject) body).getString("data");
  }

  /**
   * Per round: arrivals per second summed over the receivers (a message that reached two counts twice) and the
   * 99th percentile latency in microseconds, of the slowest receiver's.
   */
  double[][] measure(BenchOptions options, BenchLog log) throws Exception {
    int inFlight = (int) Math.max(1, Math.min(window, MAX_BYTES_IN_FLIGHT / options.payload()));
    WindowedSender sender = new WindowedSender(inFlight, receivers.size(), new SendStamp(options.payload()), send);
    List<ArrivalMeter> meters = new ArrayList<>();
    try {
      for (Receiver receiver : receivers) {
        ArrivalMeter meter = new ArrivalMeter(receiver.address(), stampOf, sender::arrived);
        BenchNodes.await(receiver.vertx().deployVerticle(meter));
        meters.add(meter);
      }
      String senderId = BenchNodes.await(senderVertx.deployVerticle(sender));
      try {
        // The first message across a JVM boundary waits for the event bus to connect, half a second or more: the
        // warm-up round starts once the path is open, so that it warms up the path rather than measures a connect.
        for (ArrivalMeter meter : meters) {
          BenchNodes.awaitCondition(label + ": a first message arrives", () -> BenchNodes.await(meter.arrivals()) > 0);
        }
        return Rounds.measure(options, log, label, () -> {
          for (ArrivalMeter meter : meters) {
            BenchNodes.await(meter.reset());
          }
          Thread.sleep(options.roundMillis());
          if (sender.failure() != null) {
            throw new IllegalStateException(label + ": a send failed: " + sender.failure().getMessage(),
                sender.failure());
          }
          double[] round = {0, 0};
          for (ArrivalMeter meter : meters) {
            double[] arrived = BenchNodes.await(meter.read());
            round[0] += arrived[0];
            round[1] = Math.max(round[1], arrived[1]);
          }
          return round;
        });
      } finally {
        BenchNodes.await(senderVertx.undeploy(senderId));
      }
    } finally {
      for (int i = 0; i < meters.size(); i++) {
        BenchNodes.await(receivers.get(i).vertx().undeploy(meters.get(i).deploymentID()));
      }
    }
  }
}
