package org.peermesh.peer;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.peermesh.crypto.NodeKey;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerAddress;
import org.peermesh.wire.Auth;
import org.peermesh.wire.Disconnect;
import org.peermesh.wire.HandshakeTranscript;
import org.peermesh.wire.Hello;
import org.peermesh.wire.JsonPayload;
import org.peermesh.wire.Ping;
import org.peermesh.wire.Pong;
import org.peermesh.wire.WireCodec;
import org.peermesh.wire.WireMessage;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A peer that speaks the wire protocol by hand over a plain blocking {@link Socket}, so that a test can send what a
 * real node never would (garbage, oversized length prefixes, wrong signatures, frames out of order) and see exactly
 * which frames the node sends back.
 *
 * <p>Every blocking read has a socket timeout ({@link #readTimeoutMs}); a read that times out fails the test with an
 * {@link AssertionError} instead of hanging it. Not thread-safe: one test thread drives one raw peer.
 */
final class RawPeer implements AutoCloseable {

  /** How long one read may block; well under {@code TestNodes.DEADLINE}. */
  static final int DEFAULT_READ_TIMEOUT_MS = 10_000;
  /** Refuses to buffer frames larger than this from the node; the node never sends such frames. */
  private static final int MAX_INCOMING_FRAME = 64 * 1024 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final NodeKey key;
  private final byte[] nonce = new byte[Hello.NONCE_BYTES];
  private int receiveBufferSize = -1;
  private int readTimeoutMs = DEFAULT_READ_TIMEOUT_MS;
  private String protocolVersion = NodeOptions.DEFAULT_PROTOCOL_VERSION;
  private boolean badSignature;
  private JsonObject nodeInfo = new JsonObject().put("name", "raw");

  private Socket socket;
  private DataInputStream in;
  private OutputStream out;
  private boolean reading = true;

  /** The node's Hello, once read by {@link #readHello} or {@link #handshake}. */
  private Hello nodeHello;
  private Auth nodeAuth;

  RawPeer() {
    this(NodeKey.generate());
  }

  /** A raw peer claiming {@code key} as its identity (e.g. the node's own key, to provoke SELF_CONNECTION). */
  RawPeer(NodeKey key) {
    this.key = Objects.requireNonNull(key, "key");
    RANDOM.nextBytes(nonce);
  }

  // ------------------------------------------------------------------------------------------------------ options

  /** SO_RCVBUF for the socket, applied before connecting so that the TCP window is small from the first SYN. */
  RawPeer receiveBufferSize(int bytes) {
    requireNotConnected();
    this.receiveBufferSize = bytes;
    return this;
  }

  RawPeer readTimeoutMs(int millis) {
    this.readTimeoutMs = millis;
    if (socket != null) {
      try {
        socket.setSoTimeout(millis);
      } catch (SocketException e) {
        throw new UncheckedIOException(e);
      }
    }
    return this;
  }

  /** The protocolVersion this peer puts in its Hello; "1.0" unless set. */
  RawPeer protocolVersion(String version) {
    this.protocolVersion = version;
    return this;
  }

  /** Makes {@link #sendAuth} sign a challenge that is not the one the node expects (a well-formed, wrong signature). */
  RawPeer badSignature() {
    this.badSignature = true;
    return this;
  }

  RawPeer nodeInfo(JsonObject info) {
    this.nodeInfo = info.copy();
    return this;
  }

  String peerId() {
    return key.peerId().toString();
  }

  Hello nodeHello() {
    return nodeHello;
  }

  Auth nodeAuth() {
    return nodeAuth;
  }

  // ---------------------------------------------------------------------------------------------------- transport

  RawPeer connect(PeerAddress address) {
    requireNotConnected();
    try {
      Socket s = new Socket();
      if (receiveBufferSize > 0) {
        s.setReceiveBufferSize(receiveBufferSize);
      }
      s.setTcpNoDelay(true);
      s.setSoTimeout(readTimeoutMs);
      s.connect(new InetSocketAddress(address.host(), address.port()), readTimeoutMs);
      socket = s;
      in = new DataInputStream(s.getInputStream());
      out = s.getOutputStream();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to " + address, e);
    }
  }

  void sendRaw(byte[] bytes) {
    requireConnected();
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + bytes.length + " bytes", e);
    }
  }

  void send(WireMessage message) {
    sendRaw(WireCodec.encode(message).getBytes());
  }

  /** Never reads again: the node's frames pile up in the (small, see {@link #receiveBufferSize}) TCP window. */
  void stopReading() {
    reading = false;
  }

  /**
   * The next frame as the node sent it, without its length prefix (type byte, then body).
   *
   * @throws AssertionError if nothing arrives within the read timeout
   * @throws EOFException if the node closed the connection at a frame boundary or inside a frame
   */
  Buffer readFrame() throws IOException {
    requireConnected();
    if (!reading) {
      throw new IllegalStateException("stopReading() was called");
    }
    try {
      long length = Integer.toUnsignedLong(in.readInt());
      if (length == 0 || length > MAX_INCOMING_FRAME) {
        throw new AssertionError("the node sent a frame length of " + length);
      }
      byte[] frame = new byte[(int) length];
      in.readFully(frame);
      return Buffer.buffer(frame);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no frame from the node within " + readTimeoutMs + " ms", e);
    }
  }

  /** The next frame, decoded. */
  WireMessage readMessage() throws IOException {
    return WireCodec.decode(readFrame());
  }

  /**
   * Reads until the node's Disconnect, skipping the Hello, Auth, Ping and Pong frames a node may send before it
   * (a refusal after accept comes after the node's own Hello), and returns it. Any other frame fails the test.
   */
  Disconnect expectDisconnect() throws IOException {
    List<String> skipped = new ArrayList<>();
    while (true) {
      WireMessage message;
      try {
        message = readMessage();
      } catch (EOFException | SocketException e) {
        throw new AssertionError("the connection ended without a Disconnect frame (after " + skipped + ")", e);
      }
      if (message instanceof Disconnect disconnect) {
        return disconnect;
      }
      if (message instanceof Hello || message instanceof Auth || message instanceof Ping || message instanceof Pong) {
        skipped.add(message.getClass().getSimpleName());
        continue;
      }
      throw new AssertionError("expected a Disconnect, got " + message + " (after " + skipped + ")");
    }
  }

  /** Asserts that the node closes the connection with nothing more to read (EOF, or a reset). */
  void expectClosed() throws IOException {
    requireConnected();
    try {
      int b = in.read();
      if (b >= 0) {
        throw new AssertionError("expected the connection to be closed, but the node sent more bytes");
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the node did not close the connection within " + readTimeoutMs + " ms", e);
    } catch (SocketException reset) {
      // A reset is a close, too.
    }
  }

  /** The local port of the connection: the port the node's events about this peer name until it is admitted. */
  int localPort() {
    requireConnected();
    return socket.getLocalPort();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------- handshake

  /** Sends this peer's Hello with the given network id and the configured protocol version. */
  void sendHello(String networkId) {
    send(new Hello(networkId, protocolVersion, key.publicKey(), nonce, 0));
  }

  /** Reads the node's Hello, which is the first frame it sends on an accepted connection. */
  Hello readHello() throws IOException {
    WireMessage message = readMessage();
    if (!(message instanceof Hello hello)) {
      throw new AssertionError("expected the node's Hello, got " + message);
    }
    nodeHello = hello;
    return hello;
  }

  /** Sends the Auth answering the node's Hello: a valid signature unless {@link #badSignature} was set. */
  void sendAuth(String networkId) {
    if (nodeHello == null) {
      throw new IllegalStateException("read the node's Hello first");
    }
    byte[] nodeNonce = nodeHello.nonce();
    if (badSignature) {
      // A real signature by this key, but over another nonce: well-formed, and wrong.
      nodeNonce = nodeNonce.clone();
      nodeNonce[0] ^= 1;
    }
    byte[] challenge = HandshakeTranscript.challengeHash(networkId, nodeNonce, nonce, key.publicKey(),
        nodeHello.publicKey());
    send(new Auth(key.sign(challenge), JsonPayload.of(nodeInfo)));
  }

  /**
   * Hello, the node's Hello, Auth, the node's Auth; verifies the node's signature over our nonce. Returns the
   * node's Disconnect instead if the node refuses us, or null once the node's Auth has arrived and verified. The
   * node may still refuse us after that (admission happens when it verifies our Auth), so a test that needs the
   * peer connected waits for the node to list it.
   */
  Disconnect tryHandshake(String networkId) throws IOException {
    sendHello(networkId);
    boolean authSent = false;
    while (true) {
      WireMessage message = readMessage();
      if (message instanceof Disconnect disconnect) {
        return disconnect;
      }
      if (message instanceof Hello hello && nodeHello == null) {
        nodeHello = hello;
        sendAuth(networkId);
        authSent = true;
      } else if (message instanceof Auth auth && authSent) {
        byte[] challenge = HandshakeTranscript.challengeHash(networkId, nonce, nodeHello.nonce(),
            nodeHello.publicKey(), key.publicKey());
        if (!Secp256k1.verify(nodeHello.publicKey(), challenge, auth.signature())) {
          throw new AssertionError("the node's Auth signature does not verify");
        }
        nodeAuth = auth;
        return null;
      } else {
        throw new AssertionError("unexpected " + message + " during the handshake");
      }
    }
  }

  /** A handshake that must succeed (on the raw side: the node's Auth arrived and verified). */
  RawPeer handshake(String networkId) throws IOException {
    Disconnect refusal = tryHandshake(networkId);
    if (refusal != null) {
      throw new AssertionError("the node refused the handshake: " + refusal);
    }
    return this;
  }

  // ------------------------------------------------------------------------------------------------ frame helpers

  /** A whole frame, length prefix included, with the given type byte and body bytes. */
  static byte[] frame(int type, byte[] body) {
    Buffer frame = Buffer.buffer().appendInt(1 + body.length).appendByte((byte) type).appendBytes(body);
    return frame.getBytes();
  }

  /** The next frame that is not a Ping (each Ping is answered with its Pong) nor a stray Pong. */
  WireMessage readSkippingPings() throws IOException {
    while (true) {
      WireMessage message = readMessage();
      if (message instanceof Ping ping) {
        send(new Pong(ping.payload()));
      } else if (!(message instanceof Pong)) {
        return message;
      }
    }
  }

  /** Answers Pings with Pongs until {@code pings} Pings were answered; fails on anything but Ping and Pong. */
  int answerPings(int pings) throws IOException {
    int answered = 0;
    while (answered < pings) {
      WireMessage message = readMessage();
      if (message instanceof Ping ping) {
        send(new Pong(ping.payload()));
        answered++;
      } else if (!(message instanceof Pong)) {
        throw new AssertionError("expected only Pings while answering them, got " + message + " after " + answered);
      }
    }
    return answered;
  }

  private void requireConnected() {
    if (socket == null) {
      throw new IllegalStateException("not connected");
    }
  }

  private void requireNotConnected() {
    if (socket != null) {
      throw new IllegalStateException("already connected");
    }
  }
}
