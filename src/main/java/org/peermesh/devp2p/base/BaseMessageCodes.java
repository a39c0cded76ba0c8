package org.peermesh.devp2p.base;

/**
 * The message codes of devp2p's base protocol. Every RLPx session starts its sub-protocols' codes at {@link
 * #FIRST_SUBPROTOCOL}; the codes between Pong and there are reserved for the base protocol's future use, so a reader
 * ignores them rather than disconnecting (go-ethereum does the same) and an older node keeps talking to a newer one.
 */
public final class BaseMessageCodes {

  public static final int HELLO = 0x00;
  public static final int DISCONNECT = 0x01;
  public static final int PING = 0x02;
  public static final int PONG = 0x03;
  /** The first reserved code; the reserved ones run up to {@link #FIRST_SUBPROTOCOL} - 1. */
  public static final int FIRST_RESERVED = 0x04;
  /** Where {@link CapabilityNegotiation} places the first shared capability's codes. */
  public static final int FIRST_SUBPROTOCOL = 0x10;

  private BaseMessageCodes() {
  }

  /** Whether {@code code} is reserved for the base protocol, and so to be ignored when received. */
  public static boolean isReserved(int code) {
    return code >= FIRST_RESERVED && code < FIRST_SUBPROTOCOL;
  }
}
