package org.peermesh.peer;

import java.util.List;
import java.util.Objects;

/**
 * Where a {@link Handshaker} stands after a message, and what to send now. The messages are sent in order, before
 * the step takes effect: a refusal's last words (a Disconnect, a go_away) are among them where the protocol has any.
 *
 * @param <M> the protocol's message type
 * @param <R> what an established handshake yields
 */
public sealed interface HandshakeStep<M, R> {

  /** The messages to send now, in order; possibly none. */
  List<M> send();

  /** Not finished: wait for the peer's next message. */
  record Continue<M, R>(List<M> send) implements HandshakeStep<M, R> {
    public Continue {
      send = List.copyOf(send);
    }
  }

  /**
   * The peer named an identity: the layer reserves it for this connection (one connection per remote peer across
   * the node's cluster) and reports the answer with {@link Handshaker#onClaim}. Nothing more is proven to the peer
   * before that, so a peer never admits a connection the node then refuses.
   */
  record Claim<M, R>(List<M> send, String identity) implements HandshakeStep<M, R> {
    public Claim {
      send = List.copyOf(send);
      Objects.requireNonNull(identity, "identity");
    }
  }

  /** Both sides are satisfied: {@code result} is the peer's proven identity and what was agreed. */
  record Established<M, R>(List<M> send, R result) implements HandshakeStep<M, R> {
    public Established {
      send = List.copyOf(send);
      Objects.requireNonNull(result, "result");
    }
  }

  /** The peer is refused; the connection ends after {@code send}. */
  record Refused<M, R>(List<M> send, Refusal refusal) implements HandshakeStep<M, R> {
    public Refused {
      send = List.copyOf(send);
      Objects.requireNonNull(refusal, "refusal");
    }
  }

  static <M, R> HandshakeStep<M, R> proceed(List<M> send) {
    return new Continue<>(send);
  }

  static <M, R> HandshakeStep<M, R> refuse(Refusal refusal) {
    return new Refused<>(List.of(), refusal);
  }
}
