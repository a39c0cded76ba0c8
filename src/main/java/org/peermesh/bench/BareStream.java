package org.peermesh.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.Json;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The stream baseline: a Vert.x NetClient writes frames with a 4-byte length prefix to a NetServer, whose
 * {@link RecordParser} hands each frame to an event-bus consumer. A frame's body is the data of a PeerMesh message of
 * the same {@linkplain Payload payload}, its JSON string, so both move the same data bytes. The sender coalesces the
 * frames of one event-loop turn into one write, as a PeerMesh peer does, and stops while the socket's write queue is
 * full.
 */
final class BareStream {

  private static final String ADDRESS = "bench.bare-stream";
  /** Frames written per event-loop turn: a turn of PeerMesh's sender carries about as many. */
  private static final int FRAMES_PER_TURN = 64;

  private BareStream() {
  }

  static double[][] measure(Vertx vertx, BenchOptions options, BenchLog log) throws Exception {
    return measure(vertx, options, log, "stream-baseline");
  }

  /** As {@link #measure(Vertx, BenchOptions, BenchLog)}, its rounds logged as {@code label}'s. */
  static double[][] measure(Vertx vertx, BenchOptions options, BenchLog log, String label) throws Exception {
    AtomicLong received = new AtomicLong();
    MessageConsumer<Buffer> consumer = vertx.eventBus().consumer(ADDRESS, message -> received.incrementAndGet());
    BenchNodes.await(consumer.completion());
    NetServer server = vertx.createNetServer().connectHandler(socket -> receive(vertx, socket));
    BenchNodes.await(server.listen(0, "127.0.0.1"));
    // The client socket belongs to this context, and the sender runs on it, so its writes never change threads.
    Context context = vertx.getOrCreateContext();
    // Held until the end and closed there: Vert.x 5 closes a client that becomes unreachable, and its sockets.
    NetClient client = vertx.createNetClient();
    NetSocket socket = BenchNodes.await(Future.<NetSocket>future(p -> context.runOnContext(v ->
        client.connect(server.actualPort(), "127.0.0.1").onComplete(p))));
    Buffer frames = frames(options.payload());
    AtomicLong written = new AtomicLong();
    try {
      double[][] measured = Rounds.measure(options, log, label, () -> {
        long before = received.get();
        long nanos = BenchNodes.await(send(context, socket, frames, options.roundMillis(), written));
        double perSecond = (received.get() - before) * 1e9 / nanos;
        return new double[] {perSecond, perSecond * options.payload() / 1e6};
      });
      // Every frame handed to the consumer before it goes, or the event bus warns of each one it discards.
      BenchNodes.awaitCondition(label + ": the last frames arrived", () -> received.get() == written.get());
      return measured;
    } finally {
      BenchNodes.await(socket.close());
      BenchNodes.await(client.close());
      BenchNodes.await(server.close());
      BenchNodes.await(consumer.unregister());
    }
  }

  /** Length prefix, then body: each body goes to the consumer as it is parsed. */
  private static void receive(Vertx vertx, NetSocket socket) {
    RecordParser parser = RecordParser.newFixed(4);
    boolean[] expectingLength = {true};
    parser.handler(chunk -> {
      if (expectingLength[0]) {
        parser.fixedSizeMode(chunk.getInt(0));
      } else {
        vertx.eventBus().send(ADDRESS, chunk);
        parser.fixedSizeMode(4);
      }
      expectingLength[0] = !expectingLength[0];
    });
    socket.handler(parser);
  }

  /** One turn's worth of frames, built once: the baseline measures moving bytes, not building them. */
  private static Buffer frames(int payload) {
    Buffer body = Json.encodeToBuffer(Payload.of(payload));
    Buffer frames = Buffer.buffer(FRAMES_PER_TURN * (4 + body.length()));
    for (int i = 0; i < FRAMES_PER_TURN; i++) {
      frames.appendInt(body.length()).appendBuffer(body);
    }
    return frames;
  }

  /** Writes turn after turn while the socket accepts them, for {@code millis}; completes with the nanoseconds spent. */
  private static Future<Long> send(Context context, NetSocket socket, Buffer frames, long millis,
                                   AtomicLong written) {
    Promise<Long> done = Promise.promise();
    long start = System.nanoTime();
    long deadline = start + millis * 1_000_000;
    Runnable[] turn = new Runnable[1];
    turn[0] = () -> {
      long now = System.nanoTime();
      if (now >= deadline) {
        done.complete(now - start);
        return;
      }
      // No copy: Vert.x writes a slice of a buffer's bytes, never releases them, so one turn's frames serve every turn.
      socket.write(frames);
      written.addAndGet(FRAMES_PER_TURN);
      if (socket.writeQueueFull()) {
        socket.drainHandler(v -> turn[0].run());
      } else {
        context.runOnContext(v -> turn[0].run());
      }
    };
    context.runOnContext(v -> turn[0].run());
    return done.future();
  }
}
