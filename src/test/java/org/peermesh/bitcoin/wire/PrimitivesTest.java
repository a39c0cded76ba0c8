package org.peermesh.bitcoin.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peermesh.bitcoin.wire.BitcoinWireException.Reason;

/** CompactSize, Sha256Hash and NetworkAddress, the values every message is built from. */
class PrimitivesTest {

  /** The boundaries of each CompactSize width, as the Bitcoin wiki's Protocol_documentation defines them. */
  @ParameterizedTest
  @CsvSource({
      "00, 0",
      "fc, 252",
      "fdfd00, 253",
      "fdffff, 65535",
      "fe00000100, 65536",
      "feffffffff, 4294967295",
      "ff0000000001000000, 4294967296",
      "ffffffffffffffffff, 18446744073709551615",
  })
  void compactSizeCanonicalEncodings(String hex, String unsignedValue) {
    long value = Long.parseUnsignedLong(unsignedValue);
    assertEquals(value, CompactSize.read(Hex.buffer(hex), 0));
    assertEquals(hex.length() / 2, CompactSize.encodedLength(value));
    Buffer out = Buffer.buffer();
    CompactSize.write(out, value);
    assertEquals(hex, Hex.of(out));
  }

  /** Core's ReadCompactSize: "non-canonical ReadCompactSize()" for a value written longer than needed. */
  @ParameterizedTest
  @CsvSource({"fd0000", "fdfc00", "fe0000000000", "feffff0000", "ff0000000000000000", "ffffffffff00000000"})
  void compactSizeRefusesNonCanonicalEncodings(String hex) {
    BitcoinWireException e = assertThrows(BitcoinWireException.class, () -> CompactSize.read(Hex.buffer(hex), 0));
    assertEquals(Reason.INVALID_FIELD, e.reason());
    assertTrue(e.getMessage().contains("non-canonical"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"''", "fd", "fdff", "fe000001", "ff00000000000001"})
  void compactSizeTruncated(String hex) {
    BitcoinWireException e = assertThrows(BitcoinWireException.class, () -> CompactSize.read(Hex.buffer(hex), 0));
    assertEquals(Reason.TRUNCATED, e.reason());
  }

  /** Bitcoin wiki, Protocol_documentation, "Hashes": double SHA-256 of "hello". */
  @Test
  void hashTwiceOfHello() {
    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
    String digest = "9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50";
    assertEquals(digest, Hex.of(Sha256Hash.hashTwice(hello).bytes()));
    assertEquals(digest, Hex.of(Sha256Hash.hashTwice(Buffer.buffer(hello)).bytes()));
  }

  @Test
  void hashDisplayIsByteReversed() {
    Sha256Hash genesis = Sha256Hash.fromHex("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
    assertEquals("6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000", Hex.of(genesis.bytes()));
    assertEquals("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f", genesis.toString());
    assertEquals(genesis, Sha256Hash.of(genesis.bytes()));
    assertThrows(IllegalArgumentException.class, () -> Sha256Hash.of(new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> Sha256Hash.fromHex("00"));
  }

  /** A hash fed in pieces (buffers larger than the digest's read size) equals the one of the whole array. */
  @Test
  void hashOfALargeBuffer() {
    byte[] data = new byte[100_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 7);
    }
    assertEquals(Sha256Hash.hashTwice(data), Sha256Hash.hashTwice(Buffer.buffer(data)));
  }

  @Test
  void networkAddressMapsIpv4() {
    NetworkAddress address = NetworkAddress.of(1, "10.0.0.1", 8333);
    assertEquals("00000000000000000000ffff0a000001", Hex.of(address.address()));
    assertEquals("10.0.0.1", address.host());
    assertTrue(address.inetAddress() instanceof Inet4Address);
    assertEquals(address, NetworkAddress.of(1, address.inetAddress(), 8333));
    assertEquals(address, NetworkAddress.of(1, "::ffff:10.0.0.1", 8333));
  }

  /** RFC 5952 text, as Core prints IPv6 (its net_tests expect "102:304:506:708:90a:b0c:d0e:f10"). */
  @ParameterizedTest
  @CsvSource({
      "0102030405060708090a0b0c0d0e0f10, 102:304:506:708:90a:b0c:d0e:f10",
      "00000000000000000000000000000001, ::1",
      "00000000000000000000000000000000, ::",
      "20010db8000000000001000000000001, 2001:db8::1:0:0:1",
      "20010db8000100000000000000000001, 2001:db8:1::1",
      "fc000001000200030004000500060007, fc00:1:2:3:4:5:6:7",
  })
  void ipv6Text(String hex, String text) {
    NetworkAddress address = new NetworkAddress(0, Hex.buffer(hex).getBytes(), 0);
    assertEquals(text, address.host());
    assertEquals(address, NetworkAddress.of(0, text, 0));
  }

  @Test
  void hostsAreLiteralsOnly() {
    assertThrows(IllegalArgumentException.class, () -> NetworkAddress.of(0, "localhost", 1));
    assertThrows(IllegalArgumentException.class, () -> NetworkAddress.of(0, "256.0.0.1", 1));
    assertThrows(IllegalArgumentException.class, () -> NetworkAddress.of(0, "fe80::1%eth0", 1));
    assertThrows(IllegalArgumentException.class, () -> new NetworkAddress(0, new byte[16], 65536));
  }
}
