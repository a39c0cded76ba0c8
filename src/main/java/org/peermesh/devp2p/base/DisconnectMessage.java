package org.peermesh.devp2p.base;

import java.util.Optional;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpItem;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

/**
 * Disconnect (code 0x01): the peer is closing, and why. The spec's form is the list {@code [reason]}, which is what
 * {@link #encode()} writes; {@link #decode} also takes a bare integer, which @ethereumjs/devp2p sends and Besu users
 * have met (besu#4071), and an empty list, which carries no reason and so counts as 0x00, disconnect requested. A
 * code devp2p does not define is kept as a number, to be logged rather than refused: the peer is leaving anyway.
 *
 * @param reasonCode the reason's code, 0 to 255 (go-ethereum's {@code DiscReason} is a {@code uint8})
 */
public record DisconnectMessage(int reasonCode) {

  public static final int CODE = BaseMessageCodes.DISCONNECT;
  private static final int MAX_REASON_CODE = 0xFF;

  public DisconnectMessage {
    if (reasonCode < 0 || reasonCode > MAX_REASON_CODE) {
      throw new IllegalArgumentException("a disconnect reason is 0 to 255, not " + reasonCode);
    }
  }

  public static DisconnectMessage of(Devp2pDisconnectReason reason) {
    return new DisconnectMessage(reason.code());
  }

  /**
   * The Disconnect a payload holds, as a list {@code [reason, ...]}, an empty list or a bare integer; bytes after the
   * item and list elements after the reason are ignored (EIP-8).
   *
   * @throws org.peermesh.devp2p.rlp.RlpException for malformed RLP or a reason that is not a canonical integer
   * @throws Devp2pBaseException {@code bad_reason} for a reason above 255
   */
  public static DisconnectMessage decode(byte[] payload) {
    RlpItem item = Rlp.decodePrefix(payload, 0).item();
    RlpString reason;
    if (item instanceof RlpList list) {
      reason = list.size() == 0 ? RlpString.EMPTY : list.string(0, "disconnect reason");
    } else {
      reason = item.string("disconnect reason");
    }
    long code = reason.asLong("disconnect reason");
    if (code > MAX_REASON_CODE) {
      throw new Devp2pBaseException("bad_reason", "disconnect reason " + code + " is above " + MAX_REASON_CODE);
    }
    return new DisconnectMessage((int) code);
  }

  /** The payload {@code [reason]}, the form every implementation reads. */
  public byte[] encode() {
    return Rlp.encode(RlpList.of(RlpString.of(reasonCode)));
  }

  /** The reason, if devp2p defines this code. */
  public Optional<Devp2pDisconnectReason> reason() {
    return Devp2pDisconnectReason.fromCode(reasonCode);
  }

  /** go-ethereum's words for the reason, or theirs for an unknown one ({@code unknown disconnect reason 66}). */
  @Override
  public String toString() {
    return reason().map(Devp2pDisconnectReason::words).orElse("unknown disconnect reason " + reasonCode);
  }
}
