package org.peermesh.bitcoin.wire;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The text forms of peer addresses, as Core prints them: dotted IPv4, RFC 5952 IPv6, Tor
 * {@code .onion} and I2P {@code .b32.i2p} names. Parsing accepts literals only and never resolves
 * a name, so reading a JSON message can never trigger a DNS lookup.
 */
final class AddressText {

  private static final byte[] IPV4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF};
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  /** The characters of an IPv6 literal; anything else could make InetAddress try DNS. */
  private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
  private static final String BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  private static final String ONION_SUFFIX = ".onion";
  private static final String I2P_SUFFIX = ".b32.i2p";
  private static final byte TORV3_VERSION = 3;
  private static final int TORV3_CHECKSUM_BYTES = 2;

  private AddressText() {
  }

  static boolean isIpv4Mapped(byte[] address16) {
    return Arrays.equals(address16, 0, IPV4_MAPPED_PREFIX.length, IPV4_MAPPED_PREFIX, 0, IPV4_MAPPED_PREFIX.length);
  }

  static byte[] ipv4Mapped(byte[] address4) {
    byte[] mapped = Arrays.copyOf(IPV4_MAPPED_PREFIX, 16);
    System.arraycopy(address4, 0, mapped, IPV4_MAPPED_PREFIX.length, 4);
    return mapped;
  }

  static String ipv4(byte[] address, int offset) {
    return (address[offset] & 0xFF) + "." + (address[offset + 1] & 0xFF) + "." + (address[offset + 2] & 0xFF) + "."
        + (address[offset + 3] & 0xFF);
  }

  /** RFC 5952: lowercase, no leading zeros, the longest run of two or more zero groups as "::". */
  static String ipv6(byte[] address16) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (address16[2 * i] & 0xFF) << 8 | address16[2 * i + 1] & 0xFF;
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; i++) {
      int length = 0;
      while (i + length < 8 && groups[i + length] == 0) {
        length++;
      }
      if (length > bestLength) {
        bestStart = i;
        bestLength = length;
      }
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
      } else {
        if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
          text.append(':');
        }
        text.append(Integer.toHexString(groups[i]));
      }
    }
    return text.toString();
  }

  static byte[] parseIpv4(String text) {
    var matcher = IPV4.matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("not a dotted IPv4 address: \"" + text + "\"");
    }
    byte[] address = new byte[4];
    for (int i = 0; i < 4; i++) {
      int octet = Integer.parseInt(matcher.group(i + 1));
      if (octet > 255) {
        throw new IllegalArgumentException("not a dotted IPv4 address: \"" + text + "\"");
      }
      address[i] = (byte) octet;
    }
    return address;
  }

  /** An IPv6 literal as 16 bytes; an IPv4-mapped literal ({@code ::ffff:1.2.3.4}) stays mapped. */
  static byte[] parseIpv6(String text) {
    if (!IPV6_CHARACTERS.matcher(text).matches()) {
      throw new IllegalArgumentException("not an IPv6 address: \"" + text + "\"");
    }
    byte[] address;
    try {
      address = InetAddress.getByName(text).getAddress(); // a literal: checked above, so no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv6 address: \"" + text + "\"");
    }
    return address.length == 4 ? ipv4Mapped(address) : address;
  }

  /** Dotted IPv4 for an IPv4-mapped address, else IPv6 text: how Core prints an addr (v1) entry. */
  static String ipv6OrMappedIpv4(byte[] address16) {
    return isIpv4Mapped(address16) ? ipv4(address16, 12) : ipv6(address16);
  }

  /** Dotted IPv4 (stored mapped) or IPv6 text, the inverse of {@link #ipv6OrMappedIpv4}. */
  static byte[] parseIpv6OrIpv4(String text) {
    return text.indexOf(':') >= 0 ? parseIpv6(text) : ipv4Mapped(parseIpv4(text));
  }

  static String onionV2(byte[] address10) {
    return base32(address10) + ONION_SUFFIX;
  }

  static byte[] parseOnionV2(String text) {
    return base32(stripSuffix(text, ONION_SUFFIX), 10);
  }

  /** rend-spec-v3: base32(pubkey | checksum | version) where checksum = SHA3-256(".onion checksum" | pubkey | version)[0..2]. */
  static String onionV3(byte[] publicKey32) {
    byte[] name = Arrays.copyOf(publicKey32, 32 + TORV3_CHECKSUM_BYTES + 1);
    System.arraycopy(torV3Checksum(publicKey32), 0, name, 32, TORV3_CHECKSUM_BYTES);
    name[name.length - 1] = TORV3_VERSION;
    return base32(name) + ONION_SUFFIX;
  }

  static byte[] parseOnionV3(String text) {
    byte[] name = base32(stripSuffix(text, ONION_SUFFIX), 32 + TORV3_CHECKSUM_BYTES + 1);
    byte[] publicKey = Arrays.copyOf(name, 32);
    if (name[name.length - 1] != TORV3_VERSION
        || !Arrays.equals(name, 32, 32 + TORV3_CHECKSUM_BYTES, torV3Checksum(publicKey), 0, TORV3_CHECKSUM_BYTES)) {
      throw new IllegalArgumentException("\"" + text + "\" has a bad Tor v3 checksum or version");
    }
    return publicKey;
  }

  static String i2p(byte[] hash32) {
    return base32(hash32) + I2P_SUFFIX;
  }

  static byte[] parseI2p(String text) {
    return base32(stripSuffix(text, I2P_SUFFIX), 32);
  }

  private static byte[] torV3Checksum(byte[] publicKey) {
    try {
      MessageDigest sha3 = MessageDigest.getInstance("SHA3-256");
      sha3.update(".onion checksum".getBytes(StandardCharsets.US_ASCII));
      sha3.update(publicKey);
      sha3.update(TORV3_VERSION);
      return sha3.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform since 9 provides SHA3-256", e);
    }
  }

  private static String stripSuffix(String text, String suffix) {
    if (!text.endsWith(suffix)) {
      throw new IllegalArgumentException("\"" + text + "\" does not end with " + suffix);
    }
    return text.substring(0, text.length() - suffix.length());
  }

  /** RFC 4648 base32, lowercase, without padding. */
  private static String base32(byte[] bytes) {
    StringBuilder text = new StringBuilder((bytes.length * 8 + 4) / 5);
    int bits = 0;
    int value = 0;
    for (byte b : bytes) {
      value = value << 8 | b & 0xFF;
      bits += 8;
      while (bits >= 5) {
        text.append(BASE32_ALPHABET.charAt(value >>> bits - 5 & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      text.append(BASE32_ALPHABET.charAt(value << 5 - bits & 31));
    }
    return text.toString();
  }

  private static byte[] base32(String text, int expectedBytes) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(expectedBytes);
    int bits = 0;
    int value = 0;
    for (int i = 0; i < text.length(); i++) {
      int digit = BASE32_ALPHABET.indexOf(Character.toLowerCase(text.charAt(i)));
      if (digit < 0) {
        throw new IllegalArgumentException("\"" + text + "\" is not base32");
      }
      value = value << 5 | digit;
      bits += 5;
      if (bits >= 8) {
        bytes.write(value >>> bits - 8);
        bits -= 8;
      }
    }
    if (bytes.size() != expectedBytes || (value & (1 << bits) - 1) != 0) {
      throw new IllegalArgumentException("\"" + text + "\" does not encode exactly " + expectedBytes + " bytes");
    }
    return bytes.toByteArray();
  }
}
