package org.peermesh.devp2p.peer;

import org.peermesh.devp2p.base.BaseMessageCodes;

import java.util.Objects;

/**
 * What an RLPx connection carries, as the peer layer handles it: the one handshake packet each side sends before
 * the keys exist, then frames. Immutable; the byte arrays are never handed out for writing.
 */
public sealed interface RlpxMessage {

  /** An EIP-8 auth or ack packet as it travels, its size prefix included. */
  record HandshakePacket(byte[] bytes) implements RlpxMessage {
    public HandshakePacket {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public String toString() {
      return "HandshakePacket[" + bytes.length + " bytes]";
    }
  }

  /**
   * One message of the session: its absolute code (base protocol below {@link BaseMessageCodes#FIRST_SUBPROTOCOL},
   * the negotiated capabilities' from there) and its payload, the RLP as the sender meant it: decompressed when
   * received, compressed by the codec when sent over snappy. Frames made inside this package own their array without
   * a copy, as a frame may hold 16 MiB.
   */
  final class Frame implements RlpxMessage {

    private final int code;
    private final byte[] payload;

    private Frame(int code, byte[] payload) {
      if (code < 0) {
        throw new IllegalArgumentException("a message code is not negative: " + code);
      }
      this.code = code;
      this.payload = Objects.requireNonNull(payload, "payload");
    }

    /** A frame of a copy of {@code payload}. */
    public static Frame of(int code, byte[] payload) {
      return new Frame(code, payload.clone());
    }

    /** A frame that owns {@code payload}, which no one writes to any more. */
    static Frame owning(int code, byte[] payload) {
      return new Frame(code, payload);
    }

    public int code() {
      return code;
    }

    /** A copy of the payload. */
    public byte[] payload() {
      return payload.clone();
    }

    /** The payload itself, read but never written within this package. */
    byte[] payloadArray() {
      return payload;
    }

    /** The payload's length. */
    public int size() {
      return payload.length;
    }

    @Override
    public String toString() {
      return "Frame[code 0x" + Integer.toHexString(code) + ", " + payload.length + " bytes]";
    }
  }
}
