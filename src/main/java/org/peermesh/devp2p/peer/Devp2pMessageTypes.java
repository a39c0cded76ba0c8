package org.peermesh.devp2p.peer;

import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.base.BaseMessageCodes;
import org.peermesh.devp2p.base.Capability;
import org.peermesh.devp2p.base.CapabilityNegotiation;
import org.peermesh.peer.WireProtocol;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The names of devp2p's messages in the node's metrics: the handshake's packets, the base protocol's messages by
 * name, and a capability's as {@code <name>/<version>:<code>}, its code relative to the capability
 * ({@code eth/68:0x00} is eth's Status). Only our own capabilities have names, so a peer cannot add any; and a
 * capability wider than {@value #NAMED_CODES} codes shares one name, {@code <name>/<version>:other}, for the rest.
 * Every name is made once, when the protocol is; a session only picks them.
 */
final class Devp2pMessageTypes {

  static final String HANDSHAKE = "handshake";
  static final String HELLO = "hello";
  static final String DISCONNECT = "disconnect";
  static final String PING = "ping";
  static final String PONG = "pong";
  /** How many codes of one capability are named each; beyond, they share its {@code other}. */
  static final int NAMED_CODES = 64;
  /** How many codes past the base protocol's a session names: codes beyond every range of ours are unknown anyway. */
  private static final int MAX_SESSION_CODES = 1024;

  /** Per capability of ours, its codes' names and, last, the name the rest share. */
  private final Map<Capability, String[]> byCapability = new HashMap<>();

  Devp2pMessageTypes(Collection<Devp2pProtocol> ours) {
    for (Devp2pProtocol protocol : ours) {
      Capability capability = protocol.subProtocol().capability();
      int named = Math.min(protocol.length(), NAMED_CODES);
      String[] names = new String[named + 1];
      for (int code = 0; code < named; code++) {
        names[code] = capability + ":0x" + String.format("%02x", code);
      }
      names[named] = capability + ":other";
      byCapability.put(capability, names);
    }
  }

  /** The name of a message before a session knows the negotiated codes: the handshake's and the base protocol's. */
  static String beforeSession(RlpxMessage message) {
    if (!(message instanceof RlpxMessage.Frame frame)) {
      return HANDSHAKE;
    }
    return switch (frame.code()) {
      case BaseMessageCodes.HELLO -> HELLO;
      case BaseMessageCodes.DISCONNECT -> DISCONNECT;
      case BaseMessageCodes.PING -> PING;
      case BaseMessageCodes.PONG -> PONG;
      default -> WireProtocol.UNKNOWN_MESSAGE_TYPE;
    };
  }

  /**
   * The names of one session's codes from {@link BaseMessageCodes#FIRST_SUBPROTOCOL} on, in code order, as that
   * session negotiated them; a code past the array is outside every shared range, or far past the usual ones.
   */
  String[] forSession(CapabilityNegotiation.Negotiated negotiated) {
    int end = negotiated.shared().stream().mapToInt(shared -> shared.offset() + shared.length()).max()
        .orElse(BaseMessageCodes.FIRST_SUBPROTOCOL);
    String[] names = new String[Math.min(end - BaseMessageCodes.FIRST_SUBPROTOCOL, MAX_SESSION_CODES)];
    Arrays.fill(names, WireProtocol.UNKNOWN_MESSAGE_TYPE);
    for (CapabilityNegotiation.SharedCapability shared : negotiated.shared()) {
      String[] capabilityNames = byCapability.get(shared.capability());
      for (int code = 0; code < shared.length(); code++) {
        int index = shared.offset() + code - BaseMessageCodes.FIRST_SUBPROTOCOL;
        if (index >= names.length) {
          break;
        }
        names[index] = capabilityNames[Math.min(code, capabilityNames.length - 1)];
      }
    }
    return names;
  }

  /** The name of code {@code code} in a session's {@code names} ({@link #forSession}). */
  static String inSession(String[] names, int code) {
    int index = code - BaseMessageCodes.FIRST_SUBPROTOCOL;
    return index >= 0 && index < names.length ? names[index] : WireProtocol.UNKNOWN_MESSAGE_TYPE;
  }
}
