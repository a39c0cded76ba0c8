package org.peermesh.devp2p.peer;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import org.peermesh.devp2p.Devp2pMessage;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.Devp2pReadWriter;
import org.peermesh.devp2p.base.CapabilityNegotiation;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpObjects;
import org.peermesh.peer.PeerLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's stream of one shared capability, which its {@link Devp2pProtocol} runs: codes relative to the
 * capability both ways, and failures turned into the Disconnect go-ethereum sends for the error a {@code Run}
 * returns. Runs on the peer's context only.
 */
final class CapabilityStream implements Devp2pReadWriter {

  private static final Logger LOG = LoggerFactory.getLogger(CapabilityStream.class);

  private final PeerLink<RlpxMessage> link;
  private final SessionPeer peer;
  private final CapabilityNegotiation.SharedCapability shared;
  private final Devp2pProtocol protocol;
  private Handler<Devp2pMessage> handler;
  private Handler<String> endHandler;
  private Handler<Void> drainHandler;
  private boolean ended;

  CapabilityStream(PeerLink<RlpxMessage> link, SessionPeer peer, CapabilityNegotiation.SharedCapability shared,
                   Devp2pProtocol protocol) {
    this.link = link;
    this.peer = peer;
    this.shared = shared;
    this.protocol = protocol;
  }

  /** Runs the protocol with the peer; false if it failed and the peer is being disconnected. */
  boolean start() {
    try {
      protocol.run().run(peer, this);
      return true;
    } catch (Exception | LinkageError e) {
      fail(e);
      return false;
    }
  }

  /** A message of this capability, its code relative. */
  void receive(int code, byte[] payload) {
    if (ended || handler == null) {
      return;
    }
    try {
      handler.handle(new Devp2pMessage(code, payload));
    } catch (RuntimeException | LinkageError e) {
      fail(e);
    }
  }

  void drained() {
    if (!ended && drainHandler != null) {
      Handler<Void> drained = drainHandler;
      try {
        drained.handle(null);
      } catch (RuntimeException e) {
        fail(e);
      }
    }
  }

  void ended(String reason) {
    if (ended) {
      return;
    }
    ended = true;
    if (endHandler != null) {
      try {
        endHandler.handle(reason);
      } catch (RuntimeException e) {
        LOG.warn("devp2p sub-protocol {} failed in its end handler for peer {}", shared.capability(), peer.name(), e);
      }
    }
  }

  @Override
  public Devp2pReadWriter handler(Handler<Devp2pMessage> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public Devp2pReadWriter endHandler(Handler<String> handler) {
    this.endHandler = handler;
    return this;
  }

  @Override
  public Future<Void> sendItems(int code, Object... items) {
    byte[] payload;
    try {
      payload = Rlp.encode(RlpObjects.list(items));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return send(code, payload);
  }

  @Override
  public Future<Void> writeMsg(int code, byte[] payload) {
    return send(code, payload.clone());
  }

  /** Sends a payload no one else writes to. */
  private Future<Void> send(int code, byte[] payload) {
    if (code < 0 || code >= shared.length()) {
      return Future.failedFuture(new IllegalArgumentException(shared.capability() + " has message codes 0 to "
          + (shared.length() - 1) + ", not " + code));
    }
    if (ended) {
      return Future.failedFuture(new IllegalStateException("peer " + peer.name() + " is disconnected"));
    }
    link.send(RlpxMessage.Frame.owning(shared.offset() + code, payload));
    return Future.succeededFuture();
  }

  @Override
  public boolean writeQueueFull() {
    return !link.writable();
  }

  @Override
  public Devp2pReadWriter drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }

  @Override
  public void end() {
    disconnect(Devp2pDisconnectReason.QUITTING, shared.capability() + " ended", 0);
  }

  @Override
  public void fail(Throwable cause) {
    Devp2pDisconnectReason reason = Devp2pSession.reasonFor(cause);
    if (reason == Devp2pDisconnectReason.SUBPROTOCOL_ERROR) {
      // Not the peer's doing as far as we know: the application's bug shows with its stack trace.
      LOG.warn("devp2p sub-protocol {} failed with peer {}", shared.capability(), peer.name(), cause);
    }
    // A message that does not decode is the peer's fault, and costs it as a malformed frame does.
    int penalty = reason == Devp2pDisconnectReason.PROTOCOL_ERROR ? Devp2pRefusals.MALFORMED_PENALTY : 0;
    disconnect(reason, shared.capability() + ": " + cause.getMessage(), penalty);
  }

  private void disconnect(Devp2pDisconnectReason reason, String detail, int penalty) {
    if (ended) {
      return;
    }
    link.refuse(Devp2pRefusals.refusal(reason, detail, penalty));
  }
}
