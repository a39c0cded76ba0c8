package org.peermesh.devp2p.base;

/**
 * A sub-protocol we run: the {@link Capability} our Hello offers and how many message codes it uses ({@code eth/68}
 * uses 17), which is the width of the code range {@link CapabilityNegotiation} reserves for it. The length never goes
 * on the wire, so both sides must know it for every capability they share.
 */
public record SubProtocol(Capability capability, int length) {

  public SubProtocol {
    if (length < 1) {
      throw new IllegalArgumentException(capability + " needs at least one message code, not " + length);
    }
  }

  public SubProtocol(String name, int version, int length) {
    this(new Capability(name, version), length);
  }
}
