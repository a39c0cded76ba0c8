/**
 * Ethereum Node Records (EIP-778, devp2p's enr.md): a node's signed, versioned description of itself, with the "v4"
 * identity scheme (secp256k1, Keccak-256). Pure functions of bytes and keys: no I/O, no clocks.
 *
 * <p>A record is checked against the 300-byte cap before it is parsed, and a decoded record has been verified, so a
 * caller never holds an unsigned or forged one by accident.
 */
package org.peermesh.devp2p.enr;
