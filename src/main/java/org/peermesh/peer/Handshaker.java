package org.peermesh.peer;

/**
 * A wire protocol's handshake as a pure state machine, as Besu's {@code Handshaker}: it is handed the peer's
 * messages and answers with what to send and where the handshake stands. It does no I/O and keeps no time: the
 * peer layer owns the socket, the timers and the cluster, so a handshake is unit-tested on messages alone.
 *
 * <p>One instance serves one connection, from {@link #start} until it returns {@link HandshakeStep.Established} or
 * {@link HandshakeStep.Refused}; it is called on one thread at a time.
 *
 * @param <M> the protocol's message type
 * @param <R> what a finished handshake yields: the peer's proven identity and what the two sides agreed on
 */
public interface Handshaker<M, R> {

  /** The first step, once the connection is open: what this side sends before it hears anything. */
  HandshakeStep<M, R> start();

  /** The peer's next message. */
  HandshakeStep<M, R> onMessage(M message);

  /**
   * The answer to a {@link HandshakeStep.Claim}: whether this connection may hold the peer (in a cluster, no other
   * member does). Only called after the step asked for it. A handshaker that never claims keeps this default.
   */
  default HandshakeStep<M, R> onClaim(boolean granted, String detail) {
    throw new IllegalStateException("this handshake asks for no claim");
  }

  /**
   * The framing of what follows the step just taken, given the one so far; asked after each step's messages are
   * sent. A handshake that yields keys (RLPx) frames the rest of the connection with them from the step that has them,
   * built with the bytes the old codec read past its last message; a codec that judges a session's messages more
   * leniently than a handshake's (the mesh's) takes over with the {@link HandshakeStep.Established} step. The one so
   * far by default.
   */
  default FrameCodec<M> framing(FrameCodec<M> current) {
    return current;
  }
}
