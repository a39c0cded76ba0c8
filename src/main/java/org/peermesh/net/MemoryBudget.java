package org.peermesh.net;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes the node buffers for its peers, of every protocol, read and written, under one limit: a share of the
 * heap. Each limit a peer has (its frame size, its write queue) holds for one peer; the sum over thousands of peers
 * would not, and a few hundred connections that each hold one maximal frame, or stop reading while the node writes
 * to them, would run the JVM out of memory. Every connection holds an {@link Account} here.
 *
 * <ul>
 *   <li>What a connection holds up to {@link #FREE_BYTES} is free: small messages, the common case, never touch the
 *       shared counter, and pending connections (whose frames are smaller) never do.</li>
 *   <li>Beyond, a connection takes bytes from the budget in steps of {@code FREE_BYTES}: for the frame it is
 *       receiving once its length is known, and for what waits to be written to it.</li>
 *   <li>When the budget has no room, a reader waits (its socket paused, as TCP backpressure) until another connection
 *       gives bytes back; a writer that holds less than its fair share (the limit over the connections holding
 *       bytes) may still take them, so that peers that hold little are never starved by those that hold much; one that
 *       holds more is refused: its senders are told 429, and a message it must get cuts it off if it has taken none
 *       of its bytes for a while, or is taken past the limit if it reads: a peer that reads is never cut for what
 *       others hold.</li>
 * </ul>
 *
 * <p>Thread-safe: connections on every event loop share it.
 */
public final class MemoryBudget {

  /** What a connection may hold without taking from the budget: a read chunk, a turn of small messages. */
  public static final int FREE_BYTES = 64 * 1024;

  private final long limit;
  private final AtomicLong taken = new AtomicLong();
  private final AtomicInteger holders = new AtomicInteger();
  /** Readers paused until bytes are given back, each resumed on its own context. */
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

  /** @param limit the most bytes the node's connections may hold in all, beyond each one's free bytes */
  public MemoryBudget(long limit) {
    if (limit < FREE_BYTES) {
      throw new IllegalArgumentException("a memory budget of " + limit + " bytes, less than " + FREE_BYTES);
    }
    this.limit = limit;
  }

  /** A budget of {@code percent} of the heap this JVM may grow to ({@code -Xmx}). */
  public static MemoryBudget shareOfHeap(int percent) {
    return new MemoryBudget(Runtime.getRuntime().maxMemory() / 100 * percent);
  }

  public long limit() {
    return limit;
  }

  /** The bytes the connections hold now, beyond their free bytes. */
  public long taken() {
    return taken.get();
  }

  /** Whether the connections hold all the budget: readers wait for room. */
  public boolean exhausted() {
    return taken.get() >= limit;
  }

  /**
   * Whether the connections hold three quarters of the budget or more: a peer that then takes none of the bytes
   * waiting for it for its stall timeout is cut off, as they are needed for peers that read. With room to spare, such
   * a peer only holds what it has, as an honest peer may stall a while.
   */
  public boolean tight() {
    return taken.get() >= limit / 4 * 3;
  }

  /** A new connection's account, empty. */
  public Account open() {
    return new Account();
  }

  private boolean take(long bytes) {
    long now;
    do {
      now = taken.get();
      if (now + bytes > limit) {
        return false;
      }
    } while (!taken.compareAndSet(now, now + bytes));
    return true;
  }

  private void giveBack(long bytes) {
    taken.addAndGet(-bytes);
    wakeWaiting();
  }

  private void wakeWaiting() {
    Runnable next;
    while ((next = waiting.poll()) != null) {
      next.run();
    }
  }

  private static long steps(long bytes) {
    return bytes <= FREE_BYTES ? 0 : (bytes + FREE_BYTES - 1) / FREE_BYTES * FREE_BYTES;
  }

  /**
   * One connection's share: what it holds for the frame it is reading, for what is queued to be written to it, and
   * for messages waiting for room in its queue. Used on the connection's context only; the budget it draws on is
   * shared.
   */
  public final class Account {

    /** What a connection gets that the budget has no room for. */
    private enum Beyond {
      /** Nothing. */
      REFUSED,
      /** The bytes, past the limit, while it holds no more than its fair share. */
      WITHIN_FAIR_SHARE,
      /** The bytes, past the limit, whatever it holds. */
      TAKEN
    }

    private static final int READING = 0;
    private static final int WRITING = 1;
    private static final int WAITING = 2;

    private final long[] parts = new long[3];
    private long held;

    private Account() {
    }

    /**
     * Takes what a frame of {@code frameBytes} being received needs (nothing for a small one, or between frames), or
     * gives back what the previous one took.
     *
     * @return false when the budget has no room for it: the connection stops reading until {@link #awaitRoom}
     */
    public boolean reserveReading(long frameBytes) {
      return resize(READING, frameBytes, Beyond.REFUSED);
    }

    /**
     * Takes what {@code queuedBytes} queued to be written to the peer need, or gives back what was written since.
     *
     * @return false when the budget has no room and the connection holds more than its fair share, taking nothing: the
     *     one to cut if it does not read; a connection within its share takes the bytes
     */
    public boolean holdWriting(long queuedBytes) {
      return resize(WRITING, queuedBytes, Beyond.WITHIN_FAIR_SHARE);
    }

    /**
     * Takes what {@code queuedBytes} queued to be written to the peer need, whatever the budget holds: for a peer that
     * reads, which {@link #holdWriting} refused, and which must not be cut for the bytes others hold.
     */
    public void holdWritingAnyway(long queuedBytes) {
      resize(WRITING, queuedBytes, Beyond.TAKEN);
    }

    /**
     * Takes what {@code waitingBytes} of messages waiting for room in the peer's queue need, or gives back.
     *
     * @return false, as {@link #holdWriting}: the messages are then refused (429)
     */
    public boolean holdWaiting(long waitingBytes) {
      return resize(WAITING, waitingBytes, Beyond.WITHIN_FAIR_SHARE);
    }

    /** Whether {@code more} bytes could be queued to the peer, which has {@code queuedBytes} queued, without a cut. */
    public boolean hasRoomFor(long queuedBytes, long more) {
      long extra = steps(queuedBytes + more) - parts[WRITING];
      return extra <= 0 || taken.get() + extra <= limit || held + extra <= fairShare();
    }

    /** The bytes this connection holds beyond its free ones. */
    public long held() {
      return held;
    }

    /** Whether the budget this account draws on is {@linkplain MemoryBudget#tight tight}. */
    public boolean budgetTight() {
      return tight();
    }

    /** Gives back everything, once the connection is closed. */
    public void close() {
      for (int part = 0; part < parts.length; part++) {
        resize(part, 0, Beyond.REFUSED);
      }
    }

    /** Runs {@code retry} with {@code onContext} (the connection's context) once another connection gives bytes back. */
    public void awaitRoom(Executor onContext, Runnable retry) {
      waiting.add(() -> onContext.execute(retry));
      if (!exhausted()) {
        // Bytes came back between the refusal and the wait: no one else would wake it.
        wakeWaiting();
      }
    }

    private boolean resize(int part, long bytes, Beyond beyond) {
      long delta = steps(bytes) - parts[part];
      if (delta == 0) {
        return true;
      }
      if (delta < 0) {
        change(part, delta);
        giveBack(-delta);
        return true;
      }
      if (take(delta)) {
        change(part, delta);
        return true;
      }
      if (beyond == Beyond.TAKEN || beyond == Beyond.WITHIN_FAIR_SHARE && held + delta <= fairShare()) {
        // Over the limit, for a connection that holds little or reads: others hold the budget, and must not starve it.
        taken.addAndGet(delta);
        change(part, delta);
        return true;
      }
      return false;
    }

    private void change(int part, long delta) {
      long before = held;
      parts[part] += delta;
      held += delta;
      if (before == 0 && held > 0) {
        holders.incrementAndGet();
      } else if (before > 0 && held == 0) {
        holders.decrementAndGet();
      }
    }

    private long fairShare() {
      return limit / Math.max(1, holders.get() + (held == 0 ? 1 : 0));
    }
  }
}
