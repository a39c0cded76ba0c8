package org.peermesh.bus;

import io.vertx.core.json.JsonObject;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A client of the node's TCP event-bus bridge over a plain {@link Socket}, as a service in another language would
 * write it. No Vert.x code is involved on this side.
 *
 * <p>Wire protocol, as vertx-tcp-eventbus-bridge 5.0.1's {@code FrameParser} and {@code FrameHelper} define it and
 * {@link EventBusBridge} serves it: every frame, in both
 * directions, is a 4-byte big-endian length followed by that many bytes of one UTF-8 JSON object.
 * <ul>
 *   <li>client to bridge: {@code {"type": "send"|"publish"|"register"|"unregister"|"ping", "address", "body",
 *       "replyAddress"?, "headers"?}}; a {@code send} to a reply address the bridge delivered may carry
 *       {@code "failureCode"} and {@code "message"} instead of a body, to fail that request;</li>
 *   <li>bridge to client: {@code {"type": "message", "address", "body", "replyAddress"?, "headers", "send"}} for
 *       deliveries and replies (a reply's address is the client's replyAddress), {@code {"type": "err",
 *       "message"}} for a refused frame ({@code access_denied}, {@code missing_address}, {@code unknown_type},
 *       {@code unknown_address}, ...; with {@code "address"} if the frame had a replyAddress), {@code {"type": "err",
 *       "address", "sourceAddress", "failureCode", "failureType", "message"}} for a failed request, and
 *       {@code {"type": "pong"}} for a ping.</li>
 * </ul>
 * A register with a replyAddress is acknowledged there ({@link #register(String, String)}); Vert.x's bridge answers a
 * register with nothing. {@link #sync()} sends a ping and waits for its pong: the bridge handles a connection's frames
 * in order, so every frame written before the ping has been acted on by then.
 *
 * <p>Reads block at most {@code readTimeout} (the socket's SO_TIMEOUT); a read that times out fails the test
 * instead of hanging it. Frames read while looking for another one are kept and handed out by later reads.
 */
public final class BridgeClient implements AutoCloseable {

  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(15);
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  /** No frame of these tests comes near this; a larger length means the stream is out of step. */
  private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private final Deque<JsonObject> unread = new ArrayDeque<>();

  private BridgeClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
  }

  public static BridgeClient connect(String host, int port) {
    return connect(host, port, DEFAULT_READ_TIMEOUT);
  }

  public static BridgeClient connect(String host, int port, Duration readTimeout) {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      return new BridgeClient(socket);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new UncheckedIOException("cannot connect to the bridge at " + host + ":" + port, e);
    }
  }

  // ------------------------------------------------------------------------------------------------------ writing

  public BridgeClient register(String address) {
    return write(new JsonObject().put("type", "register").put("address", address).put("headers", new JsonObject()));
  }

  /** A register the bridge acknowledges on {@code replyAddress} once messages on {@code address} reach the client. */
  public BridgeClient register(String address, String replyAddress) {
    return write(new JsonObject().put("type", "register").put("address", address).put("replyAddress", replyAddress));
  }

  public BridgeClient unregister(String address) {
    return write(new JsonObject().put("type", "unregister").put("address", address).put("headers", new JsonObject()));
  }

  /** A point-to-point send that expects no reply. */
  public BridgeClient send(String address, Object body) {
    return write(frame("send", address, body));
  }

  /** A request: the reply, or the failure, comes back as a frame whose address is {@code replyAddress}. */
  public BridgeClient send(String address, Object body, String replyAddress) {
    return write(frame("send", address, body).put("replyAddress", replyAddress));
  }

  public BridgeClient publish(String address, Object body) {
    return write(frame("publish", address, body));
  }

  /** Answers a request the bridge delivered with a {@code replyAddress}. */
  public BridgeClient reply(String replyAddress, Object body) {
    return send(replyAddress, body);
  }

  /** Fails a request the bridge delivered with a {@code replyAddress}: its sender sees this code and message. */
  public BridgeClient fail(String replyAddress, int failureCode, String message) {
    return write(new JsonObject().put("type", "send").put("address", replyAddress).put("headers", new JsonObject())
        .put("failureCode", failureCode).put("message", message));
  }

  public BridgeClient ping() {
    return write(new JsonObject().put("type", "ping"));
  }

  /** Writes one frame as given. */
  public synchronized BridgeClient write(JsonObject frame) {
    return writeRaw(frame.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** Writes one frame of arbitrary bytes (the length prefix is added). */
  public synchronized BridgeClient writeRaw(byte[] payload) {
    try {
      out.writeInt(payload.length);
      out.write(payload);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the bridge", e);
    }
  }

  /** Writes bytes as given, with no length prefix: a frame's beginning, or a length that lies. */
  public synchronized BridgeClient writeBytes(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the bridge", e);
    }
  }

  /** Reads until the bridge closes the connection; fails if a frame arrives first. */
  public void assertClosed() {
    try {
      int next = in.read();
      if (next != -1) {
        throw new AssertionError("expected the bridge to close the connection, got more bytes");
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the bridge did not close the connection within " + soTimeout() + " ms", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read from the bridge", e);
    }
  }

  private static JsonObject frame(String type, String address, Object body) {
    return new JsonObject().put("type", type).put("address", address).put("headers", new JsonObject())
        .put("body", body);
  }

  // ------------------------------------------------------------------------------------------------------ reading

  /** The next frame: one kept from an earlier search, else one read from the socket. */
  public synchronized JsonObject readFrame() {
    JsonObject kept = unread.pollFirst();
    return kept != null ? kept : readFromSocket();
  }

  /** The first frame, kept or new, that matches; frames before it that do not match are kept for later reads. */
  public synchronized JsonObject readFrame(Predicate<JsonObject> wanted, String description) {
    for (Iterator<JsonObject> it = unread.iterator(); it.hasNext(); ) {
      JsonObject kept = it.next();
      if (wanted.test(kept)) {
        it.remove();
        return kept;
      }
    }
    List<JsonObject> skipped = new ArrayList<>();
    try {
      while (true) {
        JsonObject frame = readFromSocket();
        if (wanted.test(frame)) {
          return frame;
        }
        skipped.add(frame);
      }
    } catch (AssertionError noMore) {
      throw new AssertionError("no frame " + description + " arrived; got instead " + skipped + " (and kept "
          + unread + ")", noMore);
    } finally {
      unread.addAll(skipped);
    }
  }

  /** The next frame delivered or replied to this address. */
  public JsonObject readMessage(String address) {
    return readFrame(f -> "message".equals(f.getString("type")) && address.equals(f.getString("address")),
        "of type message to " + address);
  }

  /** The next frame of type {@code err}. */
  public JsonObject readError() {
    return readFrame(f -> "err".equals(f.getString("type")), "of type err");
  }

  /**
   * Pings and waits for the pong. Every frame that arrives before the pong is kept for later reads; every frame
   * written before the ping has been handled by the bridge when this returns.
   */
  public synchronized BridgeClient sync() {
    ping();
    readFrame(f -> "pong".equals(f.getString("type")), "of type pong");
    return this;
  }

  /** The frames read and kept, not yet handed out. */
  public synchronized List<JsonObject> unreadFrames() {
    return List.copyOf(unread);
  }

  private JsonObject readFromSocket() {
    try {
      int length = in.readInt();
      if (length < 0 || length > MAX_FRAME_BYTES) {
        throw new AssertionError("the bridge sent a frame length of " + length);
      }
      byte[] payload = new byte[length];
      in.readFully(payload);
      return new JsonObject(new String(payload, StandardCharsets.UTF_8));
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no frame from the bridge within " + soTimeout() + " ms", e);
    } catch (EOFException e) {
      throw new AssertionError("the bridge closed the connection", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read from the bridge", e);
    }
  }

  /** This side's port: the node names the client by it in its log. */
  public int localPort() {
    return socket.getLocalPort();
  }

  private int soTimeout() {
    try {
      return socket.getSoTimeout();
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing: nothing to do about it.
    }
  }
}
