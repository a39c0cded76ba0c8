package org.peermesh.bitcoin.wire;

import java.util.Optional;

/**
 * The network ids of BIP155 ({@code addrv2}) and the address length each requires. An entry with an
 * id not listed here is kept as raw bytes: BIP155 says to ignore unknown networks, not to fail.
 */
public enum Bip155Network {
  IPV4(1, 4),
  IPV6(2, 16),
  /** Tor v2 onion services: deprecated (Tor dropped them in 2021), decoded but not useful to connect to. */
  TORV2(3, 10),
  TORV3(4, 32),
  I2P(5, 32),
  CJDNS(6, 16);

  private final int id;
  private final int addressLength;

  Bip155Network(int id, int addressLength) {
    this.id = id;
    this.addressLength = addressLength;
  }

  public int id() {
    return id;
  }

  public int addressLength() {
    return addressLength;
  }

  public static Optional<Bip155Network> byId(int id) {
    for (Bip155Network network : values()) {
      if (network.id == id) {
        return Optional.of(network);
      }
    }
    return Optional.empty();
  }

  /** The address as Core prints it: 1.2.3.4, fc00::1, xxx.onion, xxx.b32.i2p. */
  String host(byte[] address) {
    return switch (this) {
      case IPV4 -> AddressText.ipv4(address, 0);
      case IPV6, CJDNS -> AddressText.ipv6(address);
      case TORV2 -> AddressText.onionV2(address);
      case TORV3 -> AddressText.onionV3(address);
      case I2P -> AddressText.i2p(address);
    };
  }

  /** The inverse of {@link #host}; IllegalArgumentException on text that is not this network's. */
  byte[] parseHost(String host) {
    return switch (this) {
      case IPV4 -> AddressText.parseIpv4(host);
      case IPV6, CJDNS -> AddressText.parseIpv6(host);
      case TORV2 -> AddressText.parseOnionV2(host);
      case TORV3 -> AddressText.parseOnionV3(host);
      case I2P -> AddressText.parseI2p(host);
    };
  }
}
