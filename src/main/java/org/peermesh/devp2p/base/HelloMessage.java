package org.peermesh.devp2p.base;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpItem;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

/**
 * Hello (code 0x00), the first message each side sends on an RLPx session: {@code [protocolVersion, clientId,
 * [[capName, capVersion], ...], listenPort, nodeId64, ...]}. The protocol version decides snappy (5 and up, EIP-706);
 * the capabilities decide which sub-protocols run ({@link CapabilityNegotiation}); the node id must be the key the
 * RLPx handshake proved ({@link HelloCheck}).
 *
 * <p>Reading is lenient where EIP-8 asks it to be: list elements after the node id (in the Hello and in each
 * capability) and bytes after the list are ignored, so that newer peers can extend the message. The client id and
 * capability names are text only to humans, and go-ethereum takes any bytes for them, so bytes that are not UTF-8
 * are read with replacement characters instead of refusing the peer.
 *
 * @param protocolVersion the base protocol's version; we send {@link #PROTOCOL_VERSION}
 * @param clientId the peer software's name, such as {@code Geth/v1.17.6-stable/linux-amd64/go1.24}
 * @param capabilities the sub-protocols offered, in the order sent
 * @param listenPort the TCP port the peer listens on; 0 (what go-ethereum sends now) says nothing
 * @param nodeId64 the peer's public key, X || Y; any length here, {@link HelloCheck} refuses other than 64 bytes
 */
public record HelloMessage(int protocolVersion, String clientId, List<Capability> capabilities, int listenPort,
                           byte[] nodeId64) {

  public static final int CODE = BaseMessageCodes.HELLO;
  /** The version we speak: 5, the first with snappy compression after Hello (EIP-706). */
  public static final int PROTOCOL_VERSION = 5;
  /** The largest Hello payload go-ethereum reads ({@code baseProtocolMaxMsgSize}); a larger one closes the session. */
  public static final int MAX_SIZE = 2 * 1024;

  public HelloMessage {
    Objects.requireNonNull(clientId, "clientId");
    capabilities = List.copyOf(capabilities);
    nodeId64 = nodeId64.clone();
  }

  /**
   * The Hello a payload holds.
   *
   * @throws Devp2pBaseException {@code too_large} for a payload over {@link #MAX_SIZE}, before reading any of it
   * @throws org.peermesh.devp2p.rlp.RlpException for malformed RLP, a missing field or a field of the wrong shape
   */
  public static HelloMessage decode(byte[] payload) {
    if (payload.length > MAX_SIZE) {
      throw new Devp2pBaseException("too_large", "a Hello of " + payload.length + " bytes, over " + MAX_SIZE);
    }
    RlpList hello = Rlp.decodePrefix(payload, 0).item().list("hello");
    List<Capability> capabilities = new ArrayList<>();
    for (RlpItem item : hello.list(2, "capabilities").items()) {
      RlpList capability = item.list("capability");
      capabilities.add(new Capability(text(capability.string(0, "capability name")),
          capability.string(1, "capability version").asInt("capability version")));
    }
    return new HelloMessage(
        hello.string(0, "protocol version").asInt("protocol version"),
        text(hello.string(1, "client id")),
        capabilities,
        hello.string(3, "listen port").asInt("listen port"),
        hello.string(4, "node id").bytes());
  }

  /** The payload: the five fields, no extras. */
  public byte[] encode() {
    List<RlpItem> capabilityItems = capabilities.stream()
        .<RlpItem>map(capability -> RlpList.of(RlpString.of(capability.name()), RlpString.of(capability.version())))
        .toList();
    return Rlp.encode(RlpList.of(
        RlpString.of(protocolVersion),
        RlpString.of(clientId),
        new RlpList(capabilityItems),
        RlpString.of(listenPort),
        RlpString.of(nodeId64)));
  }

  /** A copy: the record stays immutable. */
  @Override
  public byte[] nodeId64() {
    return nodeId64.clone();
  }

  /** Whether this peer compresses every message after Hello with snappy (EIP-706). */
  public boolean usesSnappy() {
    return protocolVersion >= PROTOCOL_VERSION;
  }

  private static String text(RlpString string) {
    return new String(string.bytes(), StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HelloMessage that
        && protocolVersion == that.protocolVersion
        && clientId.equals(that.clientId)
        && capabilities.equals(that.capabilities)
        && listenPort == that.listenPort
        && Arrays.equals(nodeId64, that.nodeId64);
  }

  @Override
  public int hashCode() {
    return Objects.hash(protocolVersion, clientId, capabilities, listenPort, Arrays.hashCode(nodeId64));
  }

  @Override
  public String toString() {
    return "Hello[v" + protocolVersion + " " + clientId + " " + capabilities + " port " + listenPort + " id "
        + HexFormat.of().formatHex(nodeId64) + "]";
  }
}
