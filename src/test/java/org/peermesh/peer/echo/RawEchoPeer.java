package org.peermesh.peer.echo;

import io.vertx.core.buffer.Buffer;
import org.peermesh.peer.PeerAddress;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * An echo peer by hand over a blocking socket, from a chosen address of 127.0.0.0/8 (another IP to the node), so
 * that a test can send what a real peer never would. Every read has a deadline, so a test fails rather than hangs.
 */
final class RawEchoPeer implements AutoCloseable {

  private static final int READ_TIMEOUT_MS = 10_000;

  private final Socket socket;
  private final InputStream in;
  private final EchoCodec codec = new EchoCodec();
  private final Queue<EchoMessage> received = new ArrayDeque<>();

  RawEchoPeer(PeerAddress node, String localHost) {
    try {
      socket = new Socket(node.host(), node.port(), InetAddress.getByName(localHost), 0);
      socket.setSoTimeout(READ_TIMEOUT_MS);
      in = socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The name the node gives this peer: the address it sees us at. */
  String name() {
    return new PeerAddress(socket.getLocalAddress().getHostAddress(), socket.getLocalPort()).toString();
  }

  void send(EchoMessage message) {
    write(frame(message));
  }

  /** {@code message}'s frame, as a peer sends it. */
  byte[] frame(EchoMessage message) {
    Buffer frame = Buffer.buffer();
    codec.encode(message, frame);
    return frame.getBytes();
  }

  void write(byte... bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next message the node sends. */
  EchoMessage next() {
    byte[] chunk = new byte[4096];
    while (received.isEmpty()) {
      int n;
      try {
        n = in.read(chunk);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (n < 0) {
        throw new AssertionError("the node closed the connection");
      }
      codec.decode(Buffer.buffer().appendBytes(chunk, 0, n), (message, payload) -> received.add(message));
    }
    return received.remove();
  }

  /** True once the node has closed or reset the connection, dropping what it sent before; false after the deadline. */
  boolean closedByNode() {
    byte[] chunk = new byte[4096];
    try {
      while (in.read(chunk) >= 0) {
        // what came before the close does not matter here
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // a reset: what a peer that broke the protocol gets
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
