package org.peermesh.bitcoin.peer;

import org.peermesh.bitcoin.BitcoinNetwork;
import org.peermesh.bitcoin.wire.BitcoinFrameDecoder;
import org.peermesh.bitcoin.wire.BitcoinFrames;
import org.peermesh.bitcoin.wire.BitcoinMessage;
import org.peermesh.bitcoin.wire.NetworkAddress;
import org.peermesh.bitcoin.wire.TestFrames;
import org.peermesh.bitcoin.wire.VerackMessage;
import org.peermesh.bitcoin.wire.VersionMessage;
import org.peermesh.net.PeerAddress;
import org.peermesh.testing.RawSocket;

import java.time.Instant;

/**
 * A Bitcoin peer driven by hand over a plain socket, byte by byte where a test needs it: what a hostile or broken
 * peer sends, and what the node answers. Reads are bounded by a socket timeout, a deadline rather than a wait.
 */
public final class RawBitcoinPeer implements AutoCloseable {

  private static final int READ_DEADLINE_MS = 20_000;

  private final RawSocket socket;
  private final int magic;
  private final BitcoinFrameDecoder decoder;
  private final TestFrames.Collector<BitcoinMessage> received = TestFrames.messages();

  RawBitcoinPeer(PeerAddress node, BitcoinNetwork network) {
    this(node, network, "127.0.0.1");
  }

  /** A peer connecting from {@code localHost}: any 127.x address is this machine, as another IP to the node. */
  public RawBitcoinPeer(PeerAddress node, BitcoinNetwork network, String localHost) {
    this(node, network, localHost, 0);
  }

  /** A peer whose socket receives at most {@code receiveBufferSize} bytes before it reads them (0: the system's). */
  RawBitcoinPeer(PeerAddress node, BitcoinNetwork network, String localHost, int receiveBufferSize) {
    socket = new RawSocket(node, localHost, READ_DEADLINE_MS, receiveBufferSize);
    magic = network.magic();
    decoder = new BitcoinFrameDecoder(magic, BitcoinFrames.MAX_PROTOCOL_MESSAGE_LENGTH);
  }

  /** The name the node gives this peer: the address it sees us at. */
  String peerName() {
    return socket.name();
  }

  static VersionMessage version(long nonce) {
    return new VersionMessage(70016, 0, Instant.now().getEpochSecond(), NetworkAddress.of(0, "127.0.0.1", 0),
        NetworkAddress.of(0, "127.0.0.1", 0), nonce, "/raw-test:1.0/", 7, true);
  }

  /** Sends our version, reads the node's version and verack, and sends our verack: the node's version. */
  public VersionMessage handshake() {
    send(version(42));
    VersionMessage nodeVersion = next(VersionMessage.class);
    next(VerackMessage.class);
    send(new VerackMessage());
    return nodeVersion;
  }

  void send(BitcoinMessage message) {
    write(BitcoinFrames.encode(magic, message).getBytes());
  }

  void write(byte[] bytes) {
    socket.write(bytes);
  }

  /** The next message the node sends, decoded. */
  BitcoinMessage next() {
    while (received.frames().isEmpty()) {
      decoder.feed(socket.read(), received);
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
  public boolean closedByNode() {
    return socket.closedByNode();
  }

  @Override
  public void close() {
    socket.close();
  }
}
