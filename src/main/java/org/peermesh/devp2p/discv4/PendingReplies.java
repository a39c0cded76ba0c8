package org.peermesh.devp2p.discv4;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.peermesh.devp2p.discovery.Discv4Packet;
import org.peermesh.devp2p.discovery.NodeId;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The replies a {@link Discv4Service} awaits, keyed as geth's reply matchers are by the node and the packet type it
 * is to send, each with a Vert.x timer. A packet that nothing awaits is unsolicited, and dropped: that is what keeps
 * a node from pushing Pongs (endpoint proofs) or Neighbors (table entries) on us. At most {@code capacity} are
 * awaited at once, and one per node and type. Touched on the service's context only.
 */
final class PendingReplies {

  /** What a packet does to an awaited reply. */
  enum Match {
    /** Not the reply awaited (a Pong naming another Ping): it is dropped, the wait goes on. */
    MISMATCH,
    /** Part of the reply (one Neighbors packet of several): the wait goes on. */
    MORE,
    /** The reply is complete. */
    DONE
  }

  /** What {@link #handle} found for a packet. */
  enum Outcome {
    UNSOLICITED,
    MISMATCHED,
    MATCHED
  }

  /** Decides whether a packet from the awaited node is the reply, or part of it. */
  @FunctionalInterface
  interface Matcher {
    Match accept(Discv4Packet packet);
  }

  /** The wait ended without a complete reply. */
  static final class NoReplyException extends TimeoutException {
    NoReplyException(String message) {
      super(message);
    }
  }

  private record Key(NodeId id, int type) {
  }

  private record Pending(InetAddress ip, Matcher matcher, Promise<Void> promise, long timer) {
  }

  private final Vertx vertx;
  private final int capacity;
  private final long timeoutMillis;
  private final Map<Key, Pending> pending = new HashMap<>();

  PendingReplies(Vertx vertx, int capacity, long timeoutMillis) {
    this.vertx = vertx;
    this.capacity = capacity;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Awaits a packet of {@code type} from {@code id} at {@code ip} that {@code matcher} completes. The future fails
   * with {@link NoReplyException} after the timeout, and at once when the map is full or that node already owes a
   * reply of that type (the request should then not be sent).
   */
  Future<Void> expect(NodeId id, InetAddress ip, int type, Matcher matcher) {
    Key key = new Key(id, type);
    if (pending.containsKey(key)) {
      return Future.failedFuture(new IllegalStateException("already awaiting packet type " + type + " from " + id));
    }
    if (pending.size() >= capacity) {
      return Future.failedFuture(new IllegalStateException(capacity + " replies awaited already"));
    }
    Promise<Void> promise = Promise.promise();
    long timer = vertx.setTimer(timeoutMillis, t -> {
      if (pending.remove(key) != null) {
        promise.fail(new NoReplyException("no packet type " + type + " from " + id + " within " + timeoutMillis
            + " ms"));
      }
    });
    pending.put(key, new Pending(ip, matcher, promise, timer));
    return promise.future();
  }

  /** Hands {@code packet} from {@code id} at {@code ip} to what awaits it, if anything does. */
  Outcome handle(NodeId id, InetAddress ip, Discv4Packet packet) {
    Key key = new Key(id, packet.type());
    Pending awaiting = pending.get(key);
    // geth matches the sender's IP too: a node id alone is a public key anyone can sign with only if they hold it,
    // but a reply from another address is not the proof that the endpoint asked answers.
    if (awaiting == null || !awaiting.ip().equals(ip)) {
      return Outcome.UNSOLICITED;
    }
    Match match = awaiting.matcher().accept(packet);
    if (match == Match.MISMATCH) {
      return Outcome.MISMATCHED;
    }
    if (match == Match.DONE) {
      pending.remove(key);
      vertx.cancelTimer(awaiting.timer());
      awaiting.promise().complete();
    }
    return Outcome.MATCHED;
  }

  /** Cancels every timer and fails every wait: the service stops. */
  void cancelAll() {
    List<Pending> cancelled = new ArrayList<>(pending.values());
    pending.clear();
    for (Pending awaiting : cancelled) {
      vertx.cancelTimer(awaiting.timer());
      awaiting.promise().tryFail(new IllegalStateException("discovery stopped"));
    }
  }
}
