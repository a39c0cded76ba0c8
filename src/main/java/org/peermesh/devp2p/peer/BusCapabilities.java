package org.peermesh.devp2p.peer;

import io.vertx.core.json.JsonObject;
import org.peermesh.devp2p.Devp2pMessage;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.rlp.RlpJson;
import org.peermesh.net.MalformedInputException;
import org.peermesh.peer.PeerLink;

import java.util.HexFormat;

/**
 * Capabilities served over the event bus, for services in other JVMs and languages: each message a peer sends is
 * published on {@code <prefix>.devp2p.<capability>.<code>} and on {@code <prefix>.devp2p.message} (every
 * capability's), and the {@code send} command writes one back. The node judges none of them: the service does, and
 * disconnects a peer it does not like with the {@code disconnect} command.
 */
final class BusCapabilities {

  private static final HexFormat HEX = HexFormat.of();

  private BusCapabilities() {
  }

  /** The sub-protocol that publishes {@code capability}'s messages. */
  static Devp2pProtocol protocol(Devp2pOptions.BusCapability capability) {
    return Devp2pProtocol.of(capability.name(), capability.version(), capability.length(), (peer, rw) ->
        rw.handler(message -> publish(((SessionPeer) peer).link(), capability.name(), capability.version(), message)));
  }

  /**
   * Publishes a message as a bus consumer reads it: the peer's header, the capability, its version, the code relative
   * to it, the payload's RLP in hex ({@code rlp}) and, when it is well-formed RLP, as nested JSON ({@code items}:
   * strings as {@code 0x} hex, lists as arrays).
   */
  static void publish(PeerLink<RlpxMessage> link, String capability, int version, Devp2pMessage message) {
    JsonObject body = link.header()
        .put("capability", capability)
        .put("version", version)
        .put("code", message.code())
        .put("rlp", "0x" + HEX.formatHex(message.payload()));
    try {
      body.put("items", RlpJson.toJson(message.decode()));
    } catch (MalformedInputException | org.peermesh.devp2p.InvalidMessageException e) {
      body.put("malformed", e.getMessage());
    }
    link.publish(capability + "." + message.code(), body);
    link.publishRaw(body);
  }
}
