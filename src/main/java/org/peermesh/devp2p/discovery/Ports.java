package org.peermesh.devp2p.discovery;

/** The range check of the 16-bit ports that endpoints, neighbors and enode URLs carry. */
final class Ports {

  static final int MAX = 0xFFFF;

  private Ports() {
  }

  static void require(int port, String name) {
    if (port < 0 || port > MAX) {
      throw new IllegalArgumentException(name + " port must be 0 to " + MAX + ", not " + port);
    }
  }
}
