package org.peermesh.hostile;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.Disconnect;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.Ping;
import org.peermesh.mesh.wire.Pong;
import org.peermesh.mesh.wire.WireCodec;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.testing.RawPeer;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/**
 * A mesh peer that completes the handshake with its own key (a {@link RawPeer}), from a chosen 127.x address, and
 * is admitted by the node. It may then read on a thread of its own, answering pings and counting the node's messages
 * by event, or never read at all (a peer that stops reading), or pause and resume its reading.
 */
final class MeshPeer implements AutoCloseable {

  private final RawPeer raw;
  private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
  private final Object gate = new Object();
  private final AtomicInteger framesRead = new AtomicInteger();
  private boolean paused;
  private volatile Disconnect disconnect;
  private volatile boolean ended;
  private Thread reader;

  private MeshPeer(RawPeer raw) {
    this.raw = raw;
  }

  /**
   * Connects from {@code bindHost} with a receive buffer of {@code receiveBuffer} bytes (0: the system's), completes
   * the handshake and waits until the node announced it as a new inbound peer on {@code tap}.
   */
  static MeshPeer join(NodeProcess node, BusTap tap, String bindHost, int receiveBuffer) {
    RawPeer raw = new RawPeer().readTimeoutMs(30_000);
    if (receiveBuffer > 0) {
      raw.receiveBufferSize(receiveBuffer);
    }
    raw.connect(node.meshAddress(), bindHost);
    try {
      raw.handshake(NodeProcess.NETWORK);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String id = raw.peerId();
    tap.await(BusTap.event("newInboundPeer"), e -> id.equals(e.getString("peerId")), Duration.ofSeconds(30));
    return new MeshPeer(raw);
  }

  String peerId() {
    return raw.peerId();
  }

  /** Reads every frame the node sends on a thread of its own from now on (pings answered, messages counted). */
  MeshPeer startReading() {
    reader = new Thread(this::readLoop, "mesh-peer-" + raw.peerId().substring(0, 8));
    reader.setDaemon(true);
    reader.start();
    return this;
  }

  /** Stops reading after the frame being read: what the node sends piles up in the TCP window, then in the node. */
  void pause() {
    synchronized (gate) {
      paused = true;
    }
  }

  void resume() {
    synchronized (gate) {
      paused = false;
      gate.notifyAll();
    }
  }

  private void readLoop() {
    while (!ended) {
      synchronized (gate) {
        while (paused) {
          try {
            gate.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
      }
      try {
        Buffer frame = raw.readFrame();
        framesRead.incrementAndGet();
        WireMessage message;
        try {
          message = WireCodec.decode(frame);
        } catch (RuntimeException unknown) {
          continue;
        }
        if (message instanceof Ping ping) {
          send(new Pong(ping.payload()));
        } else if (message instanceof AppMessage app) {
          received.computeIfAbsent(app.event(), e -> new AtomicInteger()).incrementAndGet();
        } else if (message instanceof Disconnect d) {
          disconnect = d;
          ended = true;
        }
      } catch (AssertionError timeout) {
        // nothing for a while; read on
      } catch (EOFException | SocketException closed) {
        ended = true;
      } catch (IOException | UncheckedIOException e) {
        ended = true;
      }
    }
  }

  /** Sends a frame; the reader thread's pongs and the test's frames never interleave. */
  void send(WireMessage message) {
    sendRaw(WireCodec.encode(message).getBytes());
  }

  synchronized void sendRaw(byte[] bytes) {
    raw.sendRaw(bytes);
  }

  void sendMessage(String event, Object data) {
    send(new AppMessage(event, JsonPayload.of(data)));
  }

  int received(String event) {
    AtomicInteger n = received.get(event);
    return n == null ? 0 : n.get();
  }

  int framesRead() {
    return framesRead.get();
  }

  void awaitReceived(String event, int count, Duration deadline) {
    await().atMost(deadline).until(() -> received(event) >= count || ended);
    if (received(event) < count) {
      throw new AssertionError("peer " + peerId() + " got " + received(event) + " of " + count + " '" + event
          + "' messages before its connection ended" + (disconnect == null ? "" : " with " + disconnect));
    }
  }

  /** The Disconnect the node sent, if the reader saw one. */
  Disconnect disconnect() {
    return disconnect;
  }

  boolean ended() {
    return ended;
  }

  @Override
  public void close() {
    ended = true;
    resume();
    raw.close();
  }

  /** A JSON object of about {@code bytes} bytes. */
  static JsonObject payload(int bytes, int n) {
    return new JsonObject().put("n", n).put("pad", "x".repeat(Math.max(0, bytes - 20)));
  }
}
