package org.peermesh.net;

import io.netty.util.NetUtil;

import java.util.Locale;

/**
 * Classifies hosts by network: the group an address belongs to, and whether it is a local address.
 *
 * <p>One operator can cheaply hold many addresses in one IPv4 /16 or one IPv6 /32, but not in many of them, so the
 * peer book and the connection limits count addresses per group rather than per address. Only IP literals are
 * parsed; host names are never resolved, because a lookup would block and its answer is the attacker's to choose.
 */
public final class NetGroups {

  private static final byte[] IPV4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

  private NetGroups() {
  }

  /**
   * The group of {@code host}: {@code "ipv4:10.1"} for an IPv4 address (its /16, also for an IPv4-mapped IPv6
   * address), {@code "ipv6:2001:db8"} for an IPv6 address (its /32), {@code "host:<lowercased name>"} otherwise.
   */
  public static String of(String host) {
    byte[] ip = ipBytes(host);
    if (ip == null) {
      return "host:" + host.toLowerCase(Locale.ROOT);
    }
    if (ip.length == 4) {
      return "ipv4:" + (ip[0] & 0xff) + "." + (ip[1] & 0xff);
    }
    return "ipv6:" + Integer.toHexString(word(ip, 0)) + ":" + Integer.toHexString(word(ip, 2));
  }

  /**
   * Whether {@code host} is a loopback (127.0.0.0/8, ::1), private (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16),
   * carrier-grade NAT (100.64.0.0/10), link-local (169.254.0.0/16, fe80::/10), unique-local (fc00::/7) or
   * unspecified (0.0.0.0, ::) address, or the host name {@code localhost}. An IPv4-mapped IPv6 address is judged by
   * its IPv4 address.
   */
  public static boolean isLocal(String host) {
    byte[] ip = ipBytes(host);
    if (ip == null) {
      return host.equalsIgnoreCase("localhost");
    }
    return ip.length == 4 ? isLocalIpV4(ip) : isLocalIpV6(ip);
  }

  /**
   * The one spelling of {@code host}: an IPv4 address in dotted decimal without leading zeros (also for an
   * IPv4-mapped IPv6 address), an IPv6 address in RFC 5952 form without brackets (keeping a zone id), a host name in
   * lower case. The peer book keys entries by it, so that {@code 2001:DB8::1} and {@code 2001:db8:0::1} are one
   * address and a ban of either removes both.
   */
  public static String canonicalHost(String host) {
    byte[] ip = ipBytes(host);
    if (ip == null) {
      return host.toLowerCase(Locale.ROOT);
    }
    int zone = host.indexOf('%');
    if (ip.length == 4 || zone < 0) {
      return NetUtil.bytesToIpAddress(ip);
    }
    String zoneId = host.substring(zone, host.endsWith("]") ? host.length() - 1 : host.length());
    return NetUtil.bytesToIpAddress(ip) + zoneId;
  }

  /** The 4 or 16 bytes of an IP literal (brackets and zone id allowed), an IPv4-mapped one as 4; null otherwise. */
  private static byte[] ipBytes(String host) {
    if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
      return null;
    }
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
    if (ip != null && ip.length == 16 && isIpV4Mapped(ip)) {
      byte[] ipV4 = new byte[4];
      System.arraycopy(ip, 12, ipV4, 0, 4);
      return ipV4;
    }
    return ip;
  }

  private static boolean isIpV4Mapped(byte[] ip) {
    for (int i = 0; i < IPV4_MAPPED_PREFIX.length; i++) {
      if (ip[i] != IPV4_MAPPED_PREFIX[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLocalIpV4(byte[] ip) {
    int a = ip[0] & 0xff;
    int b = ip[1] & 0xff;
    return a == 127
        || a == 10
        || a == 172 && (b & 0xf0) == 16
        || a == 192 && b == 168
        || a == 100 && (b & 0xc0) == 64
        || a == 169 && b == 254
        || a == 0 && b == 0 && ip[2] == 0 && ip[3] == 0;
  }

  private static boolean isLocalIpV6(byte[] ip) {
    return isUnspecifiedOrLoopback(ip)
        || (ip[0] & 0xff) == 0xfe && (ip[1] & 0xc0) == 0x80
        || (ip[0] & 0xfe) == 0xfc;
  }

  /** :: or ::1. */
  private static boolean isUnspecifiedOrLoopback(byte[] ip) {
    for (int i = 0; i < 15; i++) {
      if (ip[i] != 0) {
        return false;
      }
    }
    return ip[15] == 0 || ip[15] == 1;
  }

  private static int word(byte[] ip, int offset) {
    return (ip[offset] & 0xff) << 8 | ip[offset + 1] & 0xff;
  }
}
