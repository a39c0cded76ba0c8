/**
 * Ethereum's Recursive Length Prefix encoding, the serialization of every devp2p message: RLPx's handshake bodies and
 * Hello, discv4's packets and ENR records. An item is a byte string ({@link org.peermesh.devp2p.rlp.RlpString}) or a
 * list of items ({@link org.peermesh.devp2p.rlp.RlpList}); {@link org.peermesh.devp2p.rlp.Rlp} writes and reads them.
 * Everything here is a pure function of bytes: no I/O, no clocks, no Vert.x context.
 *
 * <p>Decoding is strict about the item (canonical lengths, bounded nesting, every length checked against the bytes
 * left before anything is allocated) and fails with one exception type, {@link org.peermesh.devp2p.rlp.RlpException}.
 * What an item means (which list index is which field, whether extra elements are tolerated) is the caller's concern.
 */
package org.peermesh.devp2p.rlp;
