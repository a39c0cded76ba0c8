package org.peermesh.reputation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.peermesh.crypto.NodeKey;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.node.NodeOptions;
import org.peermesh.node.PeerAddress;
import org.peermesh.peer.ProtocolProcedures;
import org.peermesh.wire.Auth;
import org.peermesh.wire.Disconnect;
import org.peermesh.wire.HandshakeTranscript;
import org.peermesh.wire.Hello;
import org.peermesh.wire.JsonPayload;
import org.peermesh.wire.Ping;
import org.peermesh.wire.Pong;
import org.peermesh.wire.Request;
import org.peermesh.wire.Response;
import org.peermesh.wire.WireCodec;
import org.peermesh.wire.WireMessage;

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

/**
 * A hand-driven peer speaking the wire protocol over a blocking socket, for the reputation tests (the raw peer of
 * {@code org.peermesh.peer} is package-private there). Unlike that one it can
 * <ul>
 *   <li>connect <em>from</em> a chosen loopback address ({@link #connect(PeerAddress, String)}), so that a test can
 *       ban one IP of 127.0.0.0/8 and keep using another, and</li>
 *   <li>{@link #accept accept} a connection the node dials, completing the handshake as the responder.</li>
 * </ul>
 * Every read has a socket timeout; a read that times out fails the test instead of hanging it. Not thread-safe:
 * one test thread drives one raw peer.
 */
final class RawWirePeer implements AutoCloseable {

  static final int READ_TIMEOUT_MS = 10_000;
  private static final int MAX_INCOMING_FRAME = 64 * 1024 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final NodeKey key;
  private final byte[] nonce = new byte[Hello.NONCE_BYTES];
  private int listenPort;
  private JsonObject nodeInfo = new JsonObject().put("name", "raw");

  private Socket socket;
  private DataInputStream in;
  private OutputStream out;
  private Hello nodeHello;

  RawWirePeer() {
    this(NodeKey.generate());
  }

  /** A raw peer with this identity: a second connection of a peer that was banned by its id, say. */
  RawWirePeer(NodeKey key) {
    this.key = key;
    RANDOM.nextBytes(nonce);
  }

  NodeKey key() {
    return key;
  }

  /** The port this peer claims to listen on in its Hello (0, none, unless set): the address a node books. */
  RawWirePeer listenPort(int port) {
    this.listenPort = port;
    return this;
  }

  RawWirePeer nodeInfo(JsonObject info) {
    this.nodeInfo = info.copy();
    return this;
  }

  String peerId() {
    return key.peerId().toString();
  }

  // ---------------------------------------------------------------------------------------------------- transport

  /** Connects to the node from {@code bindHost} (an address of 127.0.0.0/8) on an ephemeral port. */
  RawWirePeer connect(PeerAddress node, String bindHost) {
    requireNotConnected();
    try {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      s.setSoTimeout(READ_TIMEOUT_MS);
      s.bind(new InetSocketAddress(InetAddress.getByName(bindHost), 0));
      s.connect(new InetSocketAddress(node.host(), node.port()), READ_TIMEOUT_MS);
      attach(s);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to " + node + " from " + bindHost, e);
    }
  }

  /** A listening socket on {@code host}, ephemeral port, for a node to dial. */
  static ServerSocket listen(String host) {
    try {
      ServerSocket server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 8);
      server.setSoTimeout(READ_TIMEOUT_MS);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host, e);
    }
  }

  /** Takes the next connection a node dials to {@code server}. */
  RawWirePeer accept(ServerSocket server) {
    requireNotConnected();
    try {
      Socket s = server.accept();
      s.setTcpNoDelay(true);
      s.setSoTimeout(READ_TIMEOUT_MS);
      attach(s);
      return this;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the node did not dial " + server.getLocalSocketAddress() + " within "
          + READ_TIMEOUT_MS + " ms", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void attach(Socket s) throws IOException {
    socket = s;
    in = new DataInputStream(s.getInputStream());
    out = s.getOutputStream();
  }

  /** The local port of the connection: what the node's events name before the peer is admitted. */
  int localPort() {
    return socket.getLocalPort();
  }

  void sendRaw(byte[] bytes) {
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

  /** The messages in one socket write, so that the node receives them as one burst. */
  void sendAll(List<? extends WireMessage> messages) {
    Buffer burst = Buffer.buffer();
    messages.forEach(m -> WireCodec.encodeTo(m, burst));
    sendRaw(burst.getBytes());
  }

  /** A whole frame, length prefix included, with the given type byte and body bytes. */
  static byte[] frame(int type, byte[] body) {
    return Buffer.buffer().appendInt(1 + body.length).appendByte((byte) type).appendBytes(body).getBytes();
  }

  WireMessage readMessage() throws IOException {
    try {
      long length = Integer.toUnsignedLong(in.readInt());
      if (length == 0 || length > MAX_INCOMING_FRAME) {
        throw new AssertionError("the node sent a frame length of " + length);
      }
      byte[] frame = new byte[(int) length];
      in.readFully(frame);
      return WireCodec.decode(Buffer.buffer(frame));
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no frame from the node within " + READ_TIMEOUT_MS + " ms", e);
    }
  }

  /** The next frame that is not a Ping (each answered with its Pong) nor a Pong. */
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

  /**
   * The next frame that is not a Ping, a Pong or a getPeers request; a getPeers request (which a node sends every
   * outbound peer it connects) is answered with an empty peer list, as from a peer that knows no one.
   */
  WireMessage readServingGetPeers() throws IOException {
    while (true) {
      WireMessage message = readSkippingPings();
      if (message instanceof Request request && ProtocolProcedures.GET_PEERS.equals(request.procedure())) {
        send(Response.success(request.id(), JsonPayload.of(new JsonObject().put("peers", new JsonArray()))));
      } else {
        return message;
      }
    }
  }

  /** Reads up to the node's Disconnect, skipping handshake frames, Pings and Pongs; anything else fails. */
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
      if (message instanceof Hello || message instanceof Auth || message instanceof Ping
          || message instanceof Pong) {
        skipped.add(message.getClass().getSimpleName());
        continue;
      }
      throw new AssertionError("expected a Disconnect, got " + message + " (after " + skipped + ")");
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

  /**
   * As the dialer: Hello, the node's Hello, Auth, the node's Auth (verified). Returns the node's Disconnect if it
   * sends one instead, else null. The node admits (or refuses) this peer only when it has checked our Auth, after
   * its own Auth is sent.
   */
  Disconnect tryHandshake(String networkId) throws IOException {
    send(hello(networkId));
    boolean authSent = false;
    while (true) {
      WireMessage message = readMessage();
      if (message instanceof Disconnect disconnect) {
        return disconnect;
      }
      if (message instanceof Hello hello && nodeHello == null) {
        nodeHello = hello;
        send(auth(networkId));
        authSent = true;
      } else if (message instanceof Auth auth && authSent) {
        verifyNodeAuth(networkId, auth);
        return null;
      } else {
        throw new AssertionError("unexpected " + message + " during the handshake");
      }
    }
  }

  RawWirePeer handshake(String networkId) throws IOException {
    Disconnect refusal = tryHandshake(networkId);
    if (refusal != null) {
      throw new AssertionError("the node refused the handshake: " + refusal);
    }
    return this;
  }

  /** As the dialed side: the node's Hello comes first; we answer Hello and Auth, then verify the node's Auth. */
  RawWirePeer respondHandshake(String networkId) throws IOException {
    WireMessage first = readMessage();
    if (!(first instanceof Hello hello)) {
      throw new AssertionError("expected the dialing node's Hello, got " + first);
    }
    nodeHello = hello;
    send(hello(networkId));
    send(auth(networkId));
    WireMessage second = readMessage();
    if (!(second instanceof Auth auth)) {
      throw new AssertionError("expected the dialing node's Auth, got " + second);
    }
    verifyNodeAuth(networkId, auth);
    return this;
  }

  private Hello hello(String networkId) {
    return new Hello(networkId, NodeOptions.DEFAULT_PROTOCOL_VERSION, key.publicKey(), nonce, listenPort);
  }

  private Auth auth(String networkId) {
    byte[] challenge = HandshakeTranscript.challengeHash(networkId, nodeHello.nonce(), nonce, key.publicKey(),
        nodeHello.publicKey());
    return new Auth(key.sign(challenge), JsonPayload.of(nodeInfo));
  }

  private void verifyNodeAuth(String networkId, Auth auth) {
    byte[] challenge = HandshakeTranscript.challengeHash(networkId, nonce, nodeHello.nonce(), nodeHello.publicKey(),
        key.publicKey());
    if (!Secp256k1.verify(nodeHello.publicKey(), challenge, auth.signature())) {
      throw new AssertionError("the node's Auth signature does not verify");
    }
  }

  private void requireNotConnected() {
    if (socket != null) {
      throw new IllegalStateException("already connected");
    }
  }
}
