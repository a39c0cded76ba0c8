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
import org.peermesh.net.PeerAddress;
import org.peermesh.net.Sockets;

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
  }

  /** Bounds of a new outbox's size: Vert.x's default, and more than a turn of small messages needs. */
  private static final int MIN_OUTBOX = 256;
  private static final int MAX_OUTBOX_HINT = 64 * 1024;

  private final Vertx vertx;
  private final Context context;
  private final NetSocket socket;
  private final int writeChunk;
  private final long maxQueued;

  /**
   * This turn's frames; null while none waits, so an idle peer holds no buffer. Allocated at the size of the last
   * write (within bounds), as the next turn is likely to be alike, which spares a busy peer's outbox from growing
   * by doubling and copying through every turn.
   */
  private Buffer outbox;
  private int outboxSizeHint = MIN_OUTBOX;
  private boolean flushScheduled;
  private boolean writable = true;
  /** When the socket last stopped taking bytes: a peer that reads drains it again, however slowly. */
  private long backedUpSinceNanos;
  private boolean closed;
  private long bytesOut;
  private Listener listener;

  /**
   * @param context    the socket's context, where this runs
   * @param writeChunk a queue of this many bytes is written at once rather than at the end of the turn, so only
   *                   bytes the peer has not read count against {@code maxQueued}; also the socket's write queue size
   * @param maxQueued  the most bytes that may wait for the peer, written or not, before it is cut off
   */
  public PeerSocket(Vertx vertx, Context context, NetSocket socket, int writeChunk, long maxQueued) {
    this.vertx = vertx;
    this.context = context;
    this.socket = socket;
    this.writeChunk = writeChunk;
    this.maxQueued = maxQueued;
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
   * @return false, with the queue dropped, when more than {@code maxQueued} bytes wait: the peer does not read and
   *     the caller disconnects it
   */
  public boolean write(Consumer<Buffer> encoder) {
    if (closed) {
      return true;
    }
    if (outbox == null) {
      outbox = Buffer.buffer(outboxSizeHint);
    }
    encoder.accept(outbox);
    if (writable && outbox.length() >= writeChunk) {
      writeOutbox();
      return true;
    }
    if (outbox.length() > maxQueued) {
      outbox = null;
      return false;
    }
    if (!flushScheduled && writable) {
      flushScheduled = true;
      context.runOnContext(v -> {
        flushScheduled = false;
        writeOutbox();
      });
    }
    return true;
  }

  /** Whether the socket takes more bytes now; false between a full write queue and its drain. */
  public boolean writable() {
    return writable;
  }

  /** How long the socket has not taken bytes, in nanoseconds: 0 while it does. */
  public long backedUpNanos() {
    return writable ? 0 : System.nanoTime() - backedUpSinceNanos;
  }

  /** Whether {@code bytes} more can be queued without passing the limit past which the peer is cut off. */
  public boolean hasRoomFor(long bytes) {
    return queuedBytes() + bytes <= maxQueued;
  }

  public int queuedBytes() {
    return outbox == null ? 0 : outbox.length();
  }

  public long bytesOut() {
    return bytesOut;
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
    bytesOut += batch.length();
    socket.write(batch);
    if (socket.writeQueueFull()) {
      writable = false;
      backedUpSinceNanos = System.nanoTime();
    }
  }

  private void onDrain() {
    writable = true;
    writeOutbox();
    listener.onDrained();
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
    Buffer last = outbox == null ? lastWords : outbox.appendBuffer(lastWords);
    outbox = null;
    return Sockets.close(vertx, socket, last, lingerMillis);
  }

  /** Closes a socket the peer has closed already: nothing is owed to it. */
  public Future<Void> closeAfterRemote() {
    closed = true;
    outbox = null;
    return socket.close();
  }

  /** Resets the connection at once, dropping what is queued: what a peer that broke the protocol gets. */
  public Future<Void> abort() {
    closed = true;
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
