/**
 * RLPx, devp2p's encrypted transport (ethereum/devp2p rlpx.md, EIP-8, EIP-706): {@link
 * org.peermesh.devp2p.rlpx.Ecies}, the handshake as a pure state machine ({@link
 * org.peermesh.devp2p.rlpx.RlpxHandshake}, fed by {@link org.peermesh.devp2p.rlpx.HandshakePacketReader}), the
 * {@link org.peermesh.devp2p.rlpx.RlpxSecrets} it yields, the {@link org.peermesh.devp2p.rlpx.RlpxFrameCodec} built
 * from them, and the {@link org.peermesh.devp2p.rlpx.SnappyCodec} of p2p v5. Everything here is a pure function of
 * bytes (and of a {@code SecureRandom} where keys, nonces and padding are drawn): no sockets, no clocks, no Vert.x.
 *
 * <p>Every size a peer sends is checked against its cap before anything is allocated for it, MACs are checked before
 * decrypting, and every failure is one {@link org.peermesh.devp2p.rlpx.RlpxException} with a short kind.
 */
package org.peermesh.devp2p.rlpx;
