package org.peermesh.devp2p.discv4;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Discv4OptionsTest {

  @Test
  void defaultsAreGeths() {
    Discv4Options options = new Discv4Options();
    assertEquals("0.0.0.0", options.getHost());
    assertEquals(30303, options.getPort());
    assertEquals(30303, options.getTcpPort());
    assertEquals(30_000, options.getRefreshInterval());
  }

  @Test
  void hostsAreIpLiteralsAndPortsSixteenBits() {
    Discv4Options options = new Discv4Options().setHost("::1").setAdvertisedHost("192.0.2.1").setPort(0);
    assertEquals("::1", options.getHost());
    // A DNS name would make setting an option block on a lookup.
    assertThrows(IllegalArgumentException.class, () -> options.setHost("localhost"));
    assertThrows(IllegalArgumentException.class, () -> options.setAdvertisedHost("256.0.0.1"));
    assertThrows(IllegalArgumentException.class, () -> options.setPort(65_536));
    assertThrows(IllegalArgumentException.class, () -> options.setTcpPort(-1));
    assertThrows(IllegalArgumentException.class, () -> options.setRefreshInterval(0));
    assertThrows(IllegalArgumentException.class, () -> options.setMaxBonding(0));
    assertThrows(IllegalArgumentException.class, () -> options.setMaxPendingReplies(0));
    assertThrows(IllegalArgumentException.class, () -> options.setMaxEndpointProofs(0));
  }
}
