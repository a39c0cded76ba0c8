/**
 * The {@code eth} sub-protocol of devp2p (ethereum/devp2p caps/eth.md), versions 68, 64 and 63, as far as a node
 * without a chain takes part in it: the Status handshake ({@link org.peermesh.devp2p.eth.StatusMessage} on eth/68 and
 * eth/64, with its EIP-2124 {@link org.peermesh.devp2p.eth.ForkId}; {@link org.peermesh.devp2p.eth.Status63Message}
 * on eth/63), the checks go-ethereum makes on a peer's Status with the Disconnect reason each
 * failure earns ({@link org.peermesh.devp2p.eth.StatusCheck}), and the node config's {@code eth} section ({@link
 * org.peermesh.devp2p.eth.EthOptions}) that our own Status is made from.
 *
 * <p>Everything here is a pure function of payloads, the bytes after the message code, already decompressed; codes
 * are relative to where capability negotiation placed {@code eth}. Reading is as strict as go-ethereum's, which
 * decodes into structs without an optional tail: extra list elements are refused, bytes after the list are ignored.
 * Failures are {@link org.peermesh.devp2p.rlp.RlpException} or {@link org.peermesh.devp2p.eth.EthMessageException},
 * both {@link org.peermesh.net.MalformedInputException}s, and nothing else.
 */
package org.peermesh.devp2p.eth;
