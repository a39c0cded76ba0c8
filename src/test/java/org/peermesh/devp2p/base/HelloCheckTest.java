package org.peermesh.devp2p.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peermesh.devp2p.base.HelloCheck.Accepted;
import org.peermesh.devp2p.base.HelloCheck.Refused;

class HelloCheckTest {

  private static final byte[] PEER_KEY = key(0x11);
  private static final List<SubProtocol> OURS = List.of(new SubProtocol("eth", 68, 17));
  private static final List<Capability> ETH_68 = List.of(new Capability("eth", 68));

  @Test
  void acceptsAPeerWithTheProvedKeyAndASharedCapability() {
    Accepted accepted = assertInstanceOf(Accepted.class, HelloCheck.check(hello(PEER_KEY, ETH_68), PEER_KEY, OURS));

    assertEquals(0x10, accepted.negotiated().absoluteCode("eth", 0));
  }

  @Test
  void refusesAnIdNotOf64BytesAsInvalidIdentity() {
    assertReason(Devp2pDisconnectReason.INVALID_IDENTITY, hello(Arrays.copyOf(PEER_KEY, 63), ETH_68));
    assertReason(Devp2pDisconnectReason.INVALID_IDENTITY, hello(Arrays.copyOf(PEER_KEY, 65), ETH_68));
  }

  @Test
  void refusesAnIdOfZerosAsInvalidIdentity() {
    assertReason(Devp2pDisconnectReason.INVALID_IDENTITY, hello(new byte[64], ETH_68));
  }

  @Test
  void refusesAnIdOtherThanTheHandshakeKeyAsUnexpectedIdentity() {
    assertReason(Devp2pDisconnectReason.UNEXPECTED_IDENTITY, hello(key(0x22), ETH_68));
  }

  @Test
  void refusesAPeerSharingNoCapabilityAsUseless() {
    assertReason(Devp2pDisconnectReason.USELESS_PEER, hello(PEER_KEY, List.of(new Capability("eth", 67))));
  }

  @Test
  void checksIdentityBeforeCapabilitiesAsGoEthereumDoes() {
    assertReason(Devp2pDisconnectReason.INVALID_IDENTITY, hello(new byte[64], List.of()));
    assertReason(Devp2pDisconnectReason.UNEXPECTED_IDENTITY, hello(key(0x22), List.of()));
  }

  private static void assertReason(Devp2pDisconnectReason expected, HelloMessage hello) {
    assertEquals(expected, assertInstanceOf(Refused.class, HelloCheck.check(hello, PEER_KEY, OURS)).reason());
  }

  private static HelloMessage hello(byte[] nodeId, List<Capability> capabilities) {
    return new HelloMessage(HelloMessage.PROTOCOL_VERSION, "peer", capabilities, 0, nodeId);
  }

  private static byte[] key(int fill) {
    byte[] key = new byte[64];
    Arrays.fill(key, (byte) fill);
    return key;
  }
}
