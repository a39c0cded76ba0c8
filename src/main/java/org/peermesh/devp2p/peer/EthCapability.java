package org.peermesh.devp2p.peer;

import org.peermesh.devp2p.Devp2pDisconnectException;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.devp2p.eth.EthOptions;
import org.peermesh.devp2p.eth.Status63Message;
import org.peermesh.devp2p.eth.StatusCheck;
import org.peermesh.devp2p.eth.StatusMessage;
import org.peermesh.net.MalformedInputException;

import java.util.List;
import java.util.Optional;

/**
 * eth as a watcher runs it, so that Ethereum peers keep the connection: the Status handshake (ours sent at once,
 * theirs required first and within 5 s, checked as {@link StatusCheck} says), then every eth message published on the
 * bus as RLP ({@code <prefix>.devp2p.eth.<code>}), the Status included, for services that follow the chain. The node
 * answers no request: it holds no chain.
 *
 * <p>It offers eth/68, today's Ethereum's, and eth/63 and eth/64, which go-ethereum's older forks still speak alone
 * (Elastos ESC offers eth/64 and eth/63). Negotiation runs the highest version both Hellos offer, and that version's
 * Status: eth/64's has eth/68's shape, eth/63's has no fork id.
 */
final class EthCapability {

  static final String NAME = "eth";
  /** The versions offered; each is a capability of its own in our Hello. */
  static final List<Integer> VERSIONS = List.of(Status63Message.PROTOCOL_VERSION, StatusMessage.ETH64,
      StatusMessage.PROTOCOL_VERSION);
  /**
   * Each version's message codes, Status (0x00) to Receipts (0x10): 17 on eth/68 as on eth/63 and eth/64, where geth
   * (and ESC's {@code protocolLengths}) counts 17 too.
   */
  static final int LENGTH = 17;
  /** go-ethereum's handshakeTimeout: a peer that sends no Status within it is dropped with 0x0b. */
  static final long STATUS_TIMEOUT_MS = 5_000;

  private EthCapability() {
  }

  /** eth/63, eth/64 and eth/68, each running its own version's Status. */
  static List<Devp2pProtocol> protocols(EthOptions eth) {
    return VERSIONS.stream().map(version -> protocol(StatusHandshake.of(eth, version))).toList();
  }

  private static Devp2pProtocol protocol(StatusHandshake status) {
    return Devp2pProtocol.of(NAME, status.version(), LENGTH, (peer, rw) -> {
      SessionPeer session = (SessionPeer) peer;
      boolean[] statusReceived = {false};
      long timer = session.link().vertx().setTimer(STATUS_TIMEOUT_MS, t -> {
        if (!statusReceived[0]) {
          rw.fail(new Devp2pDisconnectException(Devp2pDisconnectReason.READ_TIMEOUT,
              "no eth Status within " + STATUS_TIMEOUT_MS + " ms"));
        }
      });
      rw.endHandler(reason -> session.link().vertx().cancelTimer(timer));
      rw.handler(message -> {
        if (!statusReceived[0]) {
          Optional<StatusCheck.Refused> refused = status.judge(message.code(), message.payload());
          if (refused.isPresent()) {
            throw new Devp2pDisconnectException(refused.get().reason(), refused.get().detail());
          }
          statusReceived[0] = true;
          session.link().vertx().cancelTimer(timer);
        }
        BusCapabilities.publish(session.link(), NAME, status.version(), message);
      });
      rw.writeMsg(StatusMessage.CODE, status.ours());
    });
  }

  /**
   * One eth version's Status handshake, as pure code: our Status's payload, and the judgement of the peer's first
   * message.
   */
  static final class StatusHandshake {

    private final int version;
    private final byte[] ours;
    private final StatusMessage ours64or68;
    private final Status63Message ours63;

    private StatusHandshake(int version, StatusMessage ours64or68, Status63Message ours63) {
      this.version = version;
      this.ours64or68 = ours64or68;
      this.ours63 = ours63;
      this.ours = ours63 != null ? ours63.encode() : ours64or68.encode();
    }

    /**
     * The handshake of eth/{@code version}, one of {@link #VERSIONS}, for the chain {@code eth} names.
     *
     * @throws IllegalArgumentException for another version
     */
    static StatusHandshake of(EthOptions eth, int version) {
      return switch (version) {
        case Status63Message.PROTOCOL_VERSION -> new StatusHandshake(version, null, eth.status63());
        case StatusMessage.ETH64 -> new StatusHandshake(version, eth.status64(), null);
        case StatusMessage.PROTOCOL_VERSION -> new StatusHandshake(version, eth.status(), null);
        default -> throw new IllegalArgumentException("eth/" + version + " is not offered: " + VERSIONS);
      };
    }

    int version() {
      return version;
    }

    /** Our Status's payload. */
    byte[] ours() {
      return ours.clone();
    }

    /** The refusal of a peer whose first eth message is {@code code} with {@code payload}, if it is refused. */
    Optional<StatusCheck.Refused> judge(int code, byte[] payload) {
      if (code != StatusMessage.CODE) {
        return Optional.of(StatusCheck.notStatus(code));
      }
      try {
        return ours63 != null ? StatusCheck.check(ours63, Status63Message.decode(payload))
            : StatusCheck.check(ours64or68, StatusMessage.decode(payload));
      } catch (MalformedInputException e) {
        return Optional.of(StatusCheck.malformed(e, version));
      }
    }
  }
}
