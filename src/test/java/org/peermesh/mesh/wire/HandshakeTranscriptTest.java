package org.peermesh.mesh.wire;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The published vector is checked in {@link WireVectorsTest}; these check what the hash binds. */
class HandshakeTranscriptTest {

  private static final byte[] KEY_A = WireVectorsTest.KEY_A;
  private static final byte[] KEY_B = WireVectorsTest.KEY_B;
  private static final byte[] NONCE_A = WireVectorsTest.NONCE_A;
  private static final byte[] NONCE_B = WireVectorsTest.NONCE_B;

  @Test
  void isA32ByteDeterministicHash() {
    byte[] hash = HandshakeTranscript.challengeHash("net", NONCE_B, NONCE_A, KEY_A, KEY_B);
    assertEquals(32, hash.length);
    assertArrayEquals(hash, HandshakeTranscript.challengeHash("net", NONCE_B, NONCE_A, KEY_A, KEY_B));
  }

  @Test
  void bindsNetworkRolesNoncesAndKeys() {
    byte[] aToB = HandshakeTranscript.challengeHash("net", NONCE_B, NONCE_A, KEY_A, KEY_B);
    assertDiffers(aToB, HandshakeTranscript.challengeHash("net2", NONCE_B, NONCE_A, KEY_A, KEY_B));
    assertDiffers(aToB, HandshakeTranscript.challengeHash("net", NONCE_A, NONCE_B, KEY_B, KEY_A)); // B's own hash
    assertDiffers(aToB, HandshakeTranscript.challengeHash("net", NONCE_A, NONCE_B, KEY_A, KEY_B));
    assertDiffers(aToB, HandshakeTranscript.challengeHash("net", NONCE_B, NONCE_A, KEY_B, KEY_A));
  }

  @Test
  void rejectsFieldsOfTheWrongLength() {
    assertThrows(IllegalArgumentException.class,
        () -> HandshakeTranscript.challengeHash("net", new byte[31], NONCE_A, KEY_A, KEY_B));
    assertThrows(IllegalArgumentException.class,
        () -> HandshakeTranscript.challengeHash("net", NONCE_B, new byte[33], KEY_A, KEY_B));
    assertThrows(IllegalArgumentException.class,
        () -> HandshakeTranscript.challengeHash("net", NONCE_B, NONCE_A, new byte[32], KEY_B));
    assertThrows(IllegalArgumentException.class,
        () -> HandshakeTranscript.challengeHash("net", NONCE_B, NONCE_A, KEY_A, new byte[65]));
    assertThrows(IllegalArgumentException.class,
        () -> HandshakeTranscript.challengeHash("n".repeat(256), NONCE_B, NONCE_A, KEY_A, KEY_B));
  }

  private static void assertDiffers(byte[] expected, byte[] actual) {
    assertFalse(Arrays.equals(expected, actual));
  }
}
