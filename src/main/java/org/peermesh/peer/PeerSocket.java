package org.peermesh.peer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import org.peermesh.net.MemoryBudget;
import org.peermesh.net.PeerAddress;
import org.peermesh.net.Sockets;

import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The socket of one peer verticle, whatever its wire protocol: the verticle's only way to the bytes. It hands the
 * bytes read to the verticle, coalesces the frames written in one turn into one socket write, bounds what waits for
 * a peer that does not read, and closes with or without the queue.
 *
 * <p>It runs on the socket's own context, where the verticle runs too ({@link PeerConnection}): every method and
 * every callback of the listener is on that context, and nothing read or written hops to another thread.
 */
public final class PeerSocket {

  /** What the owning verticle hears from its socket, on the socket's context. */
  public interface Listener {
    void onData(Buffer chunk);

    void onClosed();

    void onError(Throwable error);

    /** The socket took the queued bytes after its write queue had been full; for a listener that waits for it. */
    default void onDrained() {
    }

    /**
     * More than the free bytes of the memory budget have waited for the peer for the stall timeout without any of
     * them leaving for the network, and the budget is tight: the peer does not read, and holds memory the node needs.
     */
    void onStalled(long waitingBytes);
  }

  /** Why the node stops reading from a peer for a while: TCP then slows the peer down. */
  public enum ReadPause {
    /** The peer reached its share of {@code maxMessageRate} in this pacing window. */
    RATE,
    /** The node's memory budget has no room for the frame the peer is sending. */
    MEMORY
  }

  /** Bounds of a new outbox's size: Vert.x's default, and more than a turn of small messages needs. */
  private static final int MIN_OUTBOX = 256;
  private static final int MAX_OUTBOX_HINT = 64 * 1024;

  private final Vertx vertx;
  private final Context context;
  private final NetSocket socket;
  private final int writeChunk;
  private final long maxQueued;
  private final MemoryBudget.Account account;
  private final long stallTimeoutNanos;
  /** Armed while the peer holds bytes of the budget, to find it stalled; -1 while none is. */
  private long stallTimer = -1;
  /** The bytes written to the socket it had not sent when last asked: what the peer has not read yet. */
  private long inSocket;

  /**
   * This turn's frames; null while none waits, so an idle peer holds no buffer. Allocated at the size of the last
   * write (within bounds), as the next turn is likely to be alike, which spares a busy peer's outbox from growing
   * by doubling and copying through every turn.
   */
  private Buffer outbox;
  private int outboxSizeHint = MIN_OUTBOX;
  private boolean flushScheduled;
  private boolean writable = true;
  /**
   * When bytes waiting for the peer last moved on to the network (or nothing waited): a peer that reads takes some,
   * however slowly; one that does not leaves them where they are, whether the socket's queue is full or the
   * kernel's buffer is.
   */
  private long lastProgressNanos = System.nanoTime();
  /** How many of the bytes written had left for the network when last asked. */
  private long lastSent;
  private boolean closed;
  private final EnumSet<ReadPause> readPauses = EnumSet.noneOf(ReadPause.class);
  private long bytesOut;
  /** The size of the frame the latest {@link #write} appended. */
  private int lastFrameBytes;
  private Listener listener;

  /**
   * @param context    the socket's context, where this runs
   * @param writeChunk a queue of this many bytes is written at once rather than at the end of the turn, so only
   *                   bytes the peer has not read count against {@code maxQueued}; also the socket's write queue size
   * @param maxQueued  the most bytes that may wait for the peer, written or not, before it is cut off
   * @param account    the connection's share of the node's memory budget, which what waits for the peer is taken from
   * @param stallTimeoutMillis how long bytes of the budget may wait for the peer without moving before it is
   *                   {@linkplain Listener#onStalled stalled}: the protocol's ackTimeout
   */
  public PeerSocket(Vertx vertx, Context context, NetSocket socket, int writeChunk, long maxQueued,
                    MemoryBudget.Account account, long stallTimeoutMillis) {
    this.stallTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(stallTimeoutMillis);
    this.vertx = vertx;
    this.context = context;
    this.socket = socket;
    this.writeChunk = writeChunk;
    this.maxQueued = maxQueued;
    this.account = account;
  }

  /** Installs the handlers and resumes reading (a server pauses what it hands over). */
  public void start(Listener listener) {
    this.listener = listener;
    socket.handler(listener::onData);
    socket.closeHandler(v -> {
      closed = true;
      listener.onClosed();
    });
    socket.exceptionHandler(listener::onError);
    socket.drainHandler(v -> onDrain());
    socket.setWriteQueueMaxSize(writeChunk);
    socket.resume();
  }

  /**
   * Appends a frame with {@code encoder} to what leaves at the end of this turn.
   *
   * @return null, or why the peer is to be cut off, with the queue dropped: more than {@code maxQueued} bytes wait,
   *     as for a peer that does not read, or the node's memory budget is used up and the peer holds more than its
   *     share
   */
  public String write(Consumer<Buffer> encoder) {
    if (closed) {
      lastFrameBytes = 0;
      return null;
    }
    if (outbox == null) {
      outbox = Buffer.buffer(outboxSizeHint);
    }
    int start = outbox.length();
    encoder.accept(outbox);
    lastFrameBytes = outbox.length() - start;
    if (writable && outbox.length() >= writeChunk) {
      writeOutbox();
      return null;
    }
    if (outbox.length() > maxQueued) {
      outbox = null;
      return "more than " + maxQueued + " bytes waiting (maxWriteQueueSize): the peer does not read";
    }
    long waiting = outbox.length() + inSocket;
    if ((waiting > MemoryBudget.FREE_BYTES || account.held() > 0) && !account.holdWriting(waiting)) {
      if (backedUpNanos() >= stallTimeoutNanos) {
        outbox = null;
        return waiting + " bytes waiting while the node's memory budget (memoryBudgetPercent) is used up, more than "
            + "the peer's share, and it has taken none of them within ackTimeout: it does not read";
      }
      // It reads: cut for the bytes others hold, it would be the honest peer the budget is there to protect.
      account.holdWritingAnyway(waiting);
    }
    if (!flushScheduled && writable) {
      flushScheduled = true;
      context.runOnContext(v -> {
        flushScheduled = false;
        writeOutbox();
      });
    }
    return null;
  }

  /** Stops reading from the peer for {@code why}, until {@link #resumeReading} for the same reason. */
  public void pauseReading(ReadPause why) {
    if (readPauses.isEmpty()) {
      socket.pause();
    }
    readPauses.add(why);
  }

  /** Reads from the peer again, unless it is paused for another reason too. */
  public void resumeReading(ReadPause why) {
    if (readPauses.remove(why) && readPauses.isEmpty() && !closed) {
      socket.resume();
    }
  }

  /** Whether reading is paused for {@code why}. */
  public boolean readingPaused(ReadPause why) {
    return readPauses.contains(why);
  }

  /** Whether the socket takes more bytes now; false between a full write queue and its drain. */
  public boolean writable() {
    return writable;
  }

  /** How long bytes have waited for the peer without any of them leaving for the network, in nanoseconds. */
  public long backedUpNanos() {
    observeSocket();
    return System.nanoTime() - lastProgressNanos;
  }

  /** Whether {@code bytes} more can be queued without passing the limit past which the peer is cut off. */
  public boolean hasRoomFor(long bytes) {
    return queuedBytes() + bytes <= maxQueued && account.hasRoomFor(queuedBytes() + inSocket, bytes);
  }

  public int queuedBytes() {
    return outbox == null ? 0 : outbox.length();
  }

  public long bytesOut() {
    return bytesOut;
  }

  /** How many bytes the frame the latest {@link #write} appended takes on the wire; 0 if the socket was closed. */
  public int lastFrameBytes() {
    return lastFrameBytes;
  }

  public boolean isClosed() {
    return closed;
  }

  private void writeOutbox() {
    if (!writable || outbox == null || closed) {
      return;
    }
    Buffer batch = outbox;
    outbox = null;
    outboxSizeHint = Math.max(MIN_OUTBOX, Math.min(MAX_OUTBOX_HINT, batch.length()));
    // Before the batch counts: a new backlog, however long the peer had nothing to take, waits from now on.
    observeSocket();
    bytesOut += batch.length();
    Future<Void> written = socket.write(batch);
    if (socket.writeQueueFull()) {
      writable = false;
    }
    settleAccount();
    if (account.held() > 0) {
      // Large writes: the budget gets its bytes back once the socket has sent them, not at the next write.
      written.onComplete(w -> settleAccount());
    }
  }

  private void onDrain() {
    writable = true;
    writeOutbox();
    settleAccount();
    listener.onDrained();
  }

  /**
   * Brings the connection's share of the budget in line with what waits for the peer now, having noted whether any of
   * it left since. Bytes here moved from the outbox, which held them already; should the budget refuse more (the socket
   * piled up more than the outbox held), the share stays as it was, and the next write to the peer is judged on it.
   */
  private void settleAccount() {
    if (closed) {
      return;
    }
    observeSocket();
    if (account.held() > 0 || inSocket > MemoryBudget.FREE_BYTES) {
      account.holdWriting(queuedBytes() + inSocket);
    }
    if (account.held() > 0 && stallTimer < 0) {
      watchForStall(stallTimeoutNanos);
    }
  }

  /**
   * Checks, {@code delayNanos} from now, whether the bytes the peer holds of the budget have moved since: the one way
   * to find a peer that stopped reading once nothing more is written to it, whose bytes would otherwise stay held
   * until it times out, if it ever does (a peer that keeps sending while it reads nothing never does). Checked again
   * each stall timeout while it holds them: the budget may become tight later.
   */
  private void watchForStall(long delayNanos) {
    stallTimer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos)), t -> {
      stallTimer = -1;
      if (closed) {
        return;
      }
      long stalled = backedUpNanos();
      if (account.held() == 0) {
        return;
      }
      if (stalled >= stallTimeoutNanos && account.budgetTight()) {
        listener.onStalled(queuedBytes() + inSocket);
      } else if (stallTimer < 0) {
        watchForStall(stalled >= stallTimeoutNanos ? stallTimeoutNanos : stallTimeoutNanos - stalled);
      }
    });
  }

  /**
   * Reads what the socket still holds unsent, and notes whether any of it left since: all that asking whether the
   * peer reads needs, which every local send asks, so the budget is not settled for it.
   */
  private void observeSocket() {
    inSocket = Sockets.unsentBytes(socket);
    long sent = bytesOut - inSocket;
    if (sent != lastSent || nothingWaits()) {
      lastSent = sent;
      lastProgressNanos = System.nanoTime();
    }
  }

  /** Whether no byte waits for the peer: none in the socket, and none in the outbox that a full socket holds back. */
  private boolean nothingWaits() {
    return inSocket == 0 && (writable || outbox == null);
  }

  /**
   * Writes what is queued and {@code lastWords} (may be empty), then closes; after {@code lingerMillis} without the
   * write completing, as with a peer that does not read, the connection is reset instead.
   */
  public Future<Void> close(Buffer lastWords, long lingerMillis) {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    account.close();
    Buffer last = outbox == null ? lastWords : outbox.appendBuffer(lastWords);
    outbox = null;
    return Sockets.close(vertx, socket, last, lingerMillis);
  }

  /** Closes a socket the peer has closed already: nothing is owed to it. */
  public Future<Void> closeAfterRemote() {
    closed = true;
    account.close();
    outbox = null;
    return socket.close();
  }

  /** Resets the connection at once, dropping what is queued: what a peer that broke the protocol gets. */
  public Future<Void> abort() {
    closed = true;
    account.close();
    outbox = null;
    return Sockets.abort(socket);
  }

  /** The client a pool dials with: its connect timeout (int milliseconds, as Netty takes it), no Nagle delay. */
  public static NetClientOptions clientOptions(PoolOptions<?> options) {
    return new NetClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.getConnectTimeout()))
        .setTcpNoDelay(true);
  }

  /** How to dial {@code target}: directly, or (a non-null {@code proxy}) through that SOCKS5 proxy. */
  public static ConnectOptions connectOptions(PeerAddress target, PeerAddress proxy) {
    ConnectOptions connect = new ConnectOptions().setHost(target.host()).setPort(target.port());
    if (proxy != null) {
      connect.setProxyOptions(new ProxyOptions().setType(ProxyType.SOCKS5).setHost(proxy.host()).setPort(proxy.port()));
    }
    return connect;
  }
}
