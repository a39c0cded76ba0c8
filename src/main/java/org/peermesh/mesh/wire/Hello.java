package org.peermesh.mesh.wire;

import io.vertx.core.buffer.Buffer;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The first message each side sends on a new connection: which mesh it belongs to, its node key,
 * and a fresh nonce that the peer must sign in its {@link Auth}.
 *
 * <pre>
 * networkId       u16 length | UTF-8, at most 255 bytes
 * protocolVersion u16 length | UTF-8, at most 32 bytes ("major.minor")
 * publicKey       33 bytes, compressed secp256k1
 * nonce           32 bytes
 * listenPort      u16, the port the sender accepts connections on
 * </pre>
 */
public record Hello(String networkId, String protocolVersion, byte[] publicKey, byte[] nonce, int listenPort)
    implements WireMessage {

  public static final int MAX_NETWORK_ID_BYTES = 255;
  public static final int MAX_PROTOCOL_VERSION_BYTES = 32;
  public static final int PUBLIC_KEY_BYTES = 33;
  public static final int NONCE_BYTES = 32;

  public Hello {
    Fields.requireUtf8(networkId, "networkId", 0, MAX_NETWORK_ID_BYTES);
    Fields.requireUtf8(protocolVersion, "protocolVersion", 0, MAX_PROTOCOL_VERSION_BYTES);
    publicKey = Fields.requireLength(publicKey, PUBLIC_KEY_BYTES, "publicKey").clone();
    nonce = Fields.requireLength(nonce, NONCE_BYTES, "nonce").clone();
    Fields.requireU16(listenPort, "listenPort");
  }

  static Hello read(BodyReader in) {
    return new Hello(in.string16("networkId"), in.string16("protocolVersion"),
        in.bytes(PUBLIC_KEY_BYTES, "publicKey"), in.bytes(NONCE_BYTES, "nonce"), in.u16("listenPort"));
  }

  @Override
  public byte type() {
    return HELLO;
  }

  @Override
  public void writeBody(Buffer out) {
    byte[] networkIdBytes = Utf8.encode(networkId, "networkId");
    byte[] protocolVersionBytes = Utf8.encode(protocolVersion, "protocolVersion");
    out.appendUnsignedShort(networkIdBytes.length).appendBytes(networkIdBytes)
        .appendUnsignedShort(protocolVersionBytes.length).appendBytes(protocolVersionBytes)
        .appendBytes(publicKey)
        .appendBytes(nonce)
        .appendUnsignedShort(listenPort);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hello other
        && networkId.equals(other.networkId)
        && protocolVersion.equals(other.protocolVersion)
        && Arrays.equals(publicKey, other.publicKey)
        && Arrays.equals(nonce, other.nonce)
        && listenPort == other.listenPort;
  }

  @Override
  public int hashCode() {
    return Objects.hash(networkId, protocolVersion, Arrays.hashCode(publicKey), Arrays.hashCode(nonce), listenPort);
  }

  @Override
  public String toString() {
    HexFormat hex = HexFormat.of();
    return "Hello[networkId=" + networkId + ", protocolVersion=" + protocolVersion
        + ", publicKey=" + hex.formatHex(publicKey) + ", nonce=" + hex.formatHex(nonce)
        + ", listenPort=" + listenPort + "]";
  }
}
