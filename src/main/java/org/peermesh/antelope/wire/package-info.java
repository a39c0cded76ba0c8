/**
 * The Antelope (EOSIO / Leap / Spring) net_plugin wire protocol: fc packing ({@link
 * org.peermesh.antelope.wire.FcReader}, {@link org.peermesh.antelope.wire.FcWriter}), framing ({@link
 * org.peermesh.antelope.wire.AntelopeFrameDecoder}) and one immutable class per net_message variant ({@link
 * org.peermesh.antelope.wire.AntelopeMessage}, decoded by {@link org.peermesh.antelope.wire.AntelopeMessages}).
 * Everything here is a pure function of bytes: no I/O, no clocks, no Vert.x context.
 *
 * <p>Every count and length a peer sends is checked against fc's caps and against the bytes that remain before
 * anything is allocated for it, so a small frame cannot make us reserve much memory. The JSON forms use the field
 * names of @wharfkit/antelope 1.2.0, the counterpart the interop tests run.
 */
package org.peermesh.antelope.wire;
