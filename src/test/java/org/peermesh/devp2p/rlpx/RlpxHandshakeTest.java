package org.peermesh.devp2p.rlpx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.peermesh.crypto.Keccak256;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

class RlpxHandshakeTest {

  private static final byte[] FOO = "foo".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PUB_A = Secp256k1.publicKey64(Eip8Vectors.STATIC_KEY_A);
  private static final byte[] PUB_B = Secp256k1.publicKey64(Eip8Vectors.STATIC_KEY_B);

  @Test
  void responderTakesEip8Auth2AndDerivesItsSecrets() {
    RlpxHandshake.Accepted accepted = responderB().onAuth(Eip8Vectors.AUTH_2);
    RlpxSecrets secrets = accepted.secrets();
    assertArrayEquals(PUB_A, secrets.remotePublicKey64());
    assertArrayEquals(Eip8Vectors.AES_SECRET, secrets.aesSecret());
    assertArrayEquals(Eip8Vectors.MAC_SECRET, secrets.macSecret());
    // Our ack differs from Ack2 (ECIES randomness), which only the egress MAC state covers; the ingress one is
    // the published one.
    assertArrayEquals(Eip8Vectors.INGRESS_MAC_FOO, secrets.ingressMac().update(FOO).digest());
    RlpList ack = open(Eip8Vectors.STATIC_KEY_A, accepted.ackPacket());
    assertArrayEquals(Secp256k1.publicKey64(Eip8Vectors.EPHEMERAL_KEY_B), ack.string(0, "eph").bytes());
    assertArrayEquals(Eip8Vectors.NONCE_B, ack.string(1, "nonce").bytes());
    assertEquals(RlpxHandshake.VERSION, ack.string(2, "version").asInt("version"));
  }

  @Test
  void responderTakesEip8Auth3WithVersion56AndExtraElements() {
    RlpxSecrets secrets = responderB().onAuth(Eip8Vectors.AUTH_3).secrets();
    assertArrayEquals(PUB_A, secrets.remotePublicKey64());
    // The same ephemeral keys and nonces as Auth2, so the same secrets.
    assertArrayEquals(Eip8Vectors.AES_SECRET, secrets.aesSecret());
    assertArrayEquals(Eip8Vectors.MAC_SECRET, secrets.macSecret());
  }

  @Test
  void responderTakesThePreEip8Auth1AndAnswersInKind() {
    RlpxHandshake.Accepted accepted = responderB().onAuth(Eip8Vectors.AUTH_1);
    RlpxSecrets secrets = accepted.secrets();
    assertArrayEquals(PUB_A, secrets.remotePublicKey64());
    // Auth1 carries Auth2's keys and nonce: the same aes- and mac-secret.
    assertArrayEquals(Eip8Vectors.AES_SECRET, secrets.aesSecret());
    assertArrayEquals(Eip8Vectors.MAC_SECRET, secrets.macSecret());
    // B's ingress MAC starts from mac-secret XOR B's nonce and the auth exactly as received, 307 bytes.
    byte[] seed = new byte[32];
    for (int i = 0; i < seed.length; i++) {
      seed[i] = (byte) (Eip8Vectors.MAC_SECRET[i] ^ Eip8Vectors.NONCE_B[i]);
    }
    assertArrayEquals(new Keccak256.Running().update(seed).update(Eip8Vectors.AUTH_1).update(FOO).digest(),
        secrets.ingressMac().update(FOO).digest());
    // The ack is pre-EIP-8 too, as geth answers one: no prefix, 210 bytes, and the plaintext of EIP-8's Ack1.
    byte[] ack = accepted.ackPacket();
    assertEquals(Eip8Vectors.ACK_1.length, ack.length);
    assertArrayEquals(Ecies.decrypt(Eip8Vectors.STATIC_KEY_A, Eip8Vectors.ACK_1, new byte[0]),
        Ecies.decrypt(Eip8Vectors.STATIC_KEY_A, ack, new byte[0]));
  }

  @Test
  void aPreEip8AuthThatDoesNotDecryptIsRefused() {
    byte[] altered = Eip8Vectors.AUTH_1.clone();
    altered[200] ^= 1;
    // Not a plain auth, so read as EIP-8, whose prefix 0x048c says 1164 bytes follow, not 305.
    assertEquals("bad_size", assertThrows(RlpxException.class, () -> responderB().onAuth(altered)).kind());
    RlpxHandshake.Responder wrongRecipient =
        RlpxHandshake.responder(Eip8Vectors.STATIC_KEY_A, new SecureRandom());
    assertEquals("bad_size",
        assertThrows(RlpxException.class, () -> wrongRecipient.onAuth(Eip8Vectors.AUTH_1)).kind());
  }

  @Test
  void authReaderTakesAPreEip8AuthAndKeepsTheFrameBehindIt() {
    byte[] frame = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};
    byte[] stream = Arrays.copyOf(Eip8Vectors.AUTH_1, Eip8Vectors.AUTH_1.length + frame.length);
    System.arraycopy(frame, 0, stream, Eip8Vectors.AUTH_1.length, frame.length);
    for (int split = 0; split <= stream.length; split++) {
      HandshakePacketReader reader = HandshakePacketReader.forAuth(Eip8Vectors.STATIC_KEY_B);
      Optional<byte[]> first = reader.feed(Arrays.copyOf(stream, split));
      assertEquals(split >= Eip8Vectors.AUTH_1.length, first.isPresent(), "split " + split);
      Optional<byte[]> packet = first.isPresent() ? first
          : reader.feed(Arrays.copyOfRange(stream, split, stream.length));
      assertArrayEquals(Eip8Vectors.AUTH_1, packet.orElseThrow(), "split " + split);
      byte[] expectedRest = split >= Eip8Vectors.AUTH_1.length
          ? Arrays.copyOfRange(stream, Eip8Vectors.AUTH_1.length, split) : frame;
      assertArrayEquals(expectedRest, reader.remainder(), "split " + split);
    }
  }

  @Test
  void authReaderStillReadsEip8AuthsWhateverTheirFirstByte() {
    // Auth2 starts 0x01: EIP-8 at once. Auth2's body padded to 1100 bytes starts 0x04, like a plain auth, and is
    // read whole all the same.
    byte[] body = Ecies.decrypt(Eip8Vectors.STATIC_KEY_B, Arrays.copyOfRange(Eip8Vectors.AUTH_2, 2,
        Eip8Vectors.AUTH_2.length), Arrays.copyOf(Eip8Vectors.AUTH_2, 2));
    byte[] big = sealPadded(Arrays.copyOf(body, 1100 - Ecies.OVERHEAD));
    assertEquals(0x04, big[0]);
    byte[] frames = {1, 2, 3};
    for (byte[] auth : new byte[][] {Eip8Vectors.AUTH_2, Eip8Vectors.AUTH_3, big}) {
      HandshakePacketReader reader = HandshakePacketReader.forAuth(Eip8Vectors.STATIC_KEY_B);
      for (int i = 0; i < auth.length - 1; i++) {
        assertEquals(Optional.empty(), reader.feed(new byte[] {auth[i]}), "byte " + i);
      }
      byte[] last = Arrays.copyOf(new byte[] {auth[auth.length - 1]}, 1 + frames.length);
      System.arraycopy(frames, 0, last, 1, frames.length);
      assertArrayEquals(auth, reader.feed(last).orElseThrow());
      assertArrayEquals(frames, reader.remainder());
    }
    RlpxHandshake.Accepted accepted = responderB().onAuth(big);
    assertArrayEquals(Eip8Vectors.AES_SECRET, accepted.secrets().aesSecret());
    assertTrue(accepted.ackPacket().length > RlpxHandshake.LEGACY_AUTH_LENGTH, "an EIP-8 auth gets an EIP-8 ack");
  }

  @Test
  void authReaderRefusesGarbageOf307Bytes() {
    // Garbage that starts like ECIES is no plain auth; read as EIP-8 it waits for 0x04ff bytes, and the responder
    // refuses it whole.
    byte[] garbage = new byte[RlpxHandshake.LEGACY_AUTH_LENGTH];
    new SecureRandom().nextBytes(garbage);
    garbage[0] = 0x04;
    garbage[1] = (byte) 0xff;
    HandshakePacketReader reader = HandshakePacketReader.forAuth(Eip8Vectors.STATIC_KEY_B);
    assertEquals(Optional.empty(), reader.feed(garbage));
    assertEquals("bad_size", assertThrows(RlpxException.class, () -> responderB().onAuth(garbage)).kind());
    // Garbage of any other first byte is judged by its prefix at once, before the rest is collected.
    garbage[0] = 0x09;
    assertEquals("too_large", assertThrows(RlpxException.class,
        () -> HandshakePacketReader.forAuth(Eip8Vectors.STATIC_KEY_B).feed(garbage)).kind());
    assertEquals("too_large", assertThrows(RlpxException.class,
        () -> HandshakePacketReader.forAuth(Eip8Vectors.STATIC_KEY_B).feed(new byte[] {0x09, 0x00})).kind());
  }

  @Test
  void theAckReaderTakesNoPreEip8Packet() {
    // The initiator's reader is EIP-8's alone: Auth1's first bytes are a size of 1164, so it waits for more.
    assertEquals(Optional.empty(), new HandshakePacketReader().feed(Eip8Vectors.AUTH_1));
  }

  @Test
  void initiatorTakesEip8Ack2AndAck3() {
    for (byte[] ack : new byte[][] {Eip8Vectors.ACK_2, Eip8Vectors.ACK_3}) {
      RlpxSecrets secrets = initiatorA().onAck(ack);
      assertArrayEquals(PUB_B, secrets.remotePublicKey64());
      assertArrayEquals(Eip8Vectors.AES_SECRET, secrets.aesSecret());
      assertArrayEquals(Eip8Vectors.MAC_SECRET, secrets.macSecret());
    }
  }

  @Test
  void initiatorAuthSignsWithItsEphemeralKey() {
    // B recovers A's ephemeral key from the signature: with EIP-8's ephemeral keys and nonces on both sides, the
    // secrets are EIP-8's. (The signature bytes themselves differ from Auth2's: EIP-8's signer did not use RFC 6979.)
    byte[] auth = initiatorA().firstMessage();
    RlpList body = open(Eip8Vectors.STATIC_KEY_B, auth);
    assertArrayEquals(PUB_A, body.string(1, "pub").bytes());
    assertArrayEquals(Eip8Vectors.NONCE_A, body.string(2, "nonce").bytes());
    assertEquals(RlpxHandshake.VERSION, body.string(3, "version").asInt("version"));
    RlpxSecrets secrets = responderB().onAuth(auth).secrets();
    assertArrayEquals(Eip8Vectors.AES_SECRET, secrets.aesSecret());
    assertArrayEquals(Eip8Vectors.MAC_SECRET, secrets.macSecret());
  }

  @Test
  void fullExchangeYieldsMirroredSecrets() {
    SecureRandom random = new SecureRandom();
    RlpxHandshake.Initiator initiator = RlpxHandshake.initiator(Eip8Vectors.STATIC_KEY_A, PUB_B, random);
    byte[] auth = initiator.firstMessage();
    assertTrue(auth.length <= 2 + HandshakePacketReader.MAX_SIZE);
    RlpxHandshake.Accepted accepted = RlpxHandshake.responder(Eip8Vectors.STATIC_KEY_B, random).onAuth(auth);
    RlpxSecrets initiatorSecrets = initiator.onAck(accepted.ackPacket());
    RlpxSecrets responderSecrets = accepted.secrets();
    assertArrayEquals(PUB_B, initiatorSecrets.remotePublicKey64());
    assertArrayEquals(PUB_A, responderSecrets.remotePublicKey64());
    assertArrayEquals(initiatorSecrets.aesSecret(), responderSecrets.aesSecret());
    assertArrayEquals(initiatorSecrets.macSecret(), responderSecrets.macSecret());
    assertArrayEquals(initiatorSecrets.egressMac().update(FOO).digest(),
        responderSecrets.ingressMac().update(FOO).digest());
    assertArrayEquals(initiatorSecrets.ingressMac().update(FOO).digest(),
        responderSecrets.egressMac().update(FOO).digest());
  }

  @Test
  void readerCollectsPacketsFedByteAtATime() {
    for (byte[] packet : new byte[][] {Eip8Vectors.AUTH_2, Eip8Vectors.ACK_3}) {
      HandshakePacketReader reader = new HandshakePacketReader();
      for (int i = 0; i < packet.length - 1; i++) {
        assertEquals(Optional.empty(), reader.feed(new byte[] {packet[i]}));
      }
      assertArrayEquals(packet, reader.feed(new byte[] {packet[packet.length - 1]}).orElseThrow());
      assertArrayEquals(new byte[0], reader.remainder());
    }
  }

  @Test
  void readerKeepsTheBytesAfterACoalescedPacket() {
    byte[] frames = {1, 2, 3, 4, 5};
    byte[] stream = Arrays.copyOf(Eip8Vectors.ACK_2, Eip8Vectors.ACK_2.length + frames.length);
    System.arraycopy(frames, 0, stream, Eip8Vectors.ACK_2.length, frames.length);
    for (int split = 0; split <= stream.length; split++) {
      HandshakePacketReader reader = new HandshakePacketReader();
      Optional<byte[]> first = reader.feed(Arrays.copyOf(stream, split));
      Optional<byte[]> packet = first.isPresent() ? first : reader.feed(Arrays.copyOfRange(stream, split,
          stream.length));
      assertArrayEquals(Eip8Vectors.ACK_2, packet.orElseThrow(), "split " + split);
      byte[] expectedRest = split >= Eip8Vectors.ACK_2.length
          ? Arrays.copyOfRange(stream, Eip8Vectors.ACK_2.length, split) : frames;
      assertArrayEquals(expectedRest, reader.remainder(), "split " + split);
      assertThrows(IllegalStateException.class, () -> reader.feed(new byte[1]));
    }
    RlpxSecrets secrets = initiatorA().onAck(Eip8Vectors.ACK_2);
    assertArrayEquals(Eip8Vectors.AES_SECRET, secrets.aesSecret());
  }

  @Test
  void sizesOutsideTheBoundsAreRefusedFromThePrefix() {
    assertEquals("too_large", assertThrows(RlpxException.class,
        () -> new HandshakePacketReader().feed(new byte[] {0x08, 0x01})).kind());
    assertEquals("bad_size", assertThrows(RlpxException.class,
        () -> new HandshakePacketReader().feed(new byte[] {0x00, 0x10})).kind());
    HandshakePacketReader reader = new HandshakePacketReader();
    reader.feed(new byte[] {(byte) 0xff});
    assertEquals("too_large", assertThrows(RlpxException.class, () -> reader.feed(new byte[] {0x00})).kind());
    byte[] oversized = new byte[2 + 2049];
    oversized[0] = 0x08;
    oversized[1] = 0x01;
    assertEquals("too_large", assertThrows(RlpxException.class, () -> responderB().onAuth(oversized)).kind());
  }

  @Test
  void packetsWhoseLengthDisagreesWithThePrefixAreRefused() {
    for (int length = 0; length < Eip8Vectors.AUTH_2.length; length++) {
      byte[] cut = Arrays.copyOf(Eip8Vectors.AUTH_2, length);
      assertEquals("bad_size", assertThrows(RlpxException.class, () -> responderB().onAuth(cut)).kind(),
          "length " + length);
    }
    byte[] longer = Arrays.copyOf(Eip8Vectors.AUTH_2, Eip8Vectors.AUTH_2.length + 1);
    assertEquals("bad_size", assertThrows(RlpxException.class, () -> responderB().onAuth(longer)).kind());
  }

  @Test
  void alteredPacketsAndWrongRecipientsAreRefused() {
    byte[] altered = Eip8Vectors.AUTH_2.clone();
    altered[100] ^= 1;
    assertEquals("bad_ecies", assertThrows(RlpxException.class, () -> responderB().onAuth(altered)).kind());
    RlpxHandshake.Responder wrongRecipient =
        RlpxHandshake.responder(Eip8Vectors.STATIC_KEY_A, new SecureRandom());
    assertEquals("bad_ecies",
        assertThrows(RlpxException.class, () -> wrongRecipient.onAuth(Eip8Vectors.AUTH_2)).kind());
  }

  @Test
  void bodiesOfTheWrongShapeAreRefused() {
    byte[] notRlp = new byte[150];
    Arrays.fill(notRlp, (byte) 0xff);
    assertEquals("bad_handshake",
        assertThrows(RlpxException.class, () -> responderB().onAuth(seal(notRlp))).kind());
    byte[] shortNonce = Rlp.encode(RlpList.of(RlpString.of(Eip8Vectors.AUTH_SIGNATURE),
        RlpString.of(PUB_A), RlpString.of(new byte[31])));
    assertEquals("bad_handshake",
        assertThrows(RlpxException.class, () -> responderB().onAuth(seal(shortNonce))).kind());
    byte[] missingNonce = Rlp.encode(RlpList.of(RlpString.of(Eip8Vectors.AUTH_SIGNATURE),
        RlpString.of(PUB_A)));
    assertEquals("bad_handshake",
        assertThrows(RlpxException.class, () -> responderB().onAuth(seal(missingNonce))).kind());
  }

  @Test
  void eachSideTakesOnePacket() {
    RlpxHandshake.Responder responder = responderB();
    responder.onAuth(Eip8Vectors.AUTH_2);
    assertThrows(IllegalStateException.class, () -> responder.onAuth(Eip8Vectors.AUTH_2));
    RlpxHandshake.Initiator initiator = initiatorA();
    initiator.onAck(Eip8Vectors.ACK_2);
    assertThrows(IllegalStateException.class, () -> initiator.onAck(Eip8Vectors.ACK_2));
  }

  /** An auth packet to B around {@code body}, padded as EIP-8 asks. */
  private static byte[] seal(byte[] body) {
    byte[] padded = Arrays.copyOf(body, body.length + 100);
    int size = padded.length + Ecies.OVERHEAD;
    byte[] prefix = {(byte) (size >>> 8), (byte) size};
    byte[] ciphertext = Ecies.encrypt(PUB_B, padded, prefix, new SecureRandom());
    byte[] packet = Arrays.copyOf(prefix, 2 + ciphertext.length);
    System.arraycopy(ciphertext, 0, packet, 2, ciphertext.length);
    return packet;
  }

  /** An EIP-8 auth packet to B around {@code padded}, as is. */
  private static byte[] sealPadded(byte[] padded) {
    int size = padded.length + Ecies.OVERHEAD;
    byte[] prefix = {(byte) (size >>> 8), (byte) size};
    byte[] ciphertext = Ecies.encrypt(PUB_B, padded, prefix, new SecureRandom());
    byte[] packet = Arrays.copyOf(prefix, 2 + ciphertext.length);
    System.arraycopy(ciphertext, 0, packet, 2, ciphertext.length);
    return packet;
  }

  private static RlpList open(byte[] privateKey, byte[] packet) {
    byte[] plaintext = Ecies.decrypt(privateKey, Arrays.copyOfRange(packet, 2, packet.length),
        Arrays.copyOf(packet, 2));
    return Rlp.decodePrefix(plaintext, 0).item().list("body");
  }

  private static RlpxHandshake.Initiator initiatorA() {
    return RlpxHandshake.initiator(Eip8Vectors.STATIC_KEY_A, PUB_B, new SecureRandom(), Eip8Vectors.EPHEMERAL_KEY_A,
        Eip8Vectors.NONCE_A);
  }

  private static RlpxHandshake.Responder responderB() {
    return RlpxHandshake.responder(Eip8Vectors.STATIC_KEY_B, new SecureRandom(), Eip8Vectors.EPHEMERAL_KEY_B,
        Eip8Vectors.NONCE_B);
  }
}
