package org.peermesh.bitcoin.wire;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.peermesh.json.JsonFields;

/**
 * An {@code addrv2} (BIP155) entry. Unlike {@link TimestampedAddress} it can carry addresses that
 * do not fit 16 bytes (Tor v3, I2P), so the address has a network id and a length of its own.
 *
 * <pre>
 * time u32 | services CompactSize | networkId u8 | address CompactSize-length bytes (max 512) | port u16 big-endian
 * </pre>
 *
 * A known network requires its exact address length ({@link Bip155Network#addressLength()}); an
 * unknown one is kept as bytes, as BIP155 asks. JSON: {@code {"time": n, "services": n, "network":
 * "IPV4" | ... | id, "host": text (known networks) or "address": hex (unknown ones), "port": n}}.
 */
public final class AddrV2Entry {

  /** BIP155's limit on the address length, for every network. */
  public static final int MAX_ADDRESS_LENGTH = 512;

  /** Serialized size of the smallest entry: empty address, one-byte services. */
  static final int MIN_SIZE = 4 + 1 + 1 + 1 + 2;

  private final long time;
  private final long services;
  private final int networkId;
  private final byte[] address;
  private final int port;

  /**
   * @param networkId a BIP155 network id, 0..255; for a known one {@code address} must have its length
   * @param address copied; at most 512 bytes
   */
  public AddrV2Entry(long time, long services, int networkId, byte[] address, int port) {
    this(time, services, networkId, address, port, true);
  }

  /** @param copy false to take {@code address} as it is: the decoder's fresh array, which nobody else holds */
  private AddrV2Entry(long time, long services, int networkId, byte[] address, int port, boolean copy) {
    Objects.requireNonNull(address, "address");
    this.time = Fields.requireU32(time, "time");
    this.services = services;
    this.networkId = Fields.requireU8(networkId, "networkId");
    requireAddressLength(networkId, address.length);
    this.address = copy ? address.clone() : address;
    this.port = Fields.requireU16(port, "port");
  }

  public AddrV2Entry(long time, long services, Bip155Network network, byte[] address, int port) {
    this(time, services, network.id(), address, port);
  }

  static AddrV2Entry read(PayloadReader in, String field) {
    long time = in.u32(field + ".time");
    long services = in.compactSize(field + ".services");
    int networkId = in.u8(field + ".networkId");
    int length = in.length(field + ".address", MAX_ADDRESS_LENGTH);
    requireAddressLength(networkId, length); // before the bytes, as Core: a wrong length is not a short payload
    byte[] address = in.bytes(length, field + ".address");
    int port = in.u16BigEndian(field + ".port");
    return new AddrV2Entry(time, services, networkId, address, port, false);
  }

  private static void requireAddressLength(int networkId, int length) {
    if (length > MAX_ADDRESS_LENGTH) {
      throw new IllegalArgumentException("address too long: " + length + " > " + MAX_ADDRESS_LENGTH);
    }
    Bip155Network.byId(networkId).ifPresent(network -> {
      if (length != network.addressLength()) {
        throw new IllegalArgumentException(
            "BIP155 " + network + " address with length " + length + " (should be " + network.addressLength() + ")");
      }
    });
  }

  void writeTo(PayloadWriter out) {
    out.u32(time).compactSize(services).u8(networkId).varBytes(address).u16BigEndian(port);
  }

  static AddrV2Entry fromJson(JsonFields json) {
    Object networkValue = json.value("network");
    Optional<Bip155Network> network = networkValue instanceof String
        ? Optional.of(json.parsed("network", Bip155Network::valueOf))
        : Bip155Network.byId(json.u8("network"));
    int networkId = network.isPresent() ? network.get().id() : json.u8("network");
    byte[] address = network.isPresent() ? json.parsed("host", network.get()::parseHost) : json.hex("address");
    return new AddrV2Entry(json.u32("time"), json.u64("services"), networkId, address, json.u16("port"));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("time", time)
        .put("services", BitcoinJson.unsignedNumber(services));
    Optional<Bip155Network> network = network();
    if (network.isPresent()) {
      json.put("network", network.get().name()).put("host", network.get().host(address));
    } else {
      json.put("network", networkId).put("address", JsonFields.hex(address));
    }
    return json.put("port", port);
  }

  /** Unix seconds when the address was last seen. */
  public long time() {
    return time;
  }

  /** Service bits, u64 bit for bit. */
  public long services() {
    return services;
  }

  public int networkId() {
    return networkId;
  }

  /** The network, or empty for an id this version does not know. */
  public Optional<Bip155Network> network() {
    return Bip155Network.byId(networkId);
  }

  /** The address bytes; a copy. */
  public byte[] address() {
    return address.clone();
  }

  public int port() {
    return port;
  }

  /** The address as Core prints it, or empty for an unknown network. */
  public Optional<String> host() {
    return network().map(network -> network.host(address));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AddrV2Entry that && time == that.time && services == that.services
        && networkId == that.networkId && Arrays.equals(address, that.address) && port == that.port;
  }

  @Override
  public int hashCode() {
    return Objects.hash(time, services, networkId, Arrays.hashCode(address), port);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
