package org.peermesh.devp2p.discovery;

import org.peermesh.devp2p.rlp.RlpException;
import org.peermesh.devp2p.rlp.RlpItem;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * The fields that several discv4 packets share, both ways: endpoints, IPs, ports, hashes, node ids, expirations and
 * the optional ENR sequence number. Readers check each field's form and throw {@link Discv4Exception}; the RLP layer
 * throws {@link RlpException} for a missing element or one of the wrong shape, which {@link Discv4Packets} wraps.
 */
final class WireFields {

  static final int HASH_LENGTH = 32;
  private static final int IPV4_LENGTH = 4;
  private static final int IPV6_LENGTH = 16;

  private WireFields() {
  }

  static RlpList endpoint(Endpoint endpoint) {
    return RlpList.of(ip(endpoint.ip()), RlpString.of(endpoint.udp()), RlpString.of(endpoint.tcp()));
  }

  /** {@code [ip, udp, tcp, ...]}; elements after the third are ignored (EIP-8). */
  static Endpoint endpoint(RlpList list, String field) {
    return new Endpoint(ip(list.string(0, field + ".ip"), field + ".ip"), port(list.string(1, field + ".udp"),
        field + ".udp"), port(list.string(2, field + ".tcp"), field + ".tcp"));
  }

  static RlpString ip(InetAddress ip) {
    return RlpString.of(ip.getAddress());
  }

  /** A 4- or 16-byte IP; an IPv4-mapped IPv6 address reads as the IPv4 address. Never a DNS lookup. */
  static InetAddress ip(RlpString string, String field) {
    if (string.length() != IPV4_LENGTH && string.length() != IPV6_LENGTH) {
      throw new Discv4Exception("bad_ip", field + ": an IP is 4 or 16 bytes, not " + string.length());
    }
    try {
      return InetAddress.getByAddress(string.bytes());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  static int port(RlpString string, String field) {
    int port = string.asInt(field);
    if (port > Ports.MAX) {
      throw new Discv4Exception("bad_port", field + ": " + port + " is above " + Ports.MAX);
    }
    return port;
  }

  static byte[] hash(RlpString string, String field) {
    return exactly(string, HASH_LENGTH, field);
  }

  static NodeId nodeId(RlpString string, String field) {
    return NodeId.of(exactly(string, NodeId.LENGTH, field));
  }

  /** Seconds since the epoch; values from 2^63 on are refused (no clock gets there). */
  static long expiration(RlpList list, int index) {
    return list.string(index, "expiration").asLong("expiration");
  }

  static void requireExpiration(long expiration) {
    if (expiration < 0) {
      throw new IllegalArgumentException("expiration must not be negative, got " + expiration);
    }
  }

  static void requireHash(byte[] hash, String name) {
    if (hash.length != HASH_LENGTH) {
      throw new IllegalArgumentException(name + " is " + HASH_LENGTH + " bytes, not " + hash.length);
    }
  }

  /**
   * The ENR sequence number at {@code index} (EIP-868), if the sender put one there. Anything else there is an
   * extension of a later protocol version and ignored, as EIP-8 asks: its version-555 Ping and its Pong carry lists
   * at that place. (geth, which reads the place as a uint64, refuses both since it added the field.)
   */
  static OptionalLong optionalEnrSeq(RlpList list, int index) {
    if (list.size() <= index || !(list.get(index, "enrSeq") instanceof RlpString seq)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(seq.asLong("enrSeq"));
    } catch (RlpException notAnInteger) {
      return OptionalLong.empty();
    }
  }

  /** {@code items} with {@code enrSeq} appended if present. */
  static RlpList withEnrSeq(OptionalLong enrSeq, RlpItem... items) {
    if (enrSeq.isEmpty()) {
      return RlpList.of(items);
    }
    RlpItem[] extended = Arrays.copyOf(items, items.length + 1);
    extended[items.length] = RlpString.of(enrSeq.getAsLong());
    return RlpList.of(extended);
  }

  private static byte[] exactly(RlpString string, int length, String field) {
    if (string.length() != length) {
      throw new Discv4Exception("bad_length", field + ": " + length + " bytes expected, " + string.length() + " found");
    }
    return string.bytes();
  }
}
