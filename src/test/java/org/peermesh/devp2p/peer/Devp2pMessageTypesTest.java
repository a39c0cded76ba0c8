package org.peermesh.devp2p.peer;

import org.junit.jupiter.api.Test;
import org.peermesh.devp2p.Devp2pProtocol;
import org.peermesh.devp2p.base.BaseMessageCodes;
import org.peermesh.devp2p.base.Capability;
import org.peermesh.devp2p.base.CapabilityNegotiation;
import org.peermesh.peer.WireProtocol;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** devp2p's message names in metrics: by the codes each session negotiated, from our capabilities only. */
class Devp2pMessageTypesTest {

  private static Devp2pProtocol protocol(String name, int version, int length) {
    return Devp2pProtocol.of(name, version, length, (peer, rw) -> { });
  }

  @Test
  void theBaseProtocolAndTheHandshakeHaveNamesOfTheirOwn() {
    assertEquals("handshake", Devp2pMessageTypes.beforeSession(new RlpxMessage.HandshakePacket(new byte[] {1})));
    assertEquals("hello", Devp2pMessageTypes.beforeSession(RlpxMessage.Frame.of(BaseMessageCodes.HELLO, new byte[0])));
    assertEquals("disconnect",
        Devp2pMessageTypes.beforeSession(RlpxMessage.Frame.of(BaseMessageCodes.DISCONNECT, new byte[0])));
    assertEquals("pong", Devp2pMessageTypes.beforeSession(RlpxMessage.Frame.of(BaseMessageCodes.PONG, new byte[0])));
    assertEquals(WireProtocol.UNKNOWN_MESSAGE_TYPE,
        Devp2pMessageTypes.beforeSession(RlpxMessage.Frame.of(BaseMessageCodes.FIRST_RESERVED, new byte[0])));
  }

  @Test
  void aSessionsCodesAreNamedByCapabilityAndRelativeCode() {
    Devp2pMessageTypes types = new Devp2pMessageTypes(List.of(protocol("eth", 68, 17), protocol("wide", 1, 100),
        protocol("theirs-not", 1, 3)));
    // The peer shares eth/68 and wide/1: eth's codes come first, from 0x10, then wide's.
    CapabilityNegotiation.Negotiated negotiated = CapabilityNegotiation.negotiate(
        List.of(protocol("eth", 68, 17).subProtocol(), protocol("wide", 1, 100).subProtocol(),
            protocol("theirs-not", 1, 3).subProtocol()),
        List.of(new Capability("eth", 68), new Capability("wide", 1), new Capability("other", 9)));
    String[] names = types.forSession(negotiated);

    assertEquals("eth/68:0x00", Devp2pMessageTypes.inSession(names, 0x10));
    assertEquals("eth/68:0x10", Devp2pMessageTypes.inSession(names, 0x10 + 16));
    assertEquals("wide/1:0x00", Devp2pMessageTypes.inSession(names, 0x10 + 17));
    assertEquals("wide/1:0x3f", Devp2pMessageTypes.inSession(names, 0x10 + 17 + 63));
    // Past the named codes of a wide capability, one name for the rest of it.
    assertEquals("wide/1:other", Devp2pMessageTypes.inSession(names, 0x10 + 17 + 64));
    assertEquals("wide/1:other", Devp2pMessageTypes.inSession(names, 0x10 + 17 + 99));
    assertEquals(WireProtocol.UNKNOWN_MESSAGE_TYPE, Devp2pMessageTypes.inSession(names, 0x10 + 17 + 100));
    assertEquals(WireProtocol.UNKNOWN_MESSAGE_TYPE, Devp2pMessageTypes.inSession(names, Integer.MAX_VALUE));
    // Made once for every session: each name is one object, however many peers negotiate it.
    assertSame(Devp2pMessageTypes.inSession(names, 0x10), Devp2pMessageTypes.inSession(types.forSession(negotiated),
        0x10));
  }
}
