package org.peermesh.net;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NetGroupsTest {

  @ParameterizedTest
  @CsvSource({
      "45.33.1.2,          ipv4:45.33",
      "45.33.255.255,      ipv4:45.33",
      "45.34.0.0,          ipv4:45.34",
      "045.033.1.2,        ipv4:45.33",
      "::ffff:45.33.1.2,   ipv4:45.33",
      "::ffff:2d21:102,    ipv4:45.33",
      "::FFFF:10.0.0.1,    ipv4:10.0",
      "2001:db8::1,        ipv6:2001:db8",
      "2001:db8:ffff::1,   ipv6:2001:db8",
      "2001:0DB8:0:0::1,   ipv6:2001:db8",
      "[2001:db8::1],      ipv6:2001:db8",
      "2001:db9::1,        ipv6:2001:db9",
      "2001:db8:1::,       ipv6:2001:db8",
      "::1,                ipv6:0:0",
      "fe80::1%eth0,       ipv6:fe80:0",
      "Seed.Example.COM,   host:seed.example.com",
      "localhost,          host:localhost",
      // Not an IP literal to Netty (or to the Vert.x resolver), so a name: no inet_aton shorthand.
      "10.1,               host:10.1",
  })
  void groupIsTheSlash16OrSlash32OrTheName(String host, String group) {
    assertEquals(group, NetGroups.of(host));
  }

  @ParameterizedTest
  @CsvSource({
      // loopback
      "127.0.0.1,          true",
      "127.255.255.255,    true",
      "126.255.255.255,    false",
      "128.0.0.0,          false",
      "::1,                true",
      "[::1],              true",
      "::2,                false",
      // private
      "10.0.0.0,           true",
      "10.255.255.255,     true",
      "9.255.255.255,      false",
      "11.0.0.0,           false",
      "172.15.255.255,     false",
      "172.16.0.0,         true",
      "172.31.255.255,     true",
      "172.32.0.0,         false",
      "192.167.255.255,    false",
      "192.168.0.0,        true",
      "192.168.255.255,    true",
      "192.169.0.0,        false",
      // carrier-grade NAT
      "100.63.255.255,     false",
      "100.64.0.0,         true",
      "100.127.255.255,    true",
      "100.128.0.0,        false",
      // link-local
      "169.253.255.255,    false",
      "169.254.0.0,        true",
      "169.254.255.255,    true",
      "169.255.0.0,        false",
      "fe7f:ffff::1,       false",
      "fe80::1,            true",
      "fe80::1%eth0,       true",
      "febf:ffff::1,       true",
      "fec0::1,            false",
      // unique-local
      "fbff:ffff::1,       false",
      "fc00::,             true",
      "fdff:ffff::1,       true",
      "fe00::1,            false",
      // unspecified
      "0.0.0.0,            true",
      "::,                 true",
      // IPv4-mapped: the IPv4 rule
      "::ffff:10.0.0.1,    true",
      "::ffff:127.0.0.1,   true",
      "::ffff:172.32.0.0,  false",
      "::ffff:45.33.1.2,   false",
      // public
      "8.8.8.8,            false",
      "45.33.1.2,          false",
      "2001:db8::1,        false",
      "2a00:1450::1,       false",
      // names
      "localhost,          true",
      "LocalHost,          true",
      "localhost.example,  false",
      "example.com,        false",
  })
  void isLocalCoversExactlyTheLocalRanges(String host, boolean local) {
    assertEquals(local, NetGroups.isLocal(host), host);
  }

  @ParameterizedTest
  @CsvSource({
      "45.33.1.2,          45.33.1.2",
      "045.033.001.002,    45.33.1.2",
      "::ffff:45.33.1.2,   45.33.1.2",
      "2001:0DB8:0:0::1,   2001:db8::1",
      "[2001:db8::1],      2001:db8::1",
      "fe80:0::1%eth0,     fe80::1%eth0",
      "[fe80::1%eth0],     fe80::1%eth0",
      "Seed.Example.COM,   seed.example.com",
  })
  void canonicalHostIsOneSpellingPerAddress(String host, String canonical) {
    assertEquals(canonical, NetGroups.canonicalHost(host));
  }
}
