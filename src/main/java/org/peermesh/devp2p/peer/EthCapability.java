package org.peermesh.devp2p.peer;

import org.peermesh.devp2p.Devp2pDisconnectException;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.base.Devp2pDisconnectReason;
import org.peermesh.devp2p.eth.EthOptions;
import org.peermesh.devp2p.eth.StatusCheck;
import org.peermesh.devp2p.eth.StatusMessage;
import org.peermesh.net.MalformedInputException;

import java.util.Optional;

/**
 * eth/68 as a watcher runs it, so that Ethereum peers keep the connection: the Status handshake (ours sent at once,
 * theirs required first and within 5 s, checked as {@link StatusCheck} says), then every eth message published on the
 * bus as RLP ({@code <prefix>.devp2p.eth.<code>}), the Status included, for services that follow the chain. The node
 * answers no request: it holds no chain.
 */
final class EthCapability {

  static final String NAME = "eth";
  /** eth/68's message codes: Status (0x00) to Receipts (0x10). */
  static final int LENGTH = 17;
  /** go-ethereum's handshakeTimeout: a peer that sends no Status within it is dropped with 0x0b. */
  static final long STATUS_TIMEOUT_MS = 5_000;

  private EthCapability() {
  }

  static Devp2pProtocol protocol(EthOptions eth) {
    StatusMessage ours = eth.status();
    return Devp2pProtocol.of(NAME, StatusMessage.PROTOCOL_VERSION, LENGTH, (peer, rw) -> {
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
          Optional<StatusCheck.Refused> refused = judgeStatus(ours, message.code(), message.payload());
          if (refused.isPresent()) {
            throw new Devp2pDisconnectException(refused.get().reason(), refused.get().detail());
          }
          statusReceived[0] = true;
          session.link().vertx().cancelTimer(timer);
        }
        BusCapabilities.publish(session.link(), NAME, StatusMessage.PROTOCOL_VERSION, message);
      });
      rw.writeMsg(StatusMessage.CODE, ours.encode());
    });
  }

  /** The refusal of a peer whose first eth message is {@code code} with {@code payload}, if it is refused. */
  private static Optional<StatusCheck.Refused> judgeStatus(StatusMessage ours, int code, byte[] payload) {
    if (code != StatusMessage.CODE) {
      return Optional.of(StatusCheck.notStatus(code));
    }
    try {
      return StatusCheck.check(ours, StatusMessage.decode(payload));
    } catch (MalformedInputException e) {
      return Optional.of(StatusCheck.malformed(e));
    }
  }
}
