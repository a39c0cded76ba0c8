package org.peermesh.devp2p.discv4;

import org.peermesh.crypto.Secp256k1;
import org.peermesh.devp2p.discovery.Discv4Packet;
import org.peermesh.devp2p.discovery.Discv4Packets;
import org.peermesh.devp2p.discovery.EnodeUrl;
import org.peermesh.devp2p.discovery.NodeId;
import org.peermesh.testing.TestNodes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A hand-driven discv4 node for the tests: a blocking UDP socket on 127.0.0.1 and a key, sending whatever bytes a
 * test makes and reading the service's datagrams one by one, each read bounded by {@link TestNodes#DEADLINE}.
 */
final class RawDiscv4Node implements AutoCloseable {

  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;
  private final DatagramSocket socket;

  RawDiscv4Node() {
    this.key = freshKey();
    try {
      socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
      socket.setSoTimeout((int) TestNodes.DEADLINE.toMillis());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] freshKey() {
    byte[] key = new byte[32];
    do {
      RANDOM.nextBytes(key);
    } while (!Secp256k1.isValidPrivateKey(key));
    return key;
  }

  NodeId id() {
    return NodeId.ofPrivateKey(key);
  }

  int port() {
    return socket.getLocalPort();
  }

  byte[] key() {
    return key.clone();
  }

  /** Signs {@code packet} with our key, sends it to {@code to}'s UDP port, and returns the datagram. */
  byte[] send(Discv4Packet packet, EnodeUrl to) {
    byte[] datagram = Discv4Packets.encode(packet, key);
    sendRaw(datagram, to);
    return datagram;
  }

  void sendRaw(byte[] datagram, EnodeUrl to) {
    try {
      socket.send(new DatagramPacket(datagram, datagram.length, LOOPBACK, to.udpPort()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next datagram that comes, decoded; an AssertionError when none comes before the deadline. */
  Discv4Packets.Decoded receive() {
    byte[] buffer = new byte[2048];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    try {
      socket.receive(packet);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no datagram within " + TestNodes.DEADLINE, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Discv4Packets.decode(Arrays.copyOf(buffer, packet.getLength()));
  }

  /** The next datagram of {@code type}, the others before it skipped. */
  <T extends Discv4Packet> Received<T> receive(Class<T> type) {
    while (true) {
      Discv4Packets.Decoded decoded = receive();
      if (type.isInstance(decoded.packet())) {
        return new Received<>(type.cast(decoded.packet()), decoded);
      }
    }
  }

  record Received<T extends Discv4Packet>(T packet, Discv4Packets.Decoded decoded) {
  }

  @Override
  public void close() {
    socket.close();
  }
}
