package org.peermesh.devp2p.rlpx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.peermesh.crypto.Keccak256;
import org.peermesh.crypto.Secp256k1;

class RlpxSecretsTest {

  private static final byte[] FOO = "foo".getBytes(StandardCharsets.US_ASCII);

  @Test
  void recipientDerivesEip8Secrets() {
    // EIP-8 (and go-ethereum TestHandshakeForwardCompatibility): B's secrets for (Auth2, Ack2).
    RlpxSecrets b = recipientB();
    assertArrayEquals(Eip8Vectors.AES_SECRET, b.aesSecret());
    assertArrayEquals(Eip8Vectors.MAC_SECRET, b.macSecret());
    assertArrayEquals(Eip8Vectors.INGRESS_MAC_FOO, b.ingressMac().update(FOO).digest());
    assertArrayEquals(Secp256k1.publicKey64(Eip8Vectors.STATIC_KEY_A), b.remotePublicKey64());
  }

  @Test
  void initiatorMirrorsTheRecipient() {
    RlpxSecrets a = RlpxSecrets.initiator(Eip8Vectors.EPHEMERAL_KEY_A,
        Secp256k1.publicKey64(Eip8Vectors.EPHEMERAL_KEY_B), Eip8Vectors.NONCE_A, Eip8Vectors.NONCE_B,
        Eip8Vectors.AUTH_2, Eip8Vectors.ACK_2, Secp256k1.publicKey64(Eip8Vectors.STATIC_KEY_B));
    RlpxSecrets b = recipientB();
    assertArrayEquals(Eip8Vectors.AES_SECRET, a.aesSecret());
    assertArrayEquals(Eip8Vectors.MAC_SECRET, a.macSecret());
    // What A sends, B receives: A's egress state is B's ingress state.
    assertArrayEquals(Eip8Vectors.INGRESS_MAC_FOO, a.egressMac().update(FOO).digest());
    assertArrayEquals(b.egressMac().update(FOO).digest(), a.ingressMac().update(FOO).digest());
  }

  @Test
  void macStatesAreCopiedOut() {
    RlpxSecrets b = recipientB();
    Keccak256.Running ingress = b.ingressMac();
    ingress.update(FOO);
    ingress.update(FOO);
    assertArrayEquals(Eip8Vectors.INGRESS_MAC_FOO, b.ingressMac().update(FOO).digest());
    byte[] aes = b.aesSecret();
    aes[0] ^= 1;
    assertArrayEquals(Eip8Vectors.AES_SECRET, b.aesSecret());
  }

  private static RlpxSecrets recipientB() {
    return RlpxSecrets.recipient(Eip8Vectors.EPHEMERAL_KEY_B, Secp256k1.publicKey64(Eip8Vectors.EPHEMERAL_KEY_A),
        Eip8Vectors.NONCE_A, Eip8Vectors.NONCE_B, Eip8Vectors.AUTH_2, Eip8Vectors.ACK_2,
        Secp256k1.publicKey64(Eip8Vectors.STATIC_KEY_A));
  }
}
