package org.peermesh.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.peermesh.crypto.NodeKey;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.mesh.MeshOptions;
import org.peermesh.mesh.ProtocolProcedures;
import org.peermesh.mesh.wire.AppMessage;
import org.peermesh.mesh.wire.Auth;
import org.peermesh.mesh.wire.Disconnect;
import org.peermesh.mesh.wire.FrameDecoder;
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

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A remote peer reduced to the wire protocol on one Vert.x socket: it proves its key in the signed handshake,
 * answers Pings and the node's own procedures (getPeers, getNodeInfo), echoes every other request's data back and
 * hands application messages to a handler. Thousands of them fit in one JVM where full nodes would not, so scenarios
 * use them as the many peers of the node they measure.
 */
public final class LightPeer {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final JsonPayload NODE_INFO = JsonPayload.of(new JsonObject().put("name", "light"));
  private static final JsonPayload NO_PEERS = JsonPayload.of(new JsonObject().put("peers", new JsonArray()));

  private final String networkId;
  private final NodeKey key = NodeKey.generate();
  private final String peerId = key.peerId().toString();
  private final byte[] nonce = new byte[Hello.NONCE_BYTES];
  private final FrameDecoder decoder = new FrameDecoder(MeshOptions.DEFAULT_MAX_MESSAGE_SIZE);
  private final Promise<Void> handshake = Promise.promise();
  private final AtomicLong requestsAnswered = new AtomicLong();
  private volatile Consumer<AppMessage> messageHandler = message -> { };
  private NetSocket socket;
  private Hello nodeHello;
  private volatile boolean closed;
  private volatile String ending;

  public LightPeer(String networkId) {
    this.networkId = networkId;
    RANDOM.nextBytes(nonce);
  }

  public String peerId() {
    return peerId;
  }

  /** Called on the socket's event loop for every application message, after the handshake. */
  public LightPeer onMessage(Consumer<AppMessage> handler) {
    this.messageHandler = handler;
    return this;
  }

  public long requestsAnswered() {
    return requestsAnswered.get();
  }

  public boolean isClosed() {
    return closed;
  }

  /**
   * Connects and completes once both sides have proven their keys; fails with the node's reason otherwise.
   *
   * <p>It connects from the caller's context, or from {@code context} when called off any: from another thread, the
   * connection can complete before the callback that sets the socket's handler runs; the node's Hello, sent as soon
   * as it accepts, then reaches a socket without a handler and is dropped, and the handshake times out (one in a few
   * hundred connects, on two cores).
   */
  public Future<Void> connect(Context context, NetClient client, PeerAddress node) {
    if (Vertx.currentContext() == null) {
      Promise<Void> connected = Promise.promise();
      context.runOnContext(v -> connect(context, client, node).onComplete(connected));
      return connected.future();
    }
    return client.connect(node.port(), node.host()).compose(s -> {
      socket = s;
      s.handler(chunk -> {
        try {
          decoder.feed(chunk, this::onFrame);
        } catch (RuntimeException e) {
          ending = "bad frame: " + e.getMessage();
          s.close();
        }
      });
      s.closeHandler(v -> {
        closed = true;
        handshake.tryFail("closed by the node" + (ending == null ? "" : ": " + ending));
      });
      write(new Hello(networkId, MeshOptions.DEFAULT_PROTOCOL_VERSION, key.publicKey(), nonce, 0));
      return handshake.future();
    });
  }

  public Future<Void> close() {
    return socket == null ? Future.succeededFuture() : socket.close();
  }

  private void onFrame(Buffer frame) {
    WireMessage message = WireCodec.decode(frame);
    if (message instanceof AppMessage app) {
      messageHandler.accept(app);
    } else if (message instanceof Ping ping) {
      write(new Pong(ping.payload()));
    } else if (message instanceof Request request) {
      requestsAnswered.incrementAndGet();
      write(answer(request));
    } else if (message instanceof Hello hello && nodeHello == null) {
      nodeHello = hello;
      byte[] challenge = HandshakeTranscript.challengeHash(networkId, hello.nonce(), nonce,
          key.publicKey(), hello.publicKey());
      write(new Auth(key.sign(challenge), NODE_INFO));
    } else if (message instanceof Auth auth && nodeHello != null) {
      byte[] challenge = HandshakeTranscript.challengeHash(networkId, nonce, nodeHello.nonce(),
          nodeHello.publicKey(), key.publicKey());
      if (Secp256k1.verify(nodeHello.publicKey(), challenge, auth.signature())) {
        handshake.tryComplete();
      } else {
        handshake.tryFail("the node's Auth does not verify");
      }
    } else if (message instanceof Disconnect disconnect) {
      ending = "Disconnect " + disconnect.code() + " " + disconnect.reason();
      handshake.tryFail(ending);
    }
  }

  /**
   * The node's own procedures get what a node answers, an empty peer list and this peer's nodeInfo: the node's
   * discovery asks every peer getPeers now and then and bans a peer whose answer is no peer list. Anything else is
   * echoed.
   */
  private static Response answer(Request request) {
    return switch (request.procedure()) {
      case ProtocolProcedures.GET_PEERS -> Response.success(request.id(), NO_PEERS);
      case ProtocolProcedures.GET_NODE_INFO -> Response.success(request.id(), NODE_INFO);
      default -> Response.success(request.id(), request.data());
    };
  }

  private void write(WireMessage message) {
    socket.write(WireCodec.encode(message));
  }
}
