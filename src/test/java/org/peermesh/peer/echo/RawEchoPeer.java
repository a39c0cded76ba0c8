package org.peermesh.peer.echo;

import io.vertx.core.buffer.Buffer;
import org.peermesh.net.PeerAddress;
import org.peermesh.testing.RawSocket;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * An echo peer by hand over a blocking socket, from a chosen address of 127.0.0.0/8 (another IP to the node), so
 * that a test can send what a real peer never would. Every read has a deadline, so a test fails rather than hangs.
 */
final class RawEchoPeer implements AutoCloseable {

  private static final int READ_TIMEOUT_MS = 10_000;

  private final RawSocket socket;
  private final EchoCodec codec = new EchoCodec();
  private final Queue<EchoMessage> received = new ArrayDeque<>();

  RawEchoPeer(PeerAddress node, String localHost) {
    socket = new RawSocket(node, localHost, READ_TIMEOUT_MS);
  }

  /** The name the node gives this peer: the address it sees us at. */
  String name() {
    return socket.name();
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
    socket.write(bytes);
  }

  /** The next message the node sends. */
  EchoMessage next() {
    while (received.isEmpty()) {
      codec.decode(socket.read(), (message, payload) -> received.add(message));
    }
    return received.remove();
  }

  /** True once the node has closed or reset the connection, dropping what it sent before; false after the deadline. */
  boolean closedByNode() {
    return socket.closedByNode();
  }

  @Override
  public void close() {
    socket.close();
  }
}
