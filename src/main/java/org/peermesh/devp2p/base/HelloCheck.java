package org.peermesh.devp2p.base;

import java.security.MessageDigest;
import java.util.Collection;
import org.peermesh.crypto.Keccak256;

/**
 * The checks go-ethereum makes on a decoded Hello, in its order, each with the Disconnect reason it sends: the node
 * id must be 64 non-zero bytes ({@link Devp2pDisconnectReason#INVALID_IDENTITY}), must be the key the RLPx handshake
 * proved ({@link Devp2pDisconnectReason#UNEXPECTED_IDENTITY}: otherwise a peer could claim another's identity), and
 * the peer must share a capability with us ({@link Devp2pDisconnectReason#USELESS_PEER}). A Hello too large or
 * malformed to decode fails earlier, in {@link HelloMessage#decode}, where go-ethereum closes without a reason.
 */
public final class HelloCheck {

  private static final int NODE_ID_LENGTH = 64;

  private HelloCheck() {
  }

  /** What to do with the peer. */
  public sealed interface Outcome permits Accepted, Refused {
  }

  /** Run the shared sub-protocols at these codes. */
  public record Accepted(CapabilityNegotiation.Negotiated negotiated) implements Outcome {
  }

  /** Send a Disconnect with {@code reason} and close; {@code detail} is for the log. */
  public record Refused(Devp2pDisconnectReason reason, String detail) implements Outcome {
  }

  /**
   * Checks {@code hello} against the key the handshake proved and the sub-protocols we run.
   *
   * @param handshakeRemotePub64 the peer's static public key from the RLPx handshake, X || Y
   */
  public static Outcome check(HelloMessage hello, byte[] handshakeRemotePub64, Collection<SubProtocol> ours) {
    byte[] id = hello.nodeId64();
    if (id.length != NODE_ID_LENGTH) {
      return new Refused(Devp2pDisconnectReason.INVALID_IDENTITY, "a node id of " + id.length + " bytes");
    }
    if (isAllZero(id)) {
      return new Refused(Devp2pDisconnectReason.INVALID_IDENTITY, "a node id of zeros");
    }
    // go-ethereum compares node ids, keccak256 of the keys, since that is what it knows of a dialed peer.
    if (!MessageDigest.isEqual(Keccak256.hash(id), Keccak256.hash(handshakeRemotePub64))) {
      return new Refused(Devp2pDisconnectReason.UNEXPECTED_IDENTITY,
          "the Hello's node id is not the key the handshake proved");
    }
    CapabilityNegotiation.Negotiated negotiated = CapabilityNegotiation.negotiate(ours, hello.capabilities());
    if (negotiated.isEmpty()) {
      return new Refused(Devp2pDisconnectReason.USELESS_PEER,
          "no capability shared: theirs " + hello.capabilities() + ", ours "
              + ours.stream().map(SubProtocol::capability).toList());
    }
    return new Accepted(negotiated);
  }

  private static boolean isAllZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
