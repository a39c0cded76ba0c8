package org.peermesh.bench;

/**
 * What {@code --payload} means, in every scenario that takes it and in lisk-p2p's bench.js alike. The size is that of
 * the data as encoded, because that is what a node moves: PeerMesh carries a message's data as its JSON text, and
 * lisk-p2p encodes data that is not a Buffer as its JSON text too, so a string of ASCII characters is the same data of
 * the same size on both (each adds its own framing around it). A frame of the bare stream baseline carries those
 * bytes as its body.
 */
final class Payload {

  /** The meaning, as {@code bench --list} states it. */
  static final String MEANING = "each message's application data is BYTES bytes as encoded on the wire: a JSON string "
      + "whose encoding, quotes included, is BYTES bytes (default " + BenchOptions.DEFAULT_PAYLOAD + ", at least "
      + "2; a message that carries its send time is never shorter than that stamp, about 30 bytes)";
  /** The quotes alone. */
  static final int MIN_BYTES = 2;

  private Payload() {
  }

  /** The data of one message: a string whose JSON encoding is {@code bytes} long. */
  static String of(int bytes) {
    if (bytes < MIN_BYTES) {
      throw new IllegalArgumentException("a JSON string takes at least " + MIN_BYTES + " bytes, not " + bytes);
    }
    return "a".repeat(bytes - 2);
  }
}
