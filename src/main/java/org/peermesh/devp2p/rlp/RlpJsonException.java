package org.peermesh.devp2p.rlp;

/**
 * JSON that {@link RlpJson} cannot turn into RLP: a value of no RLP meaning, bad hex, or too deep or too large a
 * result. An {@link IllegalArgumentException}, since the JSON comes from a local client's command, not from a peer;
 * the message names where in the value it went wrong ({@code [2][0]: ...}).
 */
public final class RlpJsonException extends IllegalArgumentException {

  RlpJsonException(String path, String detail) {
    super((path.isEmpty() ? "the value" : path) + ": " + detail);
  }
}
