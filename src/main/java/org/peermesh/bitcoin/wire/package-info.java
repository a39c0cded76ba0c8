/**
 * The Bitcoin P2P wire protocol (the v1 transport of Bitcoin Core): framing ({@link
 * org.peermesh.bitcoin.wire.BitcoinFrameDecoder}, {@link org.peermesh.bitcoin.wire.BitcoinFrames})
 * and one immutable class per message type ({@link org.peermesh.bitcoin.wire.BitcoinMessage},
 * decoded by {@link org.peermesh.bitcoin.wire.BitcoinMessages}). Everything here is a pure function
 * of bytes: no I/O, no clocks, no Vert.x context.
 *
 * <p>Every count and length a peer sends is checked against the message's protocol limit and
 * against the bytes that remain before anything is allocated for it, so a small payload cannot
 * make us reserve much memory.
 */
package org.peermesh.bitcoin.wire;
