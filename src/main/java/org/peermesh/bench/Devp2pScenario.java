package org.peermesh.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import org.peermesh.devp2p.Devp2pMessage;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.Devp2pReadWriter;
import org.peermesh.devp2p.peer.Devp2pOptions;
import org.peermesh.devp2p.peer.Devp2pServer;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpString;
import org.peermesh.net.PeerAddress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two {@link Devp2pServer}s on one Vert.x over 127.0.0.1: the dialer runs a sub-protocol that streams messages to
 * the listener as fast as the listener's side takes them, and the listener's handler decodes and counts them. Each
 * message's payload is the RLP of a byte string of {@code --payload} bytes, the bytes of a frame body of the stream
 * baseline ({@link BareStream}), which runs in the same scenario on the same Vert.x: the ratio is what RLPx
 * (AES-256-CTR, keccak frame MACs, snappy) and the peer layer cost against plain TCP moving the same bytes.
 *
 * <p>The sender writes at most {@link #FRAMES_PER_TURN} messages per event-loop turn, as the baseline does, and stops
 * as soon as {@link Devp2pReadWriter#writeQueueFull()} says so, until its drain handler is called: a node cuts a peer
 * whose queue passes {@code maxWriteQueueSize}, and the scenario fails if either side's peer ended. Each round starts
 * with nothing on its way and counts what arrived while the sender sent. The baseline's bytes are a run of one
 * letter, which snappy shrinks to a few bytes a message, so a second figure sends as many random bytes, which snappy
 * cannot shrink: every byte is then encrypted, MACed and moved.
 */
public final class Devp2pScenario implements Scenario {

  /** Messages written per event-loop turn, as many as the baseline's frames per turn. */
  static final int FRAMES_PER_TURN = 64;
  private static final String CAPABILITY = "bench";

  /** What the payload's bytes are. */
  private enum Kind {
    /** The baseline's own bytes: a JSON string of one repeated letter. */
    SAME("devp2p"),
    /** As many random bytes. */
    RANDOM("devp2p-random");

    final String name;

    Kind(String name) {
      this.name = name;
    }

    byte[] bytes(int size) {
      if (this == SAME) {
        return Json.encodeToBuffer(Payload.of(size)).getBytes();
      }
      byte[] bytes = new byte[size];
      new Random(size).nextBytes(bytes);
      return bytes;
    }
  }

  @Override
  public String name() {
    return "devp2p";
  }

  @Override
  public String description() {
    return "one devp2p server streams --payload byte strings to another over RLPx on a sub-protocol, paused on "
        + "writeQueueFull; msg/s and MB/s at the receiving handler, with the stream baseline's bytes and with random "
        + "(incompressible) ones, against the bare Vert.x NetServer/NetClient stream";
  }

  @Override
  public List<Figure> run(BenchOptions options, BenchLog log) throws Exception {
    List<Figure> figures = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    Path dir = Files.createTempDirectory("peermesh-bench-devp2p-");
    try {
      try (Pair pair = Pair.start(vertx, dir, log)) {
        for (Kind kind : Kind.values()) {
          double[][] measured = pair.measure(kind, options, log);
          figures.add(Figure.rate(kind.name, "msg/s", measured[0]).against("devp2p-baseline"));
          figures.add(Figure.rate(kind.name + "-mb", "MB/s", measured[1]).against("devp2p-baseline-mb"));
        }
      }
      double[][] bare = BareStream.measure(vertx, options, log, "devp2p-baseline");
      figures.add(Figure.rate("devp2p-baseline", "msg/s", bare[0]));
      figures.add(Figure.rate("devp2p-baseline-mb", "MB/s", bare[1]));
      return figures;
    } finally {
      try {
        BenchNodes.await(vertx.close());
      } finally {
        BenchNodes.deleteTree(dir);
      }
    }
  }

  /** The two servers, connected, with the sub-protocol running on each side of the one connection. */
  private static final class Pair implements AutoCloseable {

    private final List<Devp2pServer> servers = new ArrayList<>();
    private final List<String> ended = new CopyOnWriteArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private final List<String> wrong = new CopyOnWriteArrayList<>();
    private volatile int expectedLength = -1;
    private volatile boolean stopping;
    private Sender sender;

    static Pair start(Vertx vertx, Path dir, BenchLog log) throws IOException {
      Pair pair = new Pair();
      try {
        pair.connect(vertx, dir, log);
        return pair;
      } catch (RuntimeException | IOException e) {
        pair.close();
        throw e;
      }
    }

    private void connect(Vertx vertx, Path dir, BenchLog log) throws IOException {
      Promise<Sender> sending = Promise.promise();
      Promise<String> receiving = Promise.promise();
      Devp2pProtocol send = Devp2pProtocol.of(CAPABILITY, 1, 1, (peer, rw) -> {
        rw.endHandler(reason -> end("sender", reason));
        sending.tryComplete(new Sender(Vertx.currentContext(), rw));
      });
      Devp2pProtocol receive = Devp2pProtocol.of(CAPABILITY, 1, 1, (peer, rw) -> {
        rw.endHandler(reason -> end("receiver", reason));
        rw.handler(this::receive);
        receiving.tryComplete(Thread.currentThread().getName());
      });
      Devp2pServer listening = server(vertx, dir, "receiver", true, receive);
      Devp2pServer dialing = server(vertx, dir, "sender", false, send);
      BenchNodes.await(dialing.connect(listening.enode()));
      sender = BenchNodes.await(sending.future());
      log.line("devp2p: sender's peer on " + sender.thread + ", receiver's on " + BenchNodes.await(receiving.future()));
    }

    private Devp2pServer server(Vertx vertx, Path dir, String name, boolean listens, Devp2pProtocol protocol)
        throws IOException {
      Devp2pOptions options = new Devp2pOptions().setName("bench-" + name)
          // A policy, not the code: a peer past 10,000 messages a second is flooding, and a stream is past it.
          .setMaxMessageRate(Integer.MAX_VALUE);
      if (listens) {
        options.setListen(new PeerAddress("127.0.0.1", 0));
      }
      Devp2pServer server = Devp2pServer.create(vertx, options, Files.createDirectories(dir.resolve(name)),
          "bench-devp2p-" + name, List.of(protocol));
      servers.add(server);
      return BenchNodes.await(server.start());
    }

    private void end(String side, String reason) {
      if (!stopping) {
        ended.add(side + "'s peer ended: " + reason);
      }
    }

    private void receive(Devp2pMessage message) {
      // What a sub-protocol does with a message: decode it as the RLP it should be (msg.Decode).
      int length = message.decode().string("payload").length();
      if (message.code() != 0 || length != expectedLength) {
        wrong.add("message " + message.code() + " of " + length + " bytes, not 0 of " + expectedLength);
      }
      received.incrementAndGet();
    }

    /** {@code [msg/s per round, MB/s per round]}. */
    double[][] measure(Kind kind, BenchOptions options, BenchLog log) throws Exception {
      byte[] bytes = kind.bytes(options.payload());
      byte[] payload = Rlp.encode(RlpString.of(bytes));
      expectedLength = bytes.length;
      return Rounds.measure(options, log, kind.name, () -> {
        long before = received.get();
        long[] round = BenchNodes.await(sender.send(payload, options.roundMillis(), received));
        long sent = round[2];
        // Nothing on its way when the next round starts, so that a round counts only what it sent.
        BenchNodes.awaitCondition("devp2p: the round's " + sent + " messages arrived", () -> received.get() == sent
            || !ended.isEmpty() || !wrong.isEmpty());
        check();
        double perSecond = (round[1] - before) * 1e9 / round[0];
        return new double[] {perSecond, perSecond * bytes.length / 1e6};
      });
    }

    private void check() {
      if (!ended.isEmpty()) {
        throw new IllegalStateException(String.join("; ", ended));
      }
      if (!wrong.isEmpty()) {
        throw new IllegalStateException("devp2p: " + wrong.size() + " wrong messages, the first " + wrong.get(0));
      }
    }

    @Override
    public void close() {
      stopping = true;
      BenchNodes.await(Future.join(servers.stream().map(Devp2pServer::stop).toList()));
      servers.clear();
    }
  }

  /** The sending side's sub-protocol: everything it does runs on its peer's context. */
  private static final class Sender {

    private final Context context;
    private final Devp2pReadWriter rw;
    private final String thread = Thread.currentThread().getName();
    private byte[] payload;
    private AtomicLong received;
    private long start;
    private long deadline;
    private long sent;
    private boolean waitingForDrain;
    private Promise<long[]> done;

    Sender(Context context, Devp2pReadWriter rw) {
      this.context = context;
      this.rw = rw;
      rw.drainHandler(v -> {
        if (waitingForDrain) {
          waitingForDrain = false;
          turn();
        }
      });
    }

    /**
     * Sends {@code payload} for {@code millis}; completes with the nanoseconds spent, what {@code received} counted
     * at the end and how many were sent in all.
     */
    Future<long[]> send(byte[] payload, long millis, AtomicLong received) {
      Promise<long[]> promise = Promise.promise();
      context.runOnContext(v -> {
        this.payload = payload;
        this.received = received;
        this.done = promise;
        start = System.nanoTime();
        deadline = start + millis * 1_000_000;
        turn();
      });
      return promise.future();
    }

    private void turn() {
      long now = System.nanoTime();
      if (now >= deadline) {
        done.tryComplete(new long[] {now - start, received.get(), sent});
        return;
      }
      for (int i = 0; i < FRAMES_PER_TURN; i++) {
        if (rw.writeQueueFull()) {
          waitingForDrain = true;
          return;
        }
        Future<Void> written = rw.writeMsg(0, payload);
        if (written.failed()) {
          done.tryFail(written.cause());
          return;
        }
        sent++;
      }
      context.runOnContext(v -> turn());
    }
  }
}
