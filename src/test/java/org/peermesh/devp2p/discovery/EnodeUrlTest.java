package org.peermesh.devp2p.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** enode URLs as geth's p2p/enode/urlv4_test.go writes them, both ways, and malformed ones refused. */
class EnodeUrlTest {

  private static final String ID = "1dd9d65c4552b5eb43d5ad55a2ee3f56c6cbc1c64a5c8d659f51fcd51bace24351232b8d7821617d2b2"
      + "9b54b81cdefb9b3e9c37d7fd5f63270bcc9e1a6f6a439";

  @Test
  void ipv4WithTheSamePortsAndADiscport() {
    EnodeUrl url = EnodeUrl.parse("enode://" + ID + "@127.0.0.1:52150");
    assertEquals(new EnodeUrl(NodeId.fromHex(ID), "127.0.0.1", 52150, 52150), url);
    assertEquals("enode://" + ID + "@127.0.0.1:52150", url.toString());
    EnodeUrl withDiscport = EnodeUrl.parse("enode://" + ID + "@127.0.0.1:52150?discport=22334");
    assertEquals(new EnodeUrl(NodeId.fromHex(ID), "127.0.0.1", 52150, 22334), withDiscport);
    assertEquals("enode://" + ID + "@127.0.0.1:52150?discport=22334", withDiscport.toString());
  }

  @Test
  void ipv6InBracketsAndHostNames() {
    EnodeUrl url = EnodeUrl.parse("enode://" + ID + "@[::ffff:127.0.0.1]:52150");
    assertEquals("::ffff:127.0.0.1", url.host());
    assertEquals("enode://" + ID + "@[::ffff:127.0.0.1]:52150", url.toString());
    assertEquals("boot.example.org", EnodeUrl.parse("enode://" + ID + "@boot.example.org:30303").host());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "enode://", "enr:-abc", "http://" + ID + "@127.0.0.1:1", "enode://" + ID + "@127.0.0.1",
      "enode://" + ID + "@127.0.0.1:65536", "enode://" + ID + "@127.0.0.1:1?discport=", "enode://" + ID
      + "@127.0.0.1:1?discport=70000", "enode://" + ID + "@127.0.0.1:1?foo=1", "enode://01@127.0.0.1:1",
      "enode://" + ID + "zz@127.0.0.1:1", "enode://" + ID + "@127.0.0.1:1/path", "enode://" + ID + "@[::1:1",
      "enode://" + ID + "@127.0.0.1:1#x", "enode://@127.0.0.1:1"})
  void malformedUrlsAreRefused(String url) {
    assertEquals("bad_enode", assertThrows(Discv4Exception.class, () -> EnodeUrl.parse(url)).kind());
  }
}
