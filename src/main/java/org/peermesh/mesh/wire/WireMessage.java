package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;

/**
 * A message of the PeerMesh wire protocol (docs/wire-protocol.md). Each implementation is one
 * message type: it holds the fields, validates them in its constructor, and writes its own body;
 * {@link WireCodec} adds the framing and dispatches decoding on the type byte.
 *
 * <p>Types 0x01-0x0f run the session (handshake, liveness, teardown); 0x10 and up carry the
 * application's traffic.
 */
public sealed interface WireMessage
    permits Hello, Auth, Disconnect, Ping, Pong, AppMessage, Request, Response, NodeInfoUpdate {

  byte HELLO = 0x01;
  byte AUTH = 0x02;
  byte DISCONNECT = 0x03;
  byte PING = 0x04;
  byte PONG = 0x05;
  byte APP_MESSAGE = 0x10;
  byte REQUEST = 0x11;
  byte RESPONSE = 0x12;
  byte NODE_INFO_UPDATE = 0x13;

  /** The type byte that follows the frame's length prefix. */
  byte type();

  /** Appends this message's body, everything after the type byte, to {@code out}. */
  void writeBody(Buffer out);
}
