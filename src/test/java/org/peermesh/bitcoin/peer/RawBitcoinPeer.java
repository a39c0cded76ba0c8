package org.peermesh.bitcoin.peer;

import io.vertx.core.buffer.Buffer;
import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.bitcoin.wire.BitcoinFrameDecoder;
import org.peermesh.bitcoin.wire.BitcoinFrames;
import org.peermesh.bitcoin.wire.BitcoinMessage;
import org.peermesh.bitcoin.wire.NetworkAddress;
import org.peermesh.bitcoin.wire.TestFrames;
import org.peermesh.bitcoin.wire.VersionMessage;
import org.peermesh.peer.PeerAddress;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Instant;

/**
 * A Bitcoin peer driven by hand over a plain socket, byte by byte where a test needs it: what a hostile or broken
 * peer sends, and what the node answers. Reads are bounded by a socket timeout, a deadline rather than a wait.
 */
final class RawBitcoinPeer implements AutoCloseable {

  private static final int READ_DEADLINE_MS = 20_000;

  private final Socket socket;
  private final InputStream in;
  private final int magic;
  private final BitcoinFrameDecoder decoder;
  private final TestFrames.Collector<BitcoinMessage> received = TestFrames.messages();

  RawBitcoinPeer(PeerAddress node, BitcoinNetwork network) {
    this(node, network, "127.0.0.1");
  }

  /** A peer connecting from {@code localHost}: any 127.x address is this machine, as another IP to the node. */
  RawBitcoinPeer(PeerAddress node, BitcoinNetwork network, String localHost) {
    try {
      socket = new Socket(node.host(), node.port(), InetAddress.getByName(localHost), 0);
      socket.setSoTimeout(READ_DEADLINE_MS);
      in = socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    magic = network.magic();
    decoder = new BitcoinFrameDecoder(magic, BitcoinFrames.MAX_PROTOCOL_MESSAGE_LENGTH);
  }

  int localPort() {
    return socket.getLocalPort();
  }

  /** The name the node gives this peer: the address it sees us at. */
  String peerName() {
    return new PeerAddress(socket.getLocalAddress().getHostAddress(), socket.getLocalPort()).toString();
  }

  static VersionMessage version(long nonce) {
    return new VersionMessage(70016, 0, Instant.now().getEpochSecond(), NetworkAddress.of(0, "127.0.0.1", 0),
        NetworkAddress.of(0, "127.0.0.1", 0), nonce, "/raw-test:1.0/", 7, true);
  }

  void send(BitcoinMessage message) {
    write(BitcoinFrames.encode(magic, message).getBytes());
  }

  void write(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next message the node sends, decoded. */
  BitcoinMessage next() {
    byte[] chunk = new byte[8192];
    while (received.frames().isEmpty()) {
      int n;
      try {
        n = in.read(chunk);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (n < 0) {
        throw new IllegalStateException("the node closed the connection");
      }
      decoder.feed(Buffer.buffer().appendBytes(chunk, 0, n), received);
    }
    return received.frames().remove(0);
  }

  /** The next message of {@code type}, skipping others (the node may send sendaddrv2, wtxidrelay, getaddr). */
  <T extends BitcoinMessage> T next(Class<T> type) {
    while (true) {
      BitcoinMessage message = next();
      if (type.isInstance(message)) {
        return type.cast(message);
      }
    }
  }

  /** True once the node has closed (or reset) the connection, reading and dropping whatever comes before. */
  boolean closedByNode() {
    byte[] chunk = new byte[8192];
    try {
      while (in.read(chunk) >= 0) {
        // what the node sent before closing does not matter here
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // a reset: what the node does to a peer that broke the protocol
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
