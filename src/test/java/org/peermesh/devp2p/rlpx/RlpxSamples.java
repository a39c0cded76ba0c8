package org.peermesh.devp2p.rlpx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.peermesh.crypto.Secp256k1;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

/**
 * Fixed RLPx sessions for tests outside this package (the fuzz test and its seeds): the secrets EIP-8's nodes A and
 * B derive for (Auth2, Ack2), so that frames are reproducible byte for byte.
 */
public final class RlpxSamples {

  private RlpxSamples() {
  }

  /** B's side of the EIP-8 session: it receives what {@link #framesFromA} writes. */
  public static RlpxFrameCodec codecOfB(int maxFrameSize) {
    return new RlpxFrameCodec(secretsOfB(), maxFrameSize);
  }

  /** B's secrets of the EIP-8 session, for a codec of B's that frames more than bare frames. */
  public static RlpxSecrets secretsOfB() {
    return RlpxSecrets.recipient(Eip8Vectors.EPHEMERAL_KEY_B,
        Secp256k1.publicKey64(Eip8Vectors.EPHEMERAL_KEY_A), Eip8Vectors.NONCE_A, Eip8Vectors.NONCE_B,
        Eip8Vectors.AUTH_2, Eip8Vectors.ACK_2, Secp256k1.publicKey64(Eip8Vectors.STATIC_KEY_A));
  }

  /** A's side of the EIP-8 session, fresh: the frames it encodes are what B's codecs read next. */
  public static RlpxFrameCodec codecOfA() {
    return new RlpxFrameCodec(RlpxSecrets.initiator(Eip8Vectors.EPHEMERAL_KEY_A,
        Secp256k1.publicKey64(Eip8Vectors.EPHEMERAL_KEY_B), Eip8Vectors.NONCE_A, Eip8Vectors.NONCE_B,
        Eip8Vectors.AUTH_2, Eip8Vectors.ACK_2, Secp256k1.publicKey64(Eip8Vectors.STATIC_KEY_B)),
        RlpxFrameCodec.MAX_FRAME_SIZE);
  }

  /**
   * The first frames A sends in the EIP-8 session: a Hello (uncompressed, as always), then a snappy-compressed
   * Ping, a sub-protocol message and a Disconnect.
   */
  public static byte[] framesFromA() {
    RlpxFrameCodec a = codecOfA();
    byte[] hello = Rlp.encode(RlpList.of(RlpString.of(5), RlpString.of("peermesh/test"),
        RlpList.of(RlpList.of(RlpString.of("eth"), RlpString.of(68))), RlpString.of(0),
        RlpString.of(Secp256k1.publicKey64(Eip8Vectors.STATIC_KEY_A))));
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    stream.writeBytes(a.encode(0x00, hello));
    stream.writeBytes(a.encode(0x02, SnappyCodec.compress(Rlp.encode(RlpList.EMPTY))));
    stream.writeBytes(a.encode(0x10, SnappyCodec.compress("status status status status".getBytes(StandardCharsets.US_ASCII))));
    stream.writeBytes(a.encode(0x01, SnappyCodec.compress(Rlp.encode(RlpList.of(RlpString.of(8))))));
    return stream.toByteArray();
  }
}
