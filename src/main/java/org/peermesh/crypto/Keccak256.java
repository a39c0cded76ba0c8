package org.peermesh.crypto;

import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not FIPS 202 SHA3-256 (0x06), which gives
 * other digests for the same input. devp2p hashes with it everywhere: node ids, discv4 packets, ENR signatures and the
 * RLPx secrets and MACs.
 */
public final class Keccak256 {

  public static final int DIGEST_LENGTH = 32;
  private static final int BITS = 256;

  private Keccak256() {
  }

  /** Keccak-256 of the concatenation of {@code parts}, without building the concatenation. */
  public static byte[] hash(byte[]... parts) {
    Running running = new Running();
    for (byte[] part : parts) {
      running.update(part);
    }
    return running.digest();
  }

  /**
   * A Keccak-256 state that keeps absorbing after each digest: RLPx's ingress and egress MACs are such states, fed
   * every frame of a session and read after each update. Not thread-safe; one per direction of a connection.
   */
  public static final class Running {

    private final KeccakDigest state;

    /** The state of the empty input. */
    public Running() {
      this.state = new KeccakDigest(BITS);
    }

    private Running(KeccakDigest state) {
      this.state = state;
    }

    /** Absorbs {@code bytes}; returns this state for chaining. */
    public Running update(byte[] bytes) {
      state.update(bytes, 0, bytes.length);
      return this;
    }

    /** Absorbs {@code length} bytes of {@code bytes} from {@code offset}; returns this state for chaining. */
    public Running update(byte[] bytes, int offset, int length) {
      state.update(bytes, offset, length);
      return this;
    }

    /** The hash of everything absorbed so far; the state goes on unchanged (the digest is taken of a snapshot). */
    public byte[] digest() {
      KeccakDigest snapshot = new KeccakDigest(state);
      byte[] out = new byte[DIGEST_LENGTH];
      snapshot.doFinal(out, 0);
      return out;
    }

    /** An independent state that has absorbed the same bytes. */
    public Running copy() {
      return new Running(new KeccakDigest(state));
    }
  }
}
