package org.peermesh.routing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.streams.WriteStream;
import org.peermesh.mesh.OutgoingBatch;
import org.peermesh.mesh.OutgoingMessage;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.JsonPayload;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Application messages to one mesh peer, the way to send many: what is written in one event-loop turn travels as
 * one batch straight to the peer's mailbox, with no acknowledgement per message, and the stream is flow-controlled
 * by credit.
 *
 * <p>The credit is {@link #setWriteQueueMaxSize writeQueueMaxSize} bytes of frames: a write spends its frame's length,
 * and the peer's session gives a batch's credit back (acknowledges it) once the batch is queued for the peer and its
 * socket takes more, that is at once unless the peer reads slower than we write. {@link #writeQueueFull()} is true
 * while no credit is left, and the {@link #drainHandler drain handler} is called once half of it is back. A writer
 * that respects it goes at the peer's pace. One that does not still never has more than the credit on its way: what
 * it writes beyond waits in this stream, in the writer's memory as with any Vert.x stream, and leaves as the credit
 * comes back. So a peer that reads is never cut off for being slower than the writer, whatever the writer does; one
 * that does not read at all is still cut off by its write-queue limit. The credit is at most half that limit, so
 * that a stream alone never fills it.
 *
 * <p>Messages arrive in the order written. A batch that cannot be delivered (the peer disconnected or is unknown,
 * or its socket stayed backed up for ackTimeout) fails the stream: its write futures, every later write, and the
 * {@link #exceptionHandler exception handler}, once; the node also publishes {@code failedToSendMessage}.
 *
 * <p>A stream belongs to the context it was created on, as any Vert.x stream: write to it there; its handlers run
 * there.
 */
public final class PeerStream implements WriteStream<OutgoingMessage> {

  /** The default credit: enough frames on their way to keep a socket busy, few enough to bound what waits. */
  public static final int DEFAULT_WRITE_QUEUE_MAX_SIZE = 1 << 20;
  /** A batch leaves once it holds this many bytes, without waiting for the end of the turn. */
  static final int MAX_BATCH_BYTES = 64 * 1024;

  private final Context context;
  private final PeerMailboxes mailboxes;
  private final String peerId;
  private final int maxMessageSize;
  private final int maxCredit;

  private int writeQueueMaxSize;
  private List<AppMessage> batch = new ArrayList<>();
  private long batchBytes;
  private Promise<Void> batchSent = Promise.promise();
  private boolean flushScheduled;
  /** Batches complete but not sent, for want of credit, in order. */
  private final ArrayDeque<Batch> waiting = new ArrayDeque<>();
  private long waitingBytes;
  /** Bytes sent in batches whose credit has not come back yet. */
  private long inFlightBytes;
  private boolean waitingForDrain;
  private Throwable failure;
  private Promise<Void> ended;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;

  /** A batch of frames, their length, and the promise of its writes. */
  private record Batch(OutgoingBatch frames, long bytes, Promise<Void> sent) {
  }

  /**
   * See {@code PeerMeshNode.streamToPeer}.
   *
   * @param maxWriteQueueSize the peer's write-queue limit (the pool's {@code maxWriteQueueSize}): the credit is at
   *     most half of it
   */
  public PeerStream(Vertx vertx, PeerMailboxes mailboxes, String peerId, int maxMessageSize, long maxWriteQueueSize) {
    this.context = vertx.getOrCreateContext();
    this.mailboxes = mailboxes;
    this.peerId = peerId;
    this.maxMessageSize = maxMessageSize;
    this.maxCredit = (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxWriteQueueSize / 2));
    this.writeQueueMaxSize = Math.min(DEFAULT_WRITE_QUEUE_MAX_SIZE, maxCredit);
  }

  /** The peer this stream writes to. */
  public String peerId() {
    return peerId;
  }

  /** Writes a message of {@code event} with {@code data} (any JSON value). */
  public Future<Void> write(String event, Object data) {
    OutgoingMessage message;
    try {
      message = new OutgoingMessage(event, JsonPayload.of(data));
    } catch (RuntimeException notJson) {
      return Future.failedFuture(Commands.badRequest(String.valueOf(notJson.getMessage())));
    }
    return write(message);
  }

  /**
   * Queues the message for this turn's batch.
   *
   * @return completes once the batch it went in is queued for the peer and its credit is back; fails with 400 for a
   *     frame over maxMessageSize (the stream goes on), or with the stream's failure
   */
  @Override
  public Future<Void> write(OutgoingMessage message) {
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    if (ended != null) {
      return Future.failedFuture(new IllegalStateException("the stream to peer " + peerId + " has ended"));
    }
    AppMessage frame = message.frame();
    long frameLength = frame.frameLength();
    if (frameLength > maxMessageSize) {
      return Future.failedFuture(Commands.tooLarge("message", frameLength, maxMessageSize));
    }
    batch.add(frame);
    batchBytes += frameLength;
    Future<Void> sent = batchSent.future();
    if (batchBytes >= MAX_BATCH_BYTES) {
      flush();
    } else if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> {
        flushScheduled = false;
        flush();
      });
    }
    return sent;
  }

  /** Whether the credit is spent: the writer should wait for the drain handler. */
  @Override
  public boolean writeQueueFull() {
    boolean full = unacknowledgedBytes() >= writeQueueMaxSize;
    if (full) {
      waitingForDrain = true;
    }
    return full;
  }

  /**
   * The credit, in bytes of frames on their way to the peer; at most half the peer's write-queue limit, to which a
   * larger size is lowered.
   */
  @Override
  public PeerStream setWriteQueueMaxSize(int maxSize) {
    if (maxSize < 1) {
      throw new IllegalArgumentException("writeQueueMaxSize must be at least 1 byte, not " + maxSize);
    }
    writeQueueMaxSize = Math.min(maxSize, maxCredit);
    return this;
  }

  /** The credit in force. */
  public int getWriteQueueMaxSize() {
    return writeQueueMaxSize;
  }

  @Override
  public PeerStream drainHandler(Handler<Void> handler) {
    drainHandler = handler;
    return this;
  }

  @Override
  public PeerStream exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    return this;
  }

  /** Sends what is written and completes once all of it is queued for the peer; later writes fail. */
  @Override
  public Future<Void> end() {
    if (ended == null) {
      ended = Promise.promise();
      flush();
      settleEnd();
    }
    return ended.future();
  }

  private long unacknowledgedBytes() {
    return inFlightBytes + waitingBytes + batchBytes;
  }

  private void flush() {
    if (batch.isEmpty() || failure != null) {
      return;
    }
    waiting.add(new Batch(new OutgoingBatch(batch), batchBytes, batchSent));
    waitingBytes += batchBytes;
    batch = new ArrayList<>();
    batchBytes = 0;
    batchSent = Promise.promise();
    sendWaiting();
  }

  /**
   * Sends the waiting batches the credit allows, in order; with nothing on its way, the next goes whatever its size,
   * so that a credit smaller than a batch slows the stream down without stopping it.
   */
  private void sendWaiting() {
    while (failure == null && !waiting.isEmpty()
        && (inFlightBytes == 0 || inFlightBytes + waiting.peek().bytes() <= writeQueueMaxSize)) {
      Batch next = waiting.poll();
      waitingBytes -= next.bytes();
      inFlightBytes += next.bytes();
      mailboxes.send(peerId, next.frames(), next.frames().firstEvent()).onComplete(ar -> onContext(() -> {
        inFlightBytes -= next.bytes();
        if (ar.succeeded()) {
          next.sent().complete();
          sendWaiting();
          creditBack();
        } else {
          next.sent().fail(ar.cause());
          fail(ar.cause());
        }
        settleEnd();
      }));
    }
  }

  private void creditBack() {
    if (waitingForDrain && failure == null && unacknowledgedBytes() <= writeQueueMaxSize / 2) {
      waitingForDrain = false;
      if (drainHandler != null) {
        drainHandler.handle(null);
      }
    }
  }

  private void fail(Throwable cause) {
    if (failure != null) {
      return;
    }
    failure = cause;
    batchSent.fail(cause);
    batch = List.of();
    batchBytes = 0;
    waiting.forEach(unsent -> unsent.sent().fail(cause));
    waiting.clear();
    waitingBytes = 0;
    if (exceptionHandler != null) {
      exceptionHandler.handle(cause);
    }
  }

  private void settleEnd() {
    if (ended == null || inFlightBytes > 0 || !waiting.isEmpty()) {
      return;
    }
    if (failure != null) {
      ended.tryFail(failure);
    } else {
      ended.tryComplete();
    }
  }

  /** The mailbox answers on this context; a member that left fails what waits on its peers from another thread. */
  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
