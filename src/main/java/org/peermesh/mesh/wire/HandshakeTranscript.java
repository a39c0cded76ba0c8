package org.peermesh.mesh.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * What a node signs in its {@link Auth}. The verifier's fresh nonce makes the signature unusable
 * on any other connection; both public keys and the network id bind it to this pair of nodes on
 * this network, so it cannot be relayed to a third node either.
 */
public final class HandshakeTranscript {

  /** Separates these hashes from any other SHA-256 a node key might sign. */
  private static final byte[] DOMAIN = "peermesh/handshake/v1".getBytes(StandardCharsets.US_ASCII);

  private HandshakeTranscript() {
  }

  /**
   * SHA-256 of {@code "peermesh/handshake/v1" || u16 length || networkId (UTF-8) || verifierNonce ||
   * signerNonce || signerPublicKey || verifierPublicKey}. The signer is the side writing the Auth;
   * the verifier is the side that sent {@code verifierNonce} in its Hello.
   *
   * @throws IllegalArgumentException if a nonce is not 32 bytes, a key not 33, or networkId is not
   *     valid for a {@link Hello}
   */
  public static byte[] challengeHash(String networkId, byte[] verifierNonce, byte[] signerNonce,
      byte[] signerPublicKey, byte[] verifierPublicKey) {
    Fields.requireUtf8(networkId, "networkId", 0, Hello.MAX_NETWORK_ID_BYTES);
    // Every other field has a fixed length, which is what makes the concatenation unambiguous.
    Fields.requireLength(verifierNonce, Hello.NONCE_BYTES, "verifierNonce");
    Fields.requireLength(signerNonce, Hello.NONCE_BYTES, "signerNonce");
    Fields.requireLength(signerPublicKey, Hello.PUBLIC_KEY_BYTES, "signerPublicKey");
    Fields.requireLength(verifierPublicKey, Hello.PUBLIC_KEY_BYTES, "verifierPublicKey");

    byte[] networkIdBytes = Utf8.encode(networkId, "networkId");
    MessageDigest sha256 = sha256();
    sha256.update(DOMAIN);
    sha256.update((byte) (networkIdBytes.length >>> 8));
    sha256.update((byte) networkIdBytes.length);
    sha256.update(networkIdBytes);
    sha256.update(verifierNonce);
    sha256.update(signerNonce);
    sha256.update(signerPublicKey);
    sha256.update(verifierPublicKey);
    return sha256.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
