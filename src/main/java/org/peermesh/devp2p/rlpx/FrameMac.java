package org.peermesh.devp2p.rlpx;

import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.peermesh.crypto.Keccak256;

import java.util.Arrays;

/**
 * One direction's frame MAC (ethereum/devp2p rlpx.md): a keccak state running over everything MACed so far, mixed
 * with AES-256-ECB under the mac-secret. For a header: first16(keccak(state.update(aes(mac, first16(digest)) XOR
 * header-ciphertext))); for a body: the state takes the body ciphertext, seed = first16(digest), then
 * first16(digest after update(aes(mac, seed) XOR seed)). Both ends must run it over the same bytes in the same
 * order, so the decoder checks each MAC exactly once, in stream order.
 */
final class FrameMac {

  static final int LENGTH = 16;

  /**
   * The running hash under the construction: keccak-256 in real use; a fixed-output stand-in reproduces
   * go-ethereum's golden frame, which was made with such a fake hash.
   */
  interface RunningHash {

    void update(byte[] bytes);

    /** The hash of everything so far; the state goes on. */
    byte[] digest();
  }

  private final BlockCipher macCipher;
  private final RunningHash hash;

  FrameMac(byte[] macSecret, RunningHash hash) {
    this.macCipher = AESEngine.newInstance();
    this.macCipher.init(true, new KeyParameter(macSecret));
    this.hash = hash;
  }

  /** A MAC over {@code state}, a copy: the caller's keccak state is not advanced. */
  static FrameMac keccak(byte[] macSecret, Keccak256.Running state) {
    Keccak256.Running own = state.copy();
    return new FrameMac(macSecret, new RunningHash() {
      @Override
      public void update(byte[] bytes) {
        own.update(bytes);
      }

      @Override
      public byte[] digest() {
        return own.digest();
      }
    });
  }

  /** The MAC of a 16-byte encrypted header. */
  byte[] header(byte[] headerCiphertext) {
    return mix(hash.digest(), headerCiphertext);
  }

  /** The MAC of an encrypted (padded) frame body. */
  byte[] body(byte[] bodyCiphertext) {
    hash.update(bodyCiphertext);
    byte[] seed = Arrays.copyOf(hash.digest(), LENGTH);
    return mix(seed, seed);
  }

  private byte[] mix(byte[] digest, byte[] seed) {
    byte[] block = new byte[LENGTH];
    macCipher.processBlock(digest, 0, block, 0);
    for (int i = 0; i < LENGTH; i++) {
      block[i] ^= seed[i];
    }
    hash.update(block);
    return Arrays.copyOf(hash.digest(), LENGTH);
  }
}
