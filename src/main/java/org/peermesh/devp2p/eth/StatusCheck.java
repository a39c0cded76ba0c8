package org.peermesh.devp2p.eth;

import java.util.Arrays;
import java.util.Optional;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.net.MalformedInputException;

/**
 * The refusals go-ethereum makes in its eth/68 handshake, and those of the go-ethereum fork Elastos ESC in its
 * eth/63 and eth/64 handshakes (the old geth's, in ESC's eth/peer.go, below).
 *
 * <p>eth/68: the refusals go-ethereum makes ({@code readStatus68} in eth/protocols/eth/handshake.go), in
 * its order, with the Disconnect reason each earns there. A handshake error returns from the protocol's {@code Run},
 * and {@code discReasonForError} (p2p/peer_error.go) turns any error that is not a {@code DiscReason} or a
 * {@code *peerError} into {@link Devp2pDisconnectReason#SUBPROTOCOL_ERROR}: so every mismatch, and a first message
 * that is not Status. A Status that does not decode is the exception: geth's {@code Msg.Decode} fails with a
 * {@code peerError} of code {@code errInvalidMsg}, which {@code readStatusMsg} returns unwrapped, and that maps to
 * {@link Devp2pDisconnectReason#PROTOCOL_ERROR}. (A Status not received within 5 s is geth's {@code DiscReadTimeout}.)
 *
 * <p>eth/63 and eth/64, as ESC: {@code readStatus} checks an eth/64 Status in eth/68's order (network id, version,
 * genesis, then the fork id filter); {@code readStatusLegacy} checks an eth/63 Status, which has no fork id, genesis
 * first, then network id, then version. Every refusal there is {@code errResp}, a plain error, so every one is
 * {@link Devp2pDisconnectReason#SUBPROTOCOL_ERROR}, a Status that does not decode included.
 *
 * <p>The fork id is compared for equality of the hash only. geth's EIP-2124 filter is both looser and stricter,
 * because it knows its chain: it also accepts a peer one fork behind whose {@code next} is our current fork, or a
 * peer ahead whose hash is one of our future forks, and it refuses a peer with our hash whose announced {@code next}
 * we have passed (a stale node). We hold no chain and know only the configured fork id, so we cannot evaluate any of
 * that: we refuse the peers behind or ahead that geth would keep, and keep a stale peer with our hash that geth would
 * refuse. Both are harmless for a watcher, which syncs nothing from its peers.
 */
public final class StatusCheck {

  private StatusCheck() {
  }

  /** Why a Status handshake failed, with go-ethereum's words for it. */
  public enum Failure {
    NO_STATUS("no status message"),
    INVALID_MESSAGE("invalid message"),
    NETWORK_ID_MISMATCH("network ID mismatch"),
    PROTOCOL_VERSION_MISMATCH("protocol version mismatch"),
    GENESIS_MISMATCH("genesis mismatch"),
    FORK_ID_REJECTED("fork ID rejected");

    private final String words;

    Failure(String words) {
      this.words = words;
    }

    /** go-ethereum's error text for this failure. */
    public String words() {
      return words;
    }
  }

  /**
   * Send a Disconnect with {@code reason} and close.
   *
   * @param detail what differed, for the log: go-ethereum's words, then theirs and ours
   */
  public record Refused(Failure failure, Devp2pDisconnectReason reason, String detail) {
  }

  /** The refusal of a peer whose Status differs from ours where geth's handshake requires them equal, if any. */
  public static Optional<Refused> check(StatusMessage ours, StatusMessage theirs) {
    return networkId(ours.networkId(), theirs.networkId())
        .or(() -> version(ours.protocolVersion(), theirs.protocolVersion()))
        .or(() -> genesis(ours.genesis(), theirs.genesis()))
        .or(() -> Arrays.equals(theirs.forkId().hash(), ours.forkId().hash()) ? Optional.empty()
            : mismatch(Failure.FORK_ID_REJECTED, theirs.forkId().toString(), ours.forkId().toString()));
  }

  /**
   * The refusal of an eth/63 peer whose Status differs from ours where ESC's {@code readStatusLegacy} requires them
   * equal, if any: genesis, network id, version, in that order.
   */
  public static Optional<Refused> check(Status63Message ours, Status63Message theirs) {
    return genesis(ours.genesis(), theirs.genesis())
        .or(() -> networkId(ours.networkId(), theirs.networkId()))
        .or(() -> version(ours.protocolVersion(), theirs.protocolVersion()));
  }

  private static Optional<Refused> networkId(long ours, long theirs) {
    return theirs == ours ? Optional.empty()
        : mismatch(Failure.NETWORK_ID_MISMATCH, Long.toUnsignedString(theirs), Long.toUnsignedString(ours));
  }

  private static Optional<Refused> version(long ours, long theirs) {
    return theirs == ours ? Optional.empty()
        : mismatch(Failure.PROTOCOL_VERSION_MISMATCH, Long.toString(theirs), Long.toString(ours));
  }

  private static Optional<Refused> genesis(byte[] ours, byte[] theirs) {
    return Arrays.equals(theirs, ours) ? Optional.empty()
        : mismatch(Failure.GENESIS_MISMATCH, EthFields.hex(theirs), EthFields.hex(ours));
  }

  /** The refusal of a peer whose first eth message has {@code code} (relative to eth) instead of Status. */
  public static Refused notStatus(int code) {
    return new Refused(Failure.NO_STATUS, Devp2pDisconnectReason.SUBPROTOCOL_ERROR,
        Failure.NO_STATUS.words() + ": first message has code 0x" + Integer.toHexString(code));
  }

  /**
   * The refusal of a peer whose eth/{@code protocolVersion} Status did not decode: a protocol error on eth/68, where
   * geth returns the decoder's {@code errInvalidMsg} as it is, a subprotocol error on eth/63 and eth/64, where ESC
   * wraps it in {@code errResp}.
   */
  public static Refused malformed(MalformedInputException e, int protocolVersion) {
    Devp2pDisconnectReason reason = protocolVersion >= StatusMessage.PROTOCOL_VERSION
        ? Devp2pDisconnectReason.PROTOCOL_ERROR : Devp2pDisconnectReason.SUBPROTOCOL_ERROR;
    return new Refused(Failure.INVALID_MESSAGE, reason,
        Failure.INVALID_MESSAGE.words() + ": " + e.kind() + ": " + e.detail());
  }

  private static Optional<Refused> mismatch(Failure failure, String theirs, String ours) {
    return Optional.of(new Refused(failure, Devp2pDisconnectReason.SUBPROTOCOL_ERROR,
        failure.words() + ": theirs " + theirs + ", ours " + ours));
  }
}
