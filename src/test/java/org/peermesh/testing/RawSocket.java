package org.peermesh.testing;

import io.vertx.core.buffer.Buffer;
import org.peermesh.net.PeerAddress;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * A blocking socket to a node, from a chosen address of 127.0.0.0/8 (another IP to the node), for the raw peers of
 * every protocol's tests: they send what a real peer never would and read what the node answers. Every read has a
 * deadline, so a test fails rather than hangs.
 */
public final class RawSocket implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;

  public RawSocket(PeerAddress node, String localHost, int readDeadlineMs) {
    this(node, localHost, readDeadlineMs, 0);
  }

  /**
   * @param receiveBufferSize the socket's receive buffer in bytes, set before connecting so that the window it
   *     advertises stays that small (a peer that reads little at a time); 0: the system's
   */
  public RawSocket(PeerAddress node, String localHost, int readDeadlineMs, int receiveBufferSize) {
    try {
      socket = new Socket();
      if (receiveBufferSize > 0) {
        socket.setReceiveBufferSize(receiveBufferSize);
      }
      socket.bind(new InetSocketAddress(InetAddress.getByName(localHost), 0));
      socket.connect(new InetSocketAddress(node.host(), node.port()));
      socket.setSoTimeout(readDeadlineMs);
      in = socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The name the node gives this peer: the address it sees us at. */
  public String name() {
    return new PeerAddress(socket.getLocalAddress().getHostAddress(), socket.getLocalPort()).toString();
  }

  public void write(byte... bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next bytes the node sends; fails the test if the node closes the connection first. */
  public Buffer read() {
    byte[] chunk = new byte[8192];
    int n;
    try {
      n = in.read(chunk);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (n < 0) {
      throw new AssertionError("the node closed the connection");
    }
    return Buffer.buffer().appendBytes(chunk, 0, n);
  }

  /** True once the node has closed or reset the connection, dropping what it sent before; false after the deadline. */
  public boolean closedByNode() {
    byte[] chunk = new byte[8192];
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
