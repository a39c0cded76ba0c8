package org.peermesh.antelope.peer;

import io.vertx.core.buffer.Buffer;
import org.peermesh.antelope.crypto.AntelopePrivateKey;
import org.peermesh.antelope.crypto.AntelopePublicKey;
import org.peermesh.antelope.crypto.AntelopeSignature;
import org.peermesh.antelope.wire.AntelopeFrameDecoder;
import org.peermesh.antelope.wire.AntelopeMessage;
import org.peermesh.antelope.wire.AntelopeMessages;
import org.peermesh.antelope.wire.Checksum256;
import org.peermesh.antelope.wire.GoAwayMessage;
import org.peermesh.antelope.wire.HandshakeMessage;
import org.peermesh.antelope.wire.TimeMessage;
import org.peermesh.net.PeerAddress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * An Antelope peer driven by hand over a plain blocking socket: what a hostile or broken peer sends (raw bytes, or
 * messages framed by {@link AntelopeMessages#encode}), and every frame the node answers, decoded with its payload so
 * that a test can check the wire form (a go_away's 4-byte reason) as well as the message.
 *
 * <p>It owns its socket rather than a {@code RawSocket} because its tests need what the node sent <em>before</em> it
 * closed (the go_away) and whether the close was a FIN or a reset, which RawSocket's reads turn into failures. Every
 * read has a deadline, so a test fails rather than hangs. Not thread-safe: one test thread drives one raw peer.
 */
final class RawAntelopePeer implements AutoCloseable {

  /** Leap 3.1-5's network_version: what PeerMesh advertises, and keeps Spring's newer messages away. */
  static final int NETWORK_VERSION = 0x04bc;
  private static final int READ_DEADLINE_MS = 20_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** How the node ended the connection, as the socket saw it. */
  enum Ending {
    /** An orderly close (FIN), after whatever the node had to say. */
    CLOSED,
    /** A reset: what a peer that broke the protocol gets where the protocol has no last words. */
    RESET
  }

  /** A frame the node sent: the message and its payload (variant index and fields), as they came. */
  record Frame(AntelopeMessage message, Buffer payload) {
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final AntelopeFrameDecoder decoder = new AntelopeFrameDecoder(AntelopeFrameDecoder.MAX_MESSAGE_SIZE);
  private final Deque<Frame> received = new ArrayDeque<>();

  /** A peer connecting from {@code localHost}: any 127.x address is this machine, and another IP to the node. */
  RawAntelopePeer(PeerAddress node, String localHost) {
    this(node, localHost, 0);
  }

  /**
   * @param receiveBufferSize the socket's receive buffer, set before connecting so that the window it advertises
   *     stays that small (a peer that reads little at a time); 0: the system's
   */
  RawAntelopePeer(PeerAddress node, String localHost, int receiveBufferSize) {
    try {
      socket = new Socket();
      if (receiveBufferSize > 0) {
        socket.setReceiveBufferSize(receiveBufferSize);
      }
      socket.setTcpNoDelay(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(localHost), 0));
      socket.connect(new InetSocketAddress(node.host(), node.port()), READ_DEADLINE_MS);
      socket.setSoTimeout(READ_DEADLINE_MS);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to " + node + " from " + localHost, e);
    }
  }

  /** The name the node gives this peer: the address it sees us at. */
  String peerName() {
    return new PeerAddress(socket.getLocalAddress().getHostAddress(), socket.getLocalPort()).toString();
  }

  // ---------------------------------------------------------------------------------------------------- writing

  /** A message's whole frame: the u32 length, the variant index, the fields. */
  static byte[] frame(AntelopeMessage message) {
    Buffer frame = Buffer.buffer();
    AntelopeMessages.encode(message, frame);
    return frame.getBytes();
  }

  /** The messages in one socket write, so that the node receives them as one burst. */
  void send(AntelopeMessage... messages) {
    Buffer burst = Buffer.buffer();
    for (AntelopeMessage message : messages) {
      AntelopeMessages.encode(message, burst);
    }
    write(burst.getBytes());
  }

  void write(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + bytes.length + " bytes", e);
    }
  }

  // ---------------------------------------------------------------------------------------------------- reading

  /** The next frame the node sends; fails the test if the node closes first or says nothing within the deadline. */
  Frame nextFrame() {
    while (received.isEmpty()) {
      byte[] chunk = new byte[8192];
      int n = readInto(chunk);
      if (n < 0) {
        throw new AssertionError("the node closed the connection");
      }
      feed(chunk, n);
    }
    return received.poll();
  }

  /** The next message of {@code type}, skipping others (the node's time pings may come at any moment). */
  <T extends AntelopeMessage> T next(Class<T> type) {
    while (true) {
      AntelopeMessage message = nextFrame().message();
      if (type.isInstance(message)) {
        return type.cast(message);
      }
    }
  }

  /**
   * Reads at most {@code maxBytes} and decodes what they complete: a slow reader's step. Returns the frames completed,
   * in order (none when the bytes only continue a frame).
   */
  List<Frame> readSome(int maxBytes) {
    byte[] chunk = new byte[maxBytes];
    int n = readInto(chunk);
    if (n < 0) {
      throw new AssertionError("the node closed the connection");
    }
    feed(chunk, n);
    List<Frame> frames = new ArrayList<>(received);
    received.clear();
    return frames;
  }

  /**
   * Reads until the node ends the connection, decoding every frame it sent before; fails the test if the node does
   * not end it within the deadline.
   */
  Ended readUntilEnded() {
    List<Frame> frames = new ArrayList<>(received);
    received.clear();
    byte[] chunk = new byte[8192];
    while (true) {
      int n;
      try {
        n = in.read(chunk);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the node did not end the connection within " + READ_DEADLINE_MS + " ms", e);
      } catch (SocketException e) {
        return new Ended(Ending.RESET, frames);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (n < 0) {
        return new Ended(Ending.CLOSED, frames);
      }
      feed(chunk, n);
      frames.addAll(received);
      received.clear();
    }
  }

  /** How the node ended a connection, and the frames it sent before. */
  record Ended(Ending ending, List<Frame> frames) {

    /** The go_away among the frames, if the node sent one. */
    Optional<Frame> goAway() {
      return frames.stream().filter(frame -> frame.message() instanceof GoAwayMessage).findFirst();
    }
  }

  /** True once the node has closed or reset the connection, dropping what it sent before; false after the deadline. */
  boolean closedByNode() {
    try {
      readUntilEnded();
      return true;
    } catch (AssertionError deadline) {
      return false;
    }
  }

  private int readInto(byte[] chunk) {
    try {
      return in.read(chunk);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void feed(byte[] chunk, int length) {
    decoder.feed(Buffer.buffer().appendBytes(chunk, 0, length),
        payload -> received.add(new Frame(AntelopeMessages.decode(payload), payload)));
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // -------------------------------------------------------------------------------------------------- handshakes

  /** A node_id of our own: nodeos draws one per start, 32 random bytes. */
  static Checksum256 randomNodeId() {
    byte[] id = new byte[Checksum256.LENGTH];
    RANDOM.nextBytes(id);
    return Checksum256.of(id);
  }

  /**
   * Sends a ping (no origin, a transmit time) and reads until its answer, which carries our transmit time as its
   * origin: the node still serves this peer.
   */
  void assertAnswersPing() {
    long xmt = 1_700_000_000_123_456_789L;
    send(new TimeMessage(0, 0, xmt, 0));
    while (next(TimeMessage.class).org() != xmt) {
      // the node's own pings may come first
    }
  }

  /** Sends {@code ours} and returns the node's handshake, which it sends once it has accepted ours. */
  HandshakeMessage handshake(HandshakeMessage ours) {
    send(ours);
    return next(HandshakeMessage.class);
  }

  /**
   * A handshake_message as a well-behaved peer builds it, to change one field at a time: a fresh node_id, head and
   * last irreversible block 0, signed with a fresh key over {@code token = sha256(int64 LE of time)}.
   */
  static final class Handshake {

    private Checksum256 chainId;
    private Checksum256 nodeId = randomNodeId();
    private AntelopePrivateKey key = AntelopePrivateKey.generate();
    private long time = System.currentTimeMillis() * 1_000_000L;
    private boolean signed = true;
    private Checksum256 token;
    private AntelopeSignature signature;
    private long lastIrreversibleBlockNum;
    private long headNum;

    Handshake(String chainId) {
      this.chainId = Checksum256.fromHex(chainId);
    }

    Handshake chainId(String hex) {
      this.chainId = Checksum256.fromHex(hex);
      return this;
    }

    Handshake nodeId(Checksum256 nodeId) {
      this.nodeId = nodeId;
      return this;
    }

    /** Neither key, token nor signature: all zero, as an unsigned peer sends them. */
    Handshake unsigned() {
      this.signed = false;
      return this;
    }

    /** A token other than sha256 of the time (here: of the time plus one); the signature is over it. */
    Handshake tokenNotOfTime() {
      this.token = AntelopeHandshaker.tokenOf(time + 1);
      return this;
    }

    /** The signature this one is replaced with; the key and token stay. */
    Handshake signature(AntelopeSignature signature) {
      this.signature = signature;
      return this;
    }

    Handshake blocks(long lastIrreversibleBlockNum, long headNum) {
      this.lastIrreversibleBlockNum = lastIrreversibleBlockNum;
      this.headNum = headNum;
      return this;
    }

    Checksum256 token() {
      return token != null ? token : AntelopeHandshaker.tokenOf(time);
    }

    AntelopePrivateKey key() {
      return key;
    }

    HandshakeMessage build() {
      AntelopePublicKey publicKey = signed ? key.publicKey() : AntelopePublicKey.ZERO_K1;
      Checksum256 sentToken = signed ? token() : Checksum256.ZERO;
      AntelopeSignature sig = !signed ? AntelopeSignature.ZERO_K1
          : signature != null ? signature : key.signDigest(sentToken.bytes());
      return new HandshakeMessage(NETWORK_VERSION, chainId, nodeId, publicKey, time, sentToken, sig,
          "127.0.0.1:9876 - " + nodeId.toHex().substring(0, 7), lastIrreversibleBlockNum, Checksum256.ZERO, headNum,
          Checksum256.ZERO, "linux", "raw-antelope-test", 1);
    }
  }
}
