package org.peermesh.crypto;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** devp2p's 64-byte public keys (X || Y): derivation, conversion to and from the compressed form, recovery. */
class Secp256k1PublicKey64Test {

  private static final HexFormat HEX = HexFormat.of();

  /** The generator G (SEC 2, section 2.4.1), the public key of private key 1. */
  private static final String G_X = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
  private static final String G_Y = "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";
  private static final String FIELD_PRIME = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";

  /** EIP-8's static keys A and B (ethereum/EIPs EIPS/eip-8.md, "RLPx Handshake" test vectors). */
  private static final String KEY_A = "49a7b37aa6f6645917e7b807e9d1c00d4fa71f18343b0d4122a4d2df64dd6fee";
  private static final String KEY_B = "b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291";
  /** A's public key: the node id of EIP-8's Hello vector. */
  private static final String PUBLIC_A = "fda1cff674c90c9a197539fe3dfb53086ace64f83ed7c6eabec741f7f381cc80"
      + "3e52ab2cd55d5569bce4347107a310dfd5f88a010cd2ffd1005ca406f1842877";
  /** B's public key: the target of EIP-8's findnode vector. */
  private static final String PUBLIC_B = "ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138"
      + "7574077f301b421bc84df7266c44e9e6d569fc56be00812904767bf5ccd1fc7f";
  /** B's compressed key: the secp256k1 entry of EIP-778's example record (ethereum/devp2p enr.md too). */
  private static final String COMPRESSED_B = "03ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138";
  /**
   * EIP-8's discv4 ping "with version 4, additional list elements", signed with key B: keccak256(sig || type ||
   * data) || sig (r || s || recovery id) || type || data, the signature over keccak256(type || data).
   */
  private static final String PING_SIGNED_BY_B = "e9614ccfd9fc3e74360018522d30e1419a143407ffcce748de3e22116b7e8dc9"
      + "2ff74788c0b6663aaa3d67d641936511c8f8d6ad8698b820a7cf9e1be7155e9a241f556658c55428ec0563514365799a"
      + "4be2be5a685a80971ddcfa80cb422cdd0101ec04cb847f000001820cfa8215a8d790000000000000000000000000000000"
      + "018208ae820d058443b9a3550102";

  @Test
  void derivesThePublishedKeysOfEip8() {
    assertEquals(PUBLIC_A, HEX.formatHex(Secp256k1.publicKey64(HEX.parseHex(KEY_A))));
    assertEquals(PUBLIC_B, HEX.formatHex(Secp256k1.publicKey64(HEX.parseHex(KEY_B))));
    assertEquals(COMPRESSED_B, HEX.formatHex(Secp256k1.compress(HEX.parseHex(PUBLIC_B)).orElseThrow()));
    assertEquals(PUBLIC_B, HEX.formatHex(Secp256k1.toPublicKey64(HEX.parseHex(COMPRESSED_B)).orElseThrow()));
  }

  @Test
  void recoversTheSignerOfEip8sPing() {
    byte[] packet = HEX.parseHex(PING_SIGNED_BY_B);
    int signatureEnd = 32 + 65;
    assertArrayEquals(Arrays.copyOfRange(packet, 0, 32),
        Keccak256.hash(Arrays.copyOfRange(packet, 32, packet.length)));
    byte[] signedHash = Keccak256.hash(Arrays.copyOfRange(packet, signatureEnd, packet.length));
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(packet, 32, 64));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(packet, 64, 96));
    int recoveryId = packet[96];
    assertEquals(PUBLIC_B, HEX.formatHex(Secp256k1.recoverPublicKey64(signedHash, r, s, recoveryId).orElseThrow()));
    assertEquals(COMPRESSED_B, HEX.formatHex(Secp256k1.recoverPublicKey(signedHash, r, s, recoveryId).orElseThrow()));
    assertNotEquals(PUBLIC_B, Secp256k1.recoverPublicKey64(signedHash, r, s, recoveryId ^ 1).map(HEX::formatHex)
        .orElse(""));
  }

  @Test
  void theKeyOfOneIsTheGenerator() {
    assertEquals(G_X + G_Y, HEX.formatHex(Secp256k1.publicKey64(NodeKeyTest.scalar(1))));
  }

  @Test
  void convertsBetweenTheCompressedAndThe64ByteForm() {
    for (int scalar = 1; scalar <= 8; scalar++) {
      byte[] privateKey = NodeKeyTest.scalar(scalar);
      byte[] compressed = Secp256k1.publicKeyOf(privateKey);
      byte[] full = Secp256k1.publicKey64(privateKey);
      assertArrayEquals(full, Secp256k1.toPublicKey64(compressed).orElseThrow());
      assertArrayEquals(compressed, Secp256k1.compress(full).orElseThrow());
      assertTrue(Secp256k1.isValidPublicKey64(full));
    }
    assertArrayEquals(HEX.parseHex("02" + G_X), Secp256k1.compress(HEX.parseHex(G_X + G_Y)).orElseThrow());
  }

  @Test
  void keysOfLargeScalarsKeepTheirLeadingZeroBytes() {
    for (int scalar = 1; scalar <= 300; scalar++) {
      byte[] full = Secp256k1.publicKey64(NodeKeyTest.scalar(NodeKeyTest.N.subtract(BigInteger.valueOf(scalar))));
      assertEquals(Secp256k1.PUBLIC_KEY_64_LENGTH, full.length);
      assertTrue(Secp256k1.isValidPublicKey64(full));
    }
  }

  @Test
  void refusesWhatIsNotAPointOnTheCurve() {
    byte[] generator = HEX.parseHex(G_X + G_Y);
    byte[] offCurve = generator.clone();
    offCurve[63] ^= 1;
    byte[] xTooLarge = HEX.parseHex(FIELD_PRIME + G_Y);
    byte[] zero = new byte[64];
    for (byte[] bad : new byte[][] {offCurve, xTooLarge, zero, Arrays.copyOf(generator, 63),
        Arrays.copyOf(generator, 65), HEX.parseHex("04" + G_X + G_Y), null}) {
      assertFalse(Secp256k1.isValidPublicKey64(bad));
      assertEquals(Optional.empty(), Secp256k1.compress(bad));
    }
    assertEquals(Optional.empty(), Secp256k1.toPublicKey64(HEX.parseHex("02" + FIELD_PRIME)));
    assertEquals(Optional.empty(), Secp256k1.toPublicKey64(HEX.parseHex("04" + G_X)));
    assertEquals(Optional.empty(), Secp256k1.toPublicKey64(null));
  }

  @Test
  void refusesAnInvalidPrivateKey() {
    assertThrows(IllegalArgumentException.class, () -> Secp256k1.publicKey64(new byte[32]));
    assertThrows(IllegalArgumentException.class, () -> Secp256k1.publicKey64(NodeKeyTest.scalar(NodeKeyTest.N)));
  }

  @Test
  void recoversTheSignersKeyIn64Bytes() {
    byte[] privateKey = NodeKeyTest.scalar(BigInteger.valueOf(0x1234567));
    byte[] hash = Keccak256.hash(new byte[] {1, 2, 3});
    Secp256k1.RecoverableSignature signature = Secp256k1.signRecoverable(privateKey, hash, null);
    assertArrayEquals(Secp256k1.publicKey64(privateKey), Secp256k1.recoverPublicKey64(
        hash, signature.r(), signature.s(), signature.recoveryId()).orElseThrow());
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey64(hash, BigInteger.ZERO, signature.s(), 0));
    assertEquals(Optional.empty(), Secp256k1.recoverPublicKey64(hash, signature.r(), signature.s(), 4));
  }
}
