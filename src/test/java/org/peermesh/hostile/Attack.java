package org.peermesh.hostile;

import io.vertx.core.json.JsonObject;
import org.peermesh.net.PeerAddress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What the attackers of these tests do with plain sockets: connect from many 127.x addresses (each one another IP
 * to the node), write a lot in parallel, and see whether and how the node ends their connections. Everything that
 * waits has a deadline.
 */
final class Attack {

  private Attack() {
  }

  /** The {@code i}-th address of a spread over IPs {@code 127.<block>.<i / perIp>.1}, {@code perIp} each. */
  static String spreadHost(int block, int i, int perIp) {
    return "127." + block + "." + (i / perIp) + ".1";
  }

  static Socket connect(PeerAddress target, String bindHost, int receiveBuffer) {
    Socket socket = new Socket();
    try {
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.bind(new InetSocketAddress(InetAddress.getByName(bindHost), 0));
      socket.connect(new InetSocketAddress(target.host(), target.port()), 10_000);
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to " + target + " from " + bindHost, e);
    }
  }

  /** The remote name of the socket as the node sees it: {@code host:port} of our side. */
  static String name(Socket socket) {
    return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  /**
   * Writes {@code total} bytes ({@code head} first, then zeros) in 64 KiB chunks.
   *
   * @return true if every byte was written, false if the node closed or reset the connection first
   */
  static boolean writeAll(Socket socket, byte[] head, long total) {
    byte[] chunk = new byte[64 * 1024];
    try {
      OutputStream out = socket.getOutputStream();
      out.write(head);
      long left = total - head.length;
      while (left > 0) {
        int n = (int) Math.min(chunk.length, left);
        out.write(chunk, 0, n);
        left -= n;
      }
      out.flush();
      return true;
    } catch (IOException closedByNode) {
      return false;
    }
  }

  /** How a connection ended, as the attacker saw it. */
  record Ending(boolean closed, byte[] bytesRead) {
  }

  /**
   * Reads (and keeps) what the node sends until it closes or resets the connection, at most {@code deadline}.
   * Not closed within the deadline: {@code closed} false.
   */
  static Ending awaitEnd(Socket socket, Duration deadline) {
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    long end = System.nanoTime() + deadline.toNanos();
    byte[] chunk = new byte[8192];
    try {
      InputStream in = socket.getInputStream();
      while (true) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return new Ending(false, kept.toByteArray());
        }
        socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        int n;
        try {
          n = in.read(chunk);
        } catch (SocketTimeoutException e) {
          return new Ending(false, kept.toByteArray());
        }
        if (n < 0) {
          return new Ending(true, kept.toByteArray());
        }
        if (kept.size() < 1 << 20) {
          kept.write(chunk, 0, n);
        }
      }
    } catch (SocketException reset) {
      return new Ending(true, kept.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The code of the first mesh Disconnect frame in {@code bytes} (the node's frames before it skipped), or -1. */
  static int meshDisconnectCode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    while (in.remaining() >= 5) {
      int length = in.getInt();
      if (length < 1 || length > in.remaining()) {
        return -1;
      }
      int type = in.get() & 0xff;
      if (type == 0x03 && length >= 3) {
        return in.getShort() & 0xffff;
      }
      in.position(in.position() + length - 1);
    }
    return -1;
  }

  /** Runs every task on a thread of its own and returns their results, failing if they are not done by the deadline. */
  static <T> List<T> inParallel(List<Callable<T>> tasks, Duration deadline) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, tasks.size()));
    try {
      List<Future<T>> futures = new ArrayList<>();
      tasks.forEach(t -> futures.add(pool.submit(t)));
      long end = System.nanoTime() + deadline.toNanos();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        try {
          results.add(f.get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
          throw new AssertionError("the attackers were not done within " + deadline
              + " (the node neither took nor refused what they sent)");
        } catch (java.util.concurrent.ExecutionException e) {
          throw new AssertionError("an attacker failed", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Opens {@code attackers} connections to {@code target} from addresses of {@code block}, eight per address (within
   * any per-IP limit), and has each send {@code head} and filler up to {@code total} bytes, all at once: a frame that
   * is never finished, from connections that have proven nothing.
   *
   * @return the sockets, open, and how many of them got every byte out
   */
  static Flood unfinishedFrames(PeerAddress target, int block, int attackers, byte[] head, long total) {
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < attackers; i++) {
      sockets.add(connect(target, spreadHost(block, i, 8), 0));
    }
    List<Callable<Boolean>> writes = new ArrayList<>();
    sockets.forEach(s -> writes.add(() -> writeAll(s, head, total)));
    long sentWhole = inParallel(writes, Duration.ofSeconds(60)).stream().filter(b -> b).count();
    return new Flood(sockets, sentWhole);
  }

  /** The attack's connections, and how many sent all they meant to. */
  record Flood(List<Socket> sockets, long sentWhole) {

    /** How each connection ended, waiting up to 45 s each, all at once. */
    List<Ending> endings() {
      List<Callable<Ending>> ends = new ArrayList<>();
      sockets.forEach(s -> ends.add(() -> awaitEnd(s, Duration.ofSeconds(45))));
      return inParallel(ends, Duration.ofSeconds(60));
    }
  }

  static void closeAll(List<Socket> sockets) {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /** The mesh state changes to closed about the connection {@code name} ({@code host:port} of the attacker). */
  static List<JsonObject> closings(BusTap tap, String protocol, String name) {
    return tap.bodies(BusTap.PREFIX + "." + protocol + ".stateChange").stream()
        .filter(e -> "closed".equals(e.getString("state")) && name.equals(e.getString("peer")))
        .toList();
  }
}
