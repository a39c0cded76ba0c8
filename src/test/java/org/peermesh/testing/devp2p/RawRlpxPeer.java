package org.peermesh.testing.devp2p;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.devp2p.base.DisconnectMessage;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.devp2p.base.HelloMessage;
import org.peermesh.devp2p.rlpx.HandshakePacketReader;
import org.peermesh.devp2p.rlpx.RlpxException;
import org.peermesh.devp2p.rlpx.RlpxFrameCodec;
import org.peermesh.devp2p.rlpx.RlpxHandshake;
import org.peermesh.devp2p.rlpx.RlpxSecrets;
import org.peermesh.devp2p.rlpx.SnappyCodec;
import org.peermesh.net.MalformedInputException;

/**
 * A blocking devp2p peer on a plain socket, built from the pure RLPx classes, for tests that feed our node what a
 * real peer never would and read what it answers. It dials ({@link #connect}, then {@link #handshake} as initiator)
 * or is dialed ({@link #listen}: accept one connection and answer its auth), then sends and reads frames. It keeps
 * no session logic of its own: nothing is answered (not even Ping) unless the test does it, and snappy is on only
 * once the test says so ({@link #setSnappy}), as after an exchange of p2p v5 Hellos.
 *
 * <p>Every read has a deadline and fails the test with an {@link AssertionError} when it passes or when the other
 * side closes first, so a test fails rather than hangs. Not thread-safe: one thread drives a peer.
 */
public final class RawRlpxPeer implements AutoCloseable {

  /** One message as read: its code and its payload (decompressed when snappy is on). */
  public record Frame(int code, byte[] payload) {
  }

  /** How long connecting and the handshake may take: generous, since a failing test is told by its assertions. */
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int CHUNK = 8192;

  private final Socket socket;
  private final InputStream in;
  private final byte[] staticPrivateKey;
  private final SecureRandom random = new SecureRandom();
  /** Frames read from the stream and not yet returned: one read may complete several. */
  private final ArrayDeque<Frame> frames = new ArrayDeque<>();
  /** Bytes read with the handshake packet that belong to the first frames; fed to the codec once it exists. */
  private byte[] pendingAfterHandshake = new byte[0];
  private RlpxFrameCodec codec;
  private byte[] remotePublicKey64;
  private boolean snappy;

  private RawRlpxPeer(Socket socket, byte[] staticPrivateKey32) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.staticPrivateKey = staticPrivateKey32.clone();
  }

  /** Dials {@code host:port} with a fresh static key; the handshake is the test's next step. */
  public static RawRlpxPeer connect(String host, int port) {
    return connect(host, port, randomPrivateKey());
  }

  /** Dials {@code host:port} with {@code staticPrivateKey32} as our identity. */
  public static RawRlpxPeer connect(String host, int port, byte[] staticPrivateKey32) {
    return connect(host, port, staticPrivateKey32, null, 0);
  }

  /**
   * Dials {@code host:port} from {@code localHost} (any 127.x address on loopback, so that a node scoring peers by
   * address judges each test's peer alone; null for the default), with a receive buffer of
   * {@code receiveBufferSize} bytes (0 for the system's), set before connecting so that the window stays small.
   */
  public static RawRlpxPeer connect(String host, int port, byte[] staticPrivateKey32, String localHost,
                                    int receiveBufferSize) {
    Socket socket = new Socket();
    try {
      if (receiveBufferSize > 0) {
        socket.setReceiveBufferSize(receiveBufferSize);
      }
      if (localHost != null) {
        socket.bind(new InetSocketAddress(localHost, 0));
      }
      socket.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
      socket.setTcpNoDelay(true);
      return new RawRlpxPeer(socket, staticPrivateKey32);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Accepts one connection on {@code server} within {@code timeout} and answers its auth as the RLPx recipient, for
   * tests in which our node dials out.
   */
  public static RawRlpxPeer listen(ServerSocket server, byte[] staticPrivateKey32, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Socket socket;
    try {
      server.setSoTimeout(millisLeft(deadline));
      socket = server.accept();
      socket.setTcpNoDelay(true);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no connection within " + timeout, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      RawRlpxPeer peer = new RawRlpxPeer(socket, staticPrivateKey32);
      RlpxHandshake.Accepted accepted =
          RlpxHandshake.responder(staticPrivateKey32, peer.random).onAuth(peer.readHandshakePacket(deadline, "auth"));
      peer.sendBytes(accepted.ackPacket());
      peer.startFraming(accepted.secrets());
      return peer;
    } catch (IOException e) {
      closeQuietly(socket);
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      closeQuietly(socket);
      throw e;
    }
  }

  /** A valid secp256k1 private key from a strong random source. */
  public static byte[] randomPrivateKey() {
    SecureRandom random = new SecureRandom();
    byte[] key = new byte[Secp256k1.PRIVATE_KEY_LENGTH];
    do {
      random.nextBytes(key);
    } while (!Secp256k1.isValidPrivateKey(key));
    return key;
  }

  /** Our static public key, X || Y: the node id the other side sees. */
  public byte[] publicKey64() {
    return Secp256k1.publicKey64(staticPrivateKey);
  }

  /** The other side's static public key, known once the handshake is done. */
  public byte[] remotePublicKey64() {
    return remotePublicKey64.clone();
  }

  /**
   * The initiator's handshake with the node whose key is {@code remotePub64}: sends auth, reads the ack (bytes read
   * past it are the first frames and are kept for {@link #readFrame}), and starts framing.
   *
   * @throws RlpxException if the ack does not open or decode
   */
  public void handshake(byte[] remotePub64) {
    RlpxHandshake.Initiator initiator = RlpxHandshake.initiator(staticPrivateKey, remotePub64, random);
    sendBytes(initiator.firstMessage());
    startFraming(initiator.onAck(readHandshakePacket(System.nanoTime() + TIMEOUT.toNanos(), "ack")));
  }

  /** The local port of the connection: the port the other side sees this peer at. */
  public int localPort() {
    return socket.getLocalPort();
  }

  /**
   * The frame of message {@code code} whose body is {@code body} exactly (never compressed), as the next frame sent:
   * the egress state moves on, so these bytes, possibly altered or cut, are what the test must send next.
   */
  public byte[] encodeFrame(int code, byte[] body) {
    return requireCodec().encode(code, body);
  }

  /** Whether frames sent and read from now on are snappy-compressed (p2p v5 on both sides, after Hello). */
  public void setSnappy(boolean snappy) {
    this.snappy = snappy;
  }

  /** Writes {@code bytes} as they are: garbage, a truncated packet, a frame made by hand. */
  public void sendBytes(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends message {@code code} with {@code payload}, compressed when snappy is on. */
  public void sendFrame(int code, byte[] payload) {
    sendBytes(requireCodec().encode(code, snappy ? SnappyCodec.compress(payload) : payload));
  }

  /** Sends {@code hello}, never compressed: Hello goes before either side knows the other speaks snappy. */
  public void sendHello(HelloMessage hello) {
    sendBytes(requireCodec().encode(HelloMessage.CODE, hello.encode()));
  }

  /**
   * The next message, decompressed when snappy is on.
   *
   * @throws AssertionError if none is complete within {@code timeout}, or the other side closes first
   */
  public Frame readFrame(Duration timeout) {
    Frame frame = readRawFrame(System.nanoTime() + timeout.toNanos());
    return snappy ? new Frame(frame.code(), SnappyCodec.decompress(frame.payload(), SnappyCodec.MAX_DECODED_SIZE))
        : frame;
  }

  /**
   * The reason of the next Disconnect, skipping the frames before it (a Ping, a Hello). Its payload may be the list,
   * a bare integer or an empty list ({@link DisconnectMessage#decode}), and compressed or not when snappy is on:
   * implementations disagree on compressing a Disconnect sent before Hello is done.
   *
   * @throws AssertionError if no Disconnect comes within {@code timeout}, or its code is none devp2p defines
   */
  public Devp2pDisconnectReason readDisconnectReason(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Frame frame;
    do {
      frame = readRawFrame(deadline);
    } while (frame.code() != DisconnectMessage.CODE);
    DisconnectMessage disconnect = decodeDisconnect(frame.payload());
    Optional<Devp2pDisconnectReason> reason = disconnect.reason();
    return reason.orElseThrow(() -> new AssertionError("a Disconnect with " + disconnect));
  }

  /**
   * Whether the other side closes or resets the connection within {@code timeout}; whatever it sends before is read
   * and dropped.
   */
  public boolean awaitClosed(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] chunk = new byte[CHUNK];
    try {
      while (true) {
        socket.setSoTimeout(millisLeft(deadline));
        if (in.read(chunk) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // a reset: what a peer that broke the protocol may get
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private DisconnectMessage decodeDisconnect(byte[] payload) {
    if (snappy) {
      try {
        return DisconnectMessage.decode(SnappyCodec.decompress(payload, SnappyCodec.MAX_DECODED_SIZE));
      } catch (MalformedInputException e) {
        // Not snappy, or not a Disconnect once decompressed: read it as sent.
      }
    }
    return DisconnectMessage.decode(payload);
  }

  private Frame readRawFrame(long deadline) {
    requireCodec();
    while (frames.isEmpty()) {
      byte[] chunk = readChunk(deadline, "frame");
      codec.feed(chunk, (code, payload) -> frames.add(new Frame(code, payload)));
    }
    return frames.poll();
  }

  private byte[] readHandshakePacket(long deadline, String what) {
    HandshakePacketReader reader = new HandshakePacketReader();
    Optional<byte[]> packet = Optional.empty();
    while (packet.isEmpty()) {
      packet = reader.feed(readChunk(deadline, what));
    }
    pendingAfterHandshake = reader.remainder();
    return packet.get();
  }

  private void startFraming(RlpxSecrets secrets) {
    remotePublicKey64 = secrets.remotePublicKey64();
    codec = new RlpxFrameCodec(secrets, RlpxFrameCodec.MAX_FRAME_SIZE);
    codec.feed(pendingAfterHandshake, (code, payload) -> frames.add(new Frame(code, payload)));
    pendingAfterHandshake = new byte[0];
  }

  private byte[] readChunk(long deadline, String what) {
    byte[] chunk = new byte[CHUNK];
    int n;
    try {
      socket.setSoTimeout(millisLeft(deadline));
      n = in.read(chunk);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the " + what + " was not complete before the deadline", e);
    } catch (IOException e) {
      throw new AssertionError("the connection failed before the " + what + " was complete: " + e.getMessage(), e);
    }
    if (n < 0) {
      throw new AssertionError("the other side closed the connection before the " + what + " was complete");
    }
    return Arrays.copyOf(chunk, n);
  }

  private RlpxFrameCodec requireCodec() {
    if (codec == null) {
      throw new IllegalStateException("no RLPx session yet: handshake first");
    }
    return codec;
  }

  /** What is left until {@code deadline}, at least 1 ms: 0 would mean no timeout to a socket. */
  private static int millisLeft(long deadline) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Duration.ofNanos(deadline - System.nanoTime()).toMillis()));
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing a broken socket: nothing left to do
    }
  }
}
