package org.peermesh.devp2p.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CapabilityTest {

  @Test
  void printsAsDevp2pWritesIt() {
    assertEquals("eth/68", new Capability("eth", 68).toString());
  }

  @Test
  void ordersByNameByteWiseThenVersion() {
    List<Capability> sorted = Stream.of(new Capability("test", 1), new Capability("eth", 68),
        new Capability("MyProtocol", 1), new Capability("eth", 67), new Capability("\u00e9t", 1)).sorted().toList();

    assertEquals("[MyProtocol/1, eth/67, eth/68, test/1, \u00e9t/1]", sorted.toString());
  }

  @Test
  void refusesNegativeVersions() {
    assertThrows(IllegalArgumentException.class, () -> new Capability("eth", -1));
  }
}
