package org.peermesh.devp2p.rlpx;

import org.bouncycastle.crypto.StreamCipher;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.peermesh.crypto.Secp256k1;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The ECIES of RLPx's handshake (ethereum/devp2p rlpx.md): {@code R || iv || c || d} where R = rG is a fresh
 * ephemeral key (65 bytes, uncompressed), k = ConcatKDF-SHA256((rK).x), c = AES-128-CTR(k[0:16], iv, m) and
 * d = HMAC-SHA256(SHA256(k[16:32]), iv || c || authData). BouncyCastle's IESEngine lays out its KDF and MAC
 * differently, hence this composition of primitives.
 */
public final class Ecies {

  private static final int EPHEMERAL_KEY_LENGTH = 65;
  private static final int IV_LENGTH = 16;
  private static final int MAC_LENGTH = 32;
  private static final int CIPHER_KEY_LENGTH = 16;
  private static final byte UNCOMPRESSED_PREFIX = 0x04;
  /** ConcatKDF's 32-bit big-endian counter for its first (and, for 32 bytes of key, only) block. */
  private static final byte[] KDF_FIRST_COUNTER = {0, 0, 0, 1};

  /** Bytes a ciphertext has beyond its plaintext: R, the IV and the MAC. */
  public static final int OVERHEAD = EPHEMERAL_KEY_LENGTH + IV_LENGTH + MAC_LENGTH;

  private Ecies() {
  }

  /**
   * Encrypts {@code plaintext} to the holder of {@code remotePub64}, authenticating {@code sharedMacData} with it.
   *
   * @throws IllegalArgumentException if {@code remotePub64} is not a point on the curve
   */
  public static byte[] encrypt(byte[] remotePub64, byte[] plaintext, byte[] sharedMacData, SecureRandom random) {
    byte[] iv = new byte[IV_LENGTH];
    random.nextBytes(iv);
    return encrypt(remotePub64, plaintext, sharedMacData, randomPrivateKey(random), iv);
  }

  /**
   * {@link #encrypt(byte[], byte[], byte[], SecureRandom)} with the ephemeral key and IV given, so that a test
   * reproduces a ciphertext; never reuse either for real traffic.
   */
  static byte[] encrypt(byte[] remotePub64, byte[] plaintext, byte[] sharedMacData, byte[] ephemeralPrivateKey32,
                        byte[] iv16) {
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(sharedMacData, "sharedMacData");
    if (iv16.length != IV_LENGTH) {
      throw new IllegalArgumentException("the IV is " + IV_LENGTH + " bytes");
    }
    byte[] shared = Ecdh.sharedX(ephemeralPrivateKey32, remotePub64)
        .orElseThrow(() -> new IllegalArgumentException("the remote public key is not a point of secp256k1"));
    byte[] key = concatKdf(shared);
    byte[] out = new byte[OVERHEAD + plaintext.length];
    out[0] = UNCOMPRESSED_PREFIX;
    System.arraycopy(Secp256k1.publicKey64(ephemeralPrivateKey32), 0, out, 1, Ecdh.PUBLIC_KEY_LENGTH);
    System.arraycopy(iv16, 0, out, EPHEMERAL_KEY_LENGTH, IV_LENGTH);
    int cipherStart = EPHEMERAL_KEY_LENGTH + IV_LENGTH;
    aesCtr(key, iv16).processBytes(plaintext, 0, plaintext.length, out, cipherStart);
    byte[] mac = mac(key, out, EPHEMERAL_KEY_LENGTH, IV_LENGTH + plaintext.length, sharedMacData);
    System.arraycopy(mac, 0, out, cipherStart + plaintext.length, MAC_LENGTH);
    return out;
  }

  /**
   * The plaintext of {@code ciphertext}, addressed to the holder of {@code privateKey32}, whose MAC also covers
   * {@code sharedMacData}. The MAC is checked, in constant time, before anything is decrypted.
   *
   * @throws RlpxException {@code bad_ecies} if it is shorter than {@link #OVERHEAD}, R is not an uncompressed point
   *     on the curve, or the MAC does not hold
   */
  public static byte[] decrypt(byte[] privateKey32, byte[] ciphertext, byte[] sharedMacData) {
    if (ciphertext.length < OVERHEAD) {
      throw new RlpxException("bad_ecies",
          "ECIES ciphertext of " + ciphertext.length + " bytes, shorter than its " + OVERHEAD + " bytes overhead");
    }
    if (ciphertext[0] != UNCOMPRESSED_PREFIX) {
      throw new RlpxException("bad_ecies", "ECIES ephemeral key is not an uncompressed point");
    }
    byte[] ephemeral = Arrays.copyOfRange(ciphertext, 1, EPHEMERAL_KEY_LENGTH);
    byte[] shared = Ecdh.sharedX(privateKey32, ephemeral)
        .orElseThrow(() -> new RlpxException("bad_ecies", "ECIES ephemeral key is not a point of secp256k1"));
    byte[] key = concatKdf(shared);
    int macStart = ciphertext.length - MAC_LENGTH;
    byte[] expected = mac(key, ciphertext, EPHEMERAL_KEY_LENGTH, macStart - EPHEMERAL_KEY_LENGTH, sharedMacData);
    if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(ciphertext, macStart, ciphertext.length))) {
      throw new RlpxException("bad_ecies", "ECIES MAC does not match: wrong key or altered message");
    }
    byte[] iv = Arrays.copyOfRange(ciphertext, EPHEMERAL_KEY_LENGTH, EPHEMERAL_KEY_LENGTH + IV_LENGTH);
    int cipherStart = EPHEMERAL_KEY_LENGTH + IV_LENGTH;
    byte[] plaintext = new byte[macStart - cipherStart];
    aesCtr(key, iv).processBytes(ciphertext, cipherStart, plaintext.length, plaintext, 0);
    return plaintext;
  }

  /** NIST SP 800-56 ConcatKDF with SHA-256 and no other info, for 32 bytes of key: SHA256(00000001 || z). */
  static byte[] concatKdf(byte[] sharedSecret) {
    return Secp256k1.sha256(KDF_FIRST_COUNTER, sharedSecret);
  }

  private static StreamCipher aesCtr(byte[] key, byte[] iv) {
    StreamCipher cipher = SICBlockCipher.newInstance(AESEngine.newInstance());
    cipher.init(true, new ParametersWithIV(new KeyParameter(key, 0, CIPHER_KEY_LENGTH), iv));
    return cipher;
  }

  /** HMAC-SHA256 keyed with SHA256(k[16:32]) over {@code iv || c} (given as a range) then {@code authData}. */
  private static byte[] mac(byte[] key, byte[] bytes, int offset, int length, byte[] authData) {
    byte[] macKey = Secp256k1.sha256(Arrays.copyOfRange(key, CIPHER_KEY_LENGTH, key.length));
    HMac hmac = new HMac(new SHA256Digest());
    hmac.init(new KeyParameter(macKey));
    hmac.update(bytes, offset, length);
    hmac.update(authData, 0, authData.length);
    byte[] out = new byte[MAC_LENGTH];
    hmac.doFinal(out, 0);
    return out;
  }

  /** A uniformly random valid private key: 32 random bytes, drawn again in the rare case they are 0 or &gt;= n. */
  static byte[] randomPrivateKey(SecureRandom random) {
    byte[] key = new byte[Secp256k1.PRIVATE_KEY_LENGTH];
    do {
      random.nextBytes(key);
    } while (!Secp256k1.isValidPrivateKey(key));
    return key;
  }
}
