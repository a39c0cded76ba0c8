/**
 * The PeerMesh wire protocol, specified in docs/wire-protocol.md: framing ({@link
 * org.peermesh.mesh.wire.FrameDecoder}, {@link org.peermesh.mesh.wire.WireCodec}), one immutable class per
 * message type ({@link org.peermesh.mesh.wire.WireMessage}), and the handshake transcript. Everything
 * here is a pure function of bytes: no I/O, no clocks, no Vert.x context.
 */
package org.peermesh.mesh.wire;

