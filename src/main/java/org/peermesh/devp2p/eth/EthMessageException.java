package org.peermesh.devp2p.eth;

import org.peermesh.net.MalformedInputException;

/**
 * An eth payload that is well-formed RLP of the wrong shape for go-ethereum's decoder (malformed RLP, a missing field
 * or a list where a string belongs fail earlier, with {@link org.peermesh.devp2p.rlp.RlpException}). go-ethereum
 * decodes eth messages into fixed structs, so either failure is its {@code errInvalidMsg}, a breach of protocol.
 *
 * <p>Its kinds: {@code extra_elements} (a list longer than its struct: the Status and fork id structs take no tail),
 * {@code bad_length} (a hash not of its fixed size), {@code out_of_range} (an integer wider than its field).
 */
public final class EthMessageException extends MalformedInputException {

  EthMessageException(String kind, String detail) {
    super(kind, detail);
  }
}
