package org.peermesh.antelope.crypto;

import org.peermesh.crypto.Base58;
import org.peermesh.crypto.Secp256k1;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * An Antelope K1 private key: what signs a node's handshakes. Written {@code PVT_K1_...}; the legacy WIF form
 * ({@code 5...}) is read and written too.
 *
 * <p>{@link #toString} shows the public key only, and no exception message quotes key text, so the key cannot end
 * up in a log by accident: only {@link #toSecretString} and {@link #toWif} give it out.
 */
public final class AntelopePrivateKey {

  public static final int LENGTH = Secp256k1.PRIVATE_KEY_LENGTH;

  private static final String PREFIX = "PVT_";
  private static final String K1_PREFIX = PREFIX + KeyType.K1.name() + "_";
  /** WIF: version byte, key, for the compressed form a 0x01 flag, and 4 bytes of double SHA-256. */
  private static final byte WIF_VERSION = (byte) 0x80;
  private static final byte WIF_COMPRESSED_FLAG = 0x01;
  private static final int WIF_CHECKSUM_LENGTH = 4;
  private static final int WIF_LENGTH = 1 + LENGTH + WIF_CHECKSUM_LENGTH;
  private static final int WIF_COMPRESSED_LENGTH = WIF_LENGTH + 1;
  /** Longer than the base58 of the longest WIF (38 bytes need 52 characters). */
  private static final int MAX_WIF_TEXT_LENGTH = 64;
  /**
   * wharfkit passes the attempt number to elliptic.js as a one-byte array. Low s is always canonical in practice
   * and r is about half the time, so 255 attempts all failing has probability about 2^-255.
   */
  private static final int MAX_SIGNING_ATTEMPTS = 255;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;
  private final AntelopePublicKey publicKey;

  private AntelopePrivateKey(byte[] key) {
    // publicKeyOf refuses a key outside [1, n-1].
    this.publicKey = new AntelopePublicKey(KeyType.K1, Secp256k1.publicKeyOf(key));
    this.key = key.clone();
  }

  /** A fresh key from a {@link SecureRandom}. */
  public static AntelopePrivateKey generate() {
    byte[] candidate = new byte[LENGTH];
    do {
      RANDOM.nextBytes(candidate);
    } while (!Secp256k1.isValidPrivateKey(candidate));
    AntelopePrivateKey generated = new AntelopePrivateKey(candidate);
    Arrays.fill(candidate, (byte) 0);
    return generated;
  }

  /**
   * The key written as {@code PVT_K1_...} or as WIF ({@code 0x80 || key [|| 0x01] || checksum} in base58, the
   * checksum the first 4 bytes of double SHA-256).
   *
   * @throws IllegalArgumentException saying what is wrong, never quoting the text
   */
  public static AntelopePrivateKey parse(String text) {
    if (text.startsWith(K1_PREFIX)) {
      return fromBytes(KeyText.decode(text.substring(K1_PREFIX.length()), KeyType.K1.name(), LENGTH));
    }
    if (text.startsWith(PREFIX)) {
      throw new IllegalArgumentException("only K1 private keys (PVT_K1_...) are supported");
    }
    return fromBytes(decodeWif(text));
  }

  /** The {@code PVT_K1_...} form: a secret. */
  public String toSecretString() {
    return KeyText.encode("PVT", KeyType.K1, key);
  }

  /** The legacy WIF form ({@code 5...}, uncompressed flavour, as wharfkit writes it): a secret. */
  public String toWif() {
    byte[] payload = new byte[1 + LENGTH];
    payload[0] = WIF_VERSION;
    System.arraycopy(key, 0, payload, 1, LENGTH);
    byte[] all = Arrays.copyOf(payload, WIF_LENGTH);
    System.arraycopy(wifChecksum(payload), 0, all, payload.length, WIF_CHECKSUM_LENGTH);
    String wif = Base58.encode(all);
    Arrays.fill(payload, (byte) 0);
    Arrays.fill(all, (byte) 0);
    return wif;
  }

  public AntelopePublicKey publicKey() {
    return publicKey;
  }

  /**
   * Signs a 32-byte digest exactly as wharfkit 1.2.0 does (so its signatures are byte-equal to ours): for attempt
   * 1, 2, ... an RFC 6979 signature with the attempt number as one byte of extra data, low-s, until r and s are
   * {@linkplain K1Signatures#isCanonical canonical}, which nodeos requires.
   *
   * @throws IllegalArgumentException unless {@code digest32} is 32 bytes
   */
  public AntelopeSignature signDigest(byte[] digest32) {
    for (int attempt = 1; attempt <= MAX_SIGNING_ATTEMPTS; attempt++) {
      AntelopeSignature signature =
          K1Signatures.encode(Secp256k1.signRecoverable(key, digest32, new byte[] {(byte) attempt}));
      if (K1Signatures.isCanonical(signature)) {
        return signature;
      }
    }
    throw new IllegalStateException("no canonical signature in " + MAX_SIGNING_ATTEMPTS + " attempts");
  }

  @Override
  public String toString() {
    return "AntelopePrivateKey[" + publicKey + "]";
  }

  /** Equal keys are the same key; compared in constant time. */
  @Override
  public boolean equals(Object o) {
    return o instanceof AntelopePrivateKey other && MessageDigest.isEqual(key, other.key);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  private static AntelopePrivateKey fromBytes(byte[] bytes) {
    try {
      return new AntelopePrivateKey(bytes);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static byte[] decodeWif(String text) {
    byte[] all = Base58.decode(text, MAX_WIF_TEXT_LENGTH);
    try {
      if (all.length != WIF_LENGTH && all.length != WIF_COMPRESSED_LENGTH) {
        throw new IllegalArgumentException("not a private key (PVT_K1_... or WIF): " + all.length + " bytes");
      }
      int payloadLength = all.length - WIF_CHECKSUM_LENGTH;
      byte[] payload = Arrays.copyOf(all, payloadLength);
      byte[] checksum = Arrays.copyOfRange(all, payloadLength, all.length);
      boolean valid = MessageDigest.isEqual(wifChecksum(payload), checksum);
      Arrays.fill(payload, (byte) 0);
      if (!valid) {
        throw new IllegalArgumentException("WIF checksum does not match");
      }
      if (all[0] != WIF_VERSION || (all.length == WIF_COMPRESSED_LENGTH && all[1 + LENGTH] != WIF_COMPRESSED_FLAG)) {
        throw new IllegalArgumentException("not a WIF private key: wrong version or flag byte");
      }
      return Arrays.copyOfRange(all, 1, 1 + LENGTH);
    } finally {
      Arrays.fill(all, (byte) 0);
    }
  }

  private static byte[] wifChecksum(byte[] payload) {
    return Arrays.copyOf(Secp256k1.sha256(Secp256k1.sha256(payload)), WIF_CHECKSUM_LENGTH);
  }
}
