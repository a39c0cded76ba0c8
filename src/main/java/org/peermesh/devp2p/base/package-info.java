/**
 * devp2p's base protocol (ethereum/devp2p rlpx.md, "p2p Capability"): the messages every RLPx session speaks before
 * and beside its sub-protocols ({@link org.peermesh.devp2p.base.HelloMessage}, {@link
 * org.peermesh.devp2p.base.DisconnectMessage}, {@link org.peermesh.devp2p.base.PingMessage}, {@link
 * org.peermesh.devp2p.base.PongMessage}), the checks go-ethereum makes on a peer's Hello ({@link
 * org.peermesh.devp2p.base.HelloCheck}) and the mapping of message codes to the capabilities both sides share
 * ({@link org.peermesh.devp2p.base.CapabilityNegotiation}).
 *
 * <p>Everything here is a pure function of payloads, the bytes after the message code in an RLPx frame, already
 * decompressed: framing and snappy are {@code org.peermesh.devp2p.rlpx}'s concern. Reading follows EIP-8 (extra list
 * elements and trailing bytes are ignored, so newer peers can extend messages); malformed payloads fail with {@link
 * org.peermesh.devp2p.rlp.RlpException} or {@link org.peermesh.devp2p.base.Devp2pBaseException}, both {@link
 * org.peermesh.net.MalformedInputException}s, and nothing else.
 */
package org.peermesh.devp2p.base;
