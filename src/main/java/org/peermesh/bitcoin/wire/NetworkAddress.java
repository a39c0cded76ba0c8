package org.peermesh.bitcoin.wire;

import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import org.peermesh.json.JsonFields;

/**
 * A peer address as {@code version} and {@code addr} (v1) carry it: services, a 16-byte IPv6
 * address (IPv4 as IPv4-mapped {@code ::ffff:a.b.c.d}) and a port, the protocol's one big-endian
 * field.
 *
 * <pre>
 * services u64 | address 16 bytes | port u16 big-endian      (26 bytes)
 * </pre>
 *
 * JSON: {@code {"host": "1.2.3.4" or IPv6 text, "port": n, "services": n}}.
 */
public final class NetworkAddress {

  /** Serialized size in bytes. */
  public static final int SIZE = 8 + 16 + 2;

  private final long services;
  private final byte[] address;
  private final int port;

  /**
   * @param address 16 bytes, or 4 bytes of IPv4 stored as IPv4-mapped; copied
   * @param port 0..65535
   */
  public NetworkAddress(long services, byte[] address, int port) {
    this(services, address, port, true);
  }

  /** @param copy false to take a 16-byte {@code address} as it is: the decoder's fresh array, which nobody else holds */
  private NetworkAddress(long services, byte[] address, int port, boolean copy) {
    Objects.requireNonNull(address, "address");
    this.services = services;
    if (address.length == 4) {
      this.address = AddressText.ipv4Mapped(address);
    } else {
      Fields.requireLength(address, 16, "address");
      this.address = copy ? address.clone() : address;
    }
    this.port = Fields.requireU16(port, "port");
  }

  public static NetworkAddress of(long services, InetAddress address, int port) {
    return new NetworkAddress(services, address.getAddress(), port);
  }

  /** @param host a dotted IPv4 or an IPv6 literal; never resolved */
  public static NetworkAddress of(long services, String host, int port) {
    return new NetworkAddress(services, AddressText.parseIpv6OrIpv4(host), port);
  }

  static NetworkAddress read(PayloadReader in, String field) {
    long services = in.int64(field + ".services");
    byte[] address = in.bytes(16, field + ".address");
    int port = in.u16BigEndian(field + ".port");
    return new NetworkAddress(services, address, port, false);
  }

  void writeTo(PayloadWriter out) {
    out.int64(services).bytes(address).u16BigEndian(port);
  }

  static NetworkAddress fromJson(JsonFields json) {
    return new NetworkAddress(json.u64("services"), json.parsed("host", AddressText::parseIpv6OrIpv4), json.u16("port"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("host", host())
        .put("port", port)
        .put("services", BitcoinJson.unsignedNumber(services));
  }

  /** Service bits (NODE_NETWORK = 1, NODE_WITNESS = 8, ...), u64 bit for bit. */
  public long services() {
    return services;
  }

  /** The 16 address bytes; a copy. */
  public byte[] address() {
    return address.clone();
  }

  public int port() {
    return port;
  }

  /** An Inet4Address for an IPv4-mapped address, else an Inet6Address. */
  public InetAddress inetAddress() {
    try {
      return InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an IP address", e);
    }
  }

  /** Dotted IPv4 for an IPv4-mapped address, else RFC 5952 IPv6 text. */
  public String host() {
    return AddressText.ipv6OrMappedIpv4(address);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NetworkAddress that
        && services == that.services && port == that.port && Arrays.equals(address, that.address);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Long.hashCode(services) + Arrays.hashCode(address)) + port;
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
