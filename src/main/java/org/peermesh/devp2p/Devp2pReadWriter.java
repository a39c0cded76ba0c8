package org.peermesh.devp2p;

import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * One peer's stream of one sub-protocol, as go-ethereum's {@code p2p.MsgReadWriter}, in Vert.x style: messages
 * arrive at a handler instead of {@code ReadMsg}, and writes say when the peer's queue is full. Codes are relative to
 * the sub-protocol, 0 to its length - 1. Everything runs on the peer's event loop.
 */
public interface Devp2pReadWriter {

  /** Where the peer's messages of this sub-protocol go, in order. */
  Devp2pReadWriter handler(Handler<Devp2pMessage> handler);

  /** Called once when the peer is gone, with why. */
  Devp2pReadWriter endHandler(Handler<String> handler);

  /**
   * Sends message {@code code} whose payload is the RLP list of {@code items}, as go-ethereum's {@code p2p.SendItems}:
   * a String is its UTF-8 bytes, a byte[] its bytes, an Integer, Long or BigInteger (not negative) its minimal
   * big-endian bytes, an {@link org.peermesh.devp2p.rlp.RlpItem} itself, and a List or Object[] a nested list.
   *
   * @return completes once the message is queued to the peer; fails when the code is out of range, an item has no RLP
   *     form, or the peer is gone
   */
  Future<Void> sendItems(int code, Object... items);

  /**
   * Sends message {@code code} with {@code payload}, already RLP.
   *
   * @return as {@link #sendItems}
   */
  Future<Void> writeMsg(int code, byte[] payload);

  /**
   * Whether the peer's outbox is full: a sub-protocol that sends in bulk waits for {@link #drainHandler} before it
   * sends more, as the node never cuts a peer that reads slowly but does cut one whose queue overflows.
   */
  boolean writeQueueFull();

  /** Called when the outbox, full a moment ago, has room again. */
  Devp2pReadWriter drainHandler(Handler<Void> handler);

  /** Ends the sub-protocol as a {@code Run} that returns nil: the peer is disconnected with 0x08 (client quitting). */
  void end();

  /** Ends the sub-protocol as a {@code Run} that returns {@code cause}: the peer is disconnected with its reason. */
  void fail(Throwable cause);
}
