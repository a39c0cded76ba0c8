package org.peermesh.devp2p;

import org.peermesh.devp2p.base.SubProtocol;

import java.util.Objects;

/**
 * A devp2p sub-protocol a Java application runs, as go-ethereum's {@code p2p.Protocol}: a name and version (the
 * capability both Hellos name), a length (how many message codes it uses, from 0) and a {@link Run} that the node
 * calls once per peer that shares it. The seed's example:
 *
 * <pre>{@code
 * Devp2pProtocol myProtocol = Devp2pProtocol.of("MyProtocol", 1, 1, (peer, rw) ->
 *     rw.handler(msg -> {
 *       if (msg.decodeList().string(0, "word").asString("word").equals("foo")) {
 *         rw.sendItems(0, "bar");
 *       }
 *     }));
 * }</pre>
 *
 * @param name    the capability's name; at most 32 ASCII characters (go-ethereum and ethereumjs take more than the
 *                spec's 8, as the ESC guide's "MyProtocol" needs)
 * @param version the capability's version
 * @param length  the number of message codes it uses, 0 to length - 1 on the wire's offset
 * @param run     what it does with each peer
 */
public record Devp2pProtocol(String name, int version, int length, Run run) {

  /** The longest capability name taken: the spec says 8, the clients take more, a Hello has room for 32. */
  public static final int MAX_NAME_LENGTH = 32;

  /**
   * What a sub-protocol does with a peer, called on the peer's event loop once the peer's Hello is accepted: it sets
   * the handlers of {@code rw} and returns. It must not block. An exception thrown here or from its handlers
   * disconnects the peer with the reason go-ethereum sends for the error a {@code Run} returns: the reason of a
   * {@link Devp2pDisconnectException}, 0x02 (breach of protocol) for an {@link InvalidMessageException}, else 0x10
   * (subprotocol error).
   */
  @FunctionalInterface
  public interface Run {
    void run(Devp2pPeer peer, Devp2pReadWriter rw) throws Exception;
  }

  public Devp2pProtocol {
    Objects.requireNonNull(run, "run");
    if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("a capability name is 1 to " + MAX_NAME_LENGTH
          + " printable ASCII characters, not " + name);
    }
    if (version < 0) {
      throw new IllegalArgumentException("a capability version is unsigned, not " + version);
    }
    if (length < 1) {
      throw new IllegalArgumentException("a sub-protocol uses at least one message code, not " + length);
    }
  }

  public static Devp2pProtocol of(String name, int version, int length, Run run) {
    return new Devp2pProtocol(name, version, length, run);
  }

  /** The capability and length it is negotiated with. */
  public SubProtocol subProtocol() {
    return new SubProtocol(name, version, length);
  }
}
