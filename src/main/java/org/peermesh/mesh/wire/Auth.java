package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The second handshake message: proof that the sender holds the private key of the public key in
 * its {@link Hello}, and the sender's node info.
 *
 * <pre>
 * signature 64 bytes, secp256k1 ECDSA r || s (low s) over {@link HandshakeTranscript#challengeHash}
 * nodeInfo  the rest of the frame, a JSON object
 * </pre>
 */
public record Auth(byte[] signature, JsonPayload nodeInfo) implements WireMessage {

  public static final int SIGNATURE_BYTES = 64;

  public Auth {
    signature = Fields.requireLength(signature, SIGNATURE_BYTES, "signature").clone();
    Fields.requireObject(nodeInfo, "nodeInfo");
  }

  static Auth read(BodyReader in) {
    return new Auth(in.bytes(SIGNATURE_BYTES, "signature"), in.restJson("nodeInfo"));
  }

  @Override
  public byte type() {
    return AUTH;
  }

  @Override
  public void writeBody(Buffer out) {
    out.appendBytes(signature);
    nodeInfo.writeTo(out);
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Auth other && Arrays.equals(signature, other.signature) && nodeInfo.equals(other.nodeInfo);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(signature) + nodeInfo.hashCode();
  }

  @Override
  public String toString() {
    return "Auth[signature=" + HexFormat.of().formatHex(signature) + ", nodeInfo=" + nodeInfo + "]";
  }
}
