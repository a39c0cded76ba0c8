package org.peermesh.devp2p.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.peermesh.devp2p.base.CapabilityNegotiation.Negotiated;
import org.peermesh.devp2p.base.CapabilityNegotiation.Route;
import org.peermesh.devp2p.base.CapabilityNegotiation.SharedCapability;

class CapabilityNegotiationTest {

  private static final Capability MY_PROTOCOL = new Capability("MyProtocol", 1);
  private static final Capability ETH_68 = new Capability("eth", 68);
  private static final Capability TEST = new Capability("test", 1);
  private static final List<SubProtocol> OURS = List.of(
      new SubProtocol(TEST, 2), new SubProtocol(ETH_68, 17), new SubProtocol(MY_PROTOCOL, 1));

  @Test
  void sortsSharedCapabilitiesByteWiseAndReservesEachItsLength() {
    Negotiated negotiated = CapabilityNegotiation.negotiate(OURS, List.of(ETH_68, TEST, MY_PROTOCOL));

    assertEquals(List.of(
        new SharedCapability(MY_PROTOCOL, 0x10, 1),
        new SharedCapability(ETH_68, 0x11, 17),
        new SharedCapability(TEST, 0x22, 2)), negotiated.shared());
  }

  @Test
  void routesCodesInsideTheRangesAndNothingElse() {
    Negotiated negotiated = CapabilityNegotiation.negotiate(OURS, List.of(ETH_68, TEST, MY_PROTOCOL));

    assertEquals(Optional.of(new Route(MY_PROTOCOL, 0)), negotiated.byCode(0x10));
    assertEquals(Optional.of(new Route(ETH_68, 0)), negotiated.byCode(0x11));
    assertEquals(Optional.of(new Route(ETH_68, 16)), negotiated.byCode(0x21));
    assertEquals(Optional.of(new Route(TEST, 1)), negotiated.byCode(0x23));
    assertEquals(Optional.empty(), negotiated.byCode(0x24));
    assertEquals(Optional.empty(), negotiated.byCode(0x0f));
    assertEquals(Optional.empty(), negotiated.byCode(-1));
  }

  @Test
  void givesAbsoluteCodesAndRefusesOnesOutsideTheRange() {
    Negotiated negotiated = CapabilityNegotiation.negotiate(OURS, List.of(ETH_68, TEST, MY_PROTOCOL));

    assertEquals(0x11, negotiated.absoluteCode("eth", 0));
    assertEquals(0x23, negotiated.absoluteCode("test", 1));
    assertThrows(IllegalArgumentException.class, () -> negotiated.absoluteCode("test", 2));
    assertThrows(IllegalArgumentException.class, () -> negotiated.absoluteCode("eth", -1));
    assertThrows(IllegalArgumentException.class, () -> negotiated.absoluteCode("snap", 0));
  }

  @Test
  void runsTheHighestVersionBothSidesOffer() {
    List<SubProtocol> ours = List.of(new SubProtocol("eth", 67, 17), new SubProtocol("eth", 68, 17));
    List<Capability> theirs = List.of(new Capability("eth", 67), new Capability("eth", 66));

    assertEquals(List.of(new SharedCapability(new Capability("eth", 67), 0x10, 17)),
        CapabilityNegotiation.negotiate(ours, theirs).shared());
  }

  @Test
  void sharesNothingWithoutTheSameNameAndVersion() {
    Negotiated negotiated = CapabilityNegotiation.negotiate(OURS,
        List.of(new Capability("eth", 67), new Capability("snap", 1), new Capability("Test", 1)));

    assertTrue(negotiated.isEmpty());
    assertEquals(Optional.empty(), negotiated.byCode(0x10));
  }
}
