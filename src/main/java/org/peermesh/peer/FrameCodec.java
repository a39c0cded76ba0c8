package org.peermesh.peer;

import io.vertx.core.buffer.Buffer;

/**
 * A wire protocol's framing for one connection: it cuts the bytes read into messages and writes messages as bytes.
 * Pure, apart from the state a stream needs between chunks (a frame split across reads); a protocol whose handshake
 * yields keys (RLPx) gives the established session a codec of its own.
 *
 * @param <M> the protocol's message type
 */
public interface FrameCodec<M> {

  /** Receives what {@link #decode} finds, in stream order. */
  interface Sink<M> {

    /** A whole message; {@code payload} is its bytes as they came, for consumers that want them raw. */
    void message(M message, Buffer payload);

    /**
     * A whole message that took {@code frameBytes} on the wire, its framing included: how a codec that knows it says
     * so, as the node's metrics count the bytes of a message received as those of one sent, as they travel. A
     * message reported without is counted at its payload's size.
     */
    default void message(M message, Buffer payload, int frameBytes) {
      message(message, payload);
    }

    /**
     * Bytes that were skipped without breaking the connection, where the protocol tolerates it (Bitcoin's garbage
     * before a magic, a message type of a newer minor version): reported, never kept.
     */
    default void skipped(String kind, String detail) {
    }
  }

  /**
   * Decodes what {@code chunk} completes, with what earlier chunks left, and hands each message to {@code sink}.
   * Every limit is checked before anything is allocated for it.
   *
   * @throws PeerViolation when the bytes break the protocol; the connection is then ended for it
   */
  void decode(Buffer chunk, Sink<M> sink);

  /**
   * Sets the largest message accepted from the next frame on, in the protocol's terms of {@code maxMessageSize}, and
   * what a refusal calls that limit. The layer keeps it at {@link PoolOptions#maxHandshakeMessageSize} until the
   * peer's handshake is done, as a peer that has proven nothing must not make the node hold a large frame.
   */
  void limitMessageSize(int maxMessageSize, String limitName);

  /**
   * The bytes the frame being collected declared it holds, 0 between frames: what a frame split across reads will
   * take once whole, which the layer reserves from the node's memory budget before it reads on.
   */
  int unfinishedFrameSize();

  /** Appends {@code message}'s frame to {@code out}. */
  void encode(M message, Buffer out);
}
