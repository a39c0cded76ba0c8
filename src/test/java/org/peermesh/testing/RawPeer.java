package org.peermesh.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.awaitility.Awaitility;
import org.peermesh.crypto.NodeKey;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.mesh.ProtocolProcedures;
import org.peermesh.mesh.wire.Auth;
import org.peermesh.mesh.wire.Disconnect;
import org.peermesh.mesh.wire.HandshakeTranscript;
import org.peermesh.mesh.wire.Hello;
import org.peermesh.mesh.wire.JsonPayload;
import org.peermesh.mesh.wire.Ping;
import org.peermesh.mesh.wire.Pong;
import org.peermesh.mesh.wire.Request;
import org.peermesh.mesh.wire.Response;
import org.peermesh.mesh.wire.WireCodec;
import org.peermesh.mesh.wire.WireMessage;
import org.peermesh.net.PeerAddress;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A peer that speaks the wire protocol by hand over a plain blocking {@link Socket}, so that a test can send what a
 * real node never would (garbage, oversized length prefixes, wrong signatures, frames out of order, bursts) and see
 * exactly which frames the node sends back. It can dial a node, also from a chosen address of 127.0.0.0/8 (so that a
 * test can ban one IP and keep using another), or {@link #accept accept} a connection a node dials and answer that
 * handshake as the responder.
 *
 * <p>Every blocking read has a socket timeout ({@link #readTimeoutMs}); a read that times out fails the test with an
 * {@link AssertionError} instead of hanging it. Not thread-safe: one test thread drives one raw peer.
 */
public final class RawPeer implements AutoCloseable {

  /** How long one read may block; well under {@link TestNodes#DEADLINE}. */
  public static final int DEFAULT_READ_TIMEOUT_MS = 10_000;
  /** Refuses to buffer frames larger than this from the node; the node never sends such frames. */
  private static final int MAX_INCOMING_FRAME = 64 * 1024 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final NodeKey key;
  private final byte[] nonce = new byte[Hello.NONCE_BYTES];
  private int receiveBufferSize = -1;
  private int readTimeoutMs = DEFAULT_READ_TIMEOUT_MS;
  private String protocolVersion = MeshOptions.DEFAULT_PROTOCOL_VERSION;
  private int listenPort;
  private JsonObject nodeInfo = new JsonObject().put("name", "raw");

  private Socket socket;
  private DataInputStream in;
  private OutputStream out;
  private boolean reading = true;

  /** The node's Hello, once read by {@link #readHello}, {@link #tryHandshake} or {@link #respondHandshake}. */
  private Hello nodeHello;
  private Auth nodeAuth;

  public RawPeer() {
    this(NodeKey.generate());
  }

  /**
   * A raw peer claiming {@code key} as its identity: the node's own key, to provoke SELF_CONNECTION, or the key of an
   * earlier raw peer, to come back as a peer the node banned by its id.
   */
  public RawPeer(NodeKey key) {
    this.key = Objects.requireNonNull(key, "key");
    RANDOM.nextBytes(nonce);
  }

  // ------------------------------------------------------------------------------------------------------ options

  /**
   * SO_RCVBUF for a connection this peer dials, applied before connecting so that the TCP window is small from the
   * first SYN.
   */
  public RawPeer receiveBufferSize(int bytes) {
    requireNotConnected();
    this.receiveBufferSize = bytes;
    return this;
  }

  public RawPeer readTimeoutMs(int millis) {
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

  /** The protocolVersion this peer puts in its Hello; the node's default unless set. */
  public RawPeer protocolVersion(String version) {
    this.protocolVersion = version;
    return this;
  }

  /** The port this peer claims to listen on in its Hello (0, none, unless set): the address a node books. */
  public RawPeer listenPort(int port) {
    this.listenPort = port;
    return this;
  }

  public RawPeer nodeInfo(JsonObject info) {
    this.nodeInfo = info.copy();
    return this;
  }

  public NodeKey key() {
    return key;
  }

  public String peerId() {
    return key.peerId().toString();
  }

  public Hello nodeHello() {
    return nodeHello;
  }

  /** The node's Auth, once a handshake has received and verified it. */
  public Auth nodeAuth() {
    return nodeAuth;
  }

  // ---------------------------------------------------------------------------------------------------- transport

  public RawPeer connect(PeerAddress node) {
    return dial(node, null);
  }

  /** Connects to the node from {@code bindHost} (an address of 127.0.0.0/8) on an ephemeral port. */
  public RawPeer connect(PeerAddress node, String bindHost) {
    return dial(node, Objects.requireNonNull(bindHost, "bindHost"));
  }

  /** {@code bindHost} null lets the system pick the local address. */
  private RawPeer dial(PeerAddress node, String bindHost) {
    requireNotConnected();
    try {
      Socket s = new Socket();
      if (receiveBufferSize > 0) {
        s.setReceiveBufferSize(receiveBufferSize);
      }
      if (bindHost != null) {
        s.bind(new InetSocketAddress(InetAddress.getByName(bindHost), 0));
      }
      s.connect(new InetSocketAddress(node.host(), node.port()), readTimeoutMs);
      attach(s);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to " + node + (bindHost == null ? "" : " from " + bindHost), e);
    }
  }

  /** A listening socket on {@code host}, ephemeral port, for a node to dial; see {@link #accept}. */
  public static ServerSocket listen(String host) {
    try {
      ServerSocket server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 8);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host, e);
    }
  }

  /** Takes the next connection a node dials to {@code server}, waiting at most the read timeout for it. */
  public RawPeer accept(ServerSocket server) {
    requireNotConnected();
    try {
      server.setSoTimeout(readTimeoutMs);
      attach(server.accept());
      return this;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the node did not dial " + server.getLocalSocketAddress() + " within "
          + readTimeoutMs + " ms", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void attach(Socket s) throws IOException {
    // Each send leaves at once, so the node sees frames one by one unless a test sends them together (sendAll).
    s.setTcpNoDelay(true);
    s.setSoTimeout(readTimeoutMs);
    socket = s;
    in = new DataInputStream(s.getInputStream());
    out = s.getOutputStream();
  }

  /** The local port of the connection: the port the node's events about this peer name until it is admitted. */
  public int localPort() {
    requireConnected();
    return socket.getLocalPort();
  }

  public void sendRaw(byte[] bytes) {
    requireConnected();
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + bytes.length + " bytes", e);
    }
  }

  public void send(WireMessage message) {
    sendRaw(WireCodec.encode(message).getBytes());
  }

  /** The messages in one socket write, so that the node receives them as one burst. */
  public void sendAll(List<? extends WireMessage> messages) {
    Buffer burst = Buffer.buffer();
    messages.forEach(m -> WireCodec.encodeTo(m, burst));
    sendRaw(burst.getBytes());
  }

  /** A whole frame, length prefix included, with the given type byte and body bytes. */
  public static byte[] frame(int type, byte[] body) {
    return Buffer.buffer().appendInt(1 + body.length).appendByte((byte) type).appendBytes(body).getBytes();
  }

  /** Never reads again: the node's frames pile up in the (small, see {@link #receiveBufferSize}) TCP window. */
  public void stopReading() {
    reading = false;
  }

  /**
   * The next frame as the node sent it, without its length prefix (type byte, then body).
   *
   * @throws AssertionError if nothing arrives within the read timeout
   * @throws EOFException if the node closed the connection at a frame boundary or inside a frame
   */
  public Buffer readFrame() throws IOException {
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
  public WireMessage readMessage() throws IOException {
    return WireCodec.decode(readFrame());
  }

  /** The next frame that is not a Ping (each Ping is answered with its Pong) nor a stray Pong. */
  public WireMessage readSkippingPings() throws IOException {
    while (true) {
      WireMessage message = readMessage();
      if (message instanceof Ping ping) {
        send(new Pong(ping.payload()));
      } else if (!(message instanceof Pong)) {
        return message;
      }
    }
  }

  /**
   * The next frame that is not a Ping, a Pong or a getPeers request; a getPeers request (which a node sends every
   * outbound peer it connects) is answered with an empty peer list, as from a peer that knows no one.
   */
  public WireMessage readServingGetPeers() throws IOException {
    while (true) {
      WireMessage message = readSkippingPings();
      if (message instanceof Request request && ProtocolProcedures.GET_PEERS.equals(request.procedure())) {
        send(Response.success(request.id(), JsonPayload.of(new JsonObject().put("peers", new JsonArray()))));
      } else {
        return message;
      }
    }
  }

  /** Answers Pings with Pongs until {@code pings} Pings were answered; fails on anything but Ping and Pong. */
  public int answerPings(int pings) throws IOException {
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

  /**
   * Reads until the node's Disconnect, skipping the Hello, Auth, Ping and Pong frames a node may send before it
   * (a refusal after accept comes after the node's own Hello), and returns it. Any other frame fails the test.
   */
  public Disconnect expectDisconnect() throws IOException {
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

  /**
   * Waits until the node has reset the connection, without reading what it sent: writes fail once the reset has
   * arrived. A node that only closed gracefully, waiting for its queued bytes to be read first, never gets there.
   */
  public void awaitReset() {
    requireConnected();
    Awaitility.await().atMost(TestNodes.DEADLINE).until(() -> {
      try {
        out.write(WireCodec.encode(new Ping(0)).getBytes());
        out.flush();
        return false;
      } catch (IOException reset) {
        return true;
      }
    });
  }

  /** Asserts that the node closes the connection with nothing more to read (EOF, or a reset). */
  public void expectClosed() throws IOException {
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

  /** Sends this peer's Hello with the given network id and the configured protocol version and listen port. */
  public void sendHello(String networkId) {
    send(new Hello(networkId, protocolVersion, key.publicKey(), nonce, listenPort));
  }

  /** Reads the node's Hello, which is the first frame it sends on any connection, accepted or dialed. */
  public Hello readHello() throws IOException {
    WireMessage message = readMessage();
    if (!(message instanceof Hello hello)) {
      throw new AssertionError("expected the node's Hello, got " + message);
    }
    nodeHello = hello;
    return hello;
  }

  /** Sends the Auth answering the node's Hello, validly signed. */
  public void sendAuth(String networkId) {
    if (nodeHello == null) {
      throw new IllegalStateException("read the node's Hello first");
    }
    byte[] challenge = HandshakeTranscript.challengeHash(networkId, nodeHello.nonce(), nonce, key.publicKey(),
        nodeHello.publicKey());
    send(new Auth(key.sign(challenge), JsonPayload.of(nodeInfo)));
  }

  /**
   * As the dialer: Hello, the node's Hello, Auth, the node's Auth; verifies the node's signature over our nonce.
   * Returns the node's Disconnect instead if the node refuses us, or null once the node's Auth has arrived and
   * verified. The node may still refuse us after that (admission happens when it verifies our Auth, after its own
   * Auth is sent), so a test that needs the peer connected waits for the node to list it.
   */
  public Disconnect tryHandshake(String networkId) throws IOException {
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
        verifyNodeAuth(networkId, auth);
        return null;
      } else {
        throw new AssertionError("unexpected " + message + " during the handshake");
      }
    }
  }

  /** A handshake as the dialer that must succeed (on the raw side: the node's Auth arrived and verified). */
  public RawPeer handshake(String networkId) throws IOException {
    Disconnect refusal = tryHandshake(networkId);
    if (refusal != null) {
      throw new AssertionError("the node refused the handshake: " + refusal);
    }
    return this;
  }

  /** As the dialed side: the node's Hello comes first; we answer Hello and Auth, then verify the node's Auth. */
  public RawPeer respondHandshake(String networkId) throws IOException {
    readHello();
    sendHello(networkId);
    sendAuth(networkId);
    WireMessage message = readMessage();
    if (!(message instanceof Auth auth)) {
      throw new AssertionError("expected the dialing node's Auth, got " + message);
    }
    verifyNodeAuth(networkId, auth);
    return this;
  }

  private void verifyNodeAuth(String networkId, Auth auth) {
    byte[] challenge = HandshakeTranscript.challengeHash(networkId, nonce, nodeHello.nonce(), nodeHello.publicKey(),
        key.publicKey());
    if (!Secp256k1.verify(nodeHello.publicKey(), challenge, auth.signature())) {
      throw new AssertionError("the node's Auth signature does not verify");
    }
    nodeAuth = auth;
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
