package org.peermesh.devp2p.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.peermesh.devp2p.rlp.Rlp;
import org.peermesh.devp2p.rlp.RlpException;
import org.peermesh.devp2p.rlp.RlpList;
import org.peermesh.devp2p.rlp.RlpString;
import org.peermesh.net.MalformedInputException;

class HelloMessageTest {

  private static final HexFormat HEX = HexFormat.of();

  /**
   * ethereum/EIPs EIPS/eip-8.md, "devp2p Base Protocol": a Hello with extra list elements ({@code ["foo", "bar"]},
   * 3, 4). The prose says version 22, but the bytes encode 55 (0x37).
   */
  private static final byte[] EIP8_HELLO = HEX.parseHex(
      "f87137916b6e6574682f76302e39312f706c616e39cdc5836574683dc6846d6f726b1682270fb840"
          + "fda1cff674c90c9a197539fe3dfb53086ace64f83ed7c6eabec741f7f381cc803e52ab2cd55d5569"
          + "bce4347107a310dfd5f88a010cd2ffd1005ca406f1842877c883666f6f836261720304");
  private static final byte[] EIP8_NODE_ID = Arrays.copyOfRange(EIP8_HELLO, 38, 38 + 64);

  @Test
  void decodesEip8HelloIgnoringItsExtraElements() {
    HelloMessage hello = HelloMessage.decode(EIP8_HELLO);

    assertEquals(55, hello.protocolVersion());
    assertEquals("kneth/v0.91/plan9", hello.clientId());
    assertEquals(List.of(new Capability("eth", 61), new Capability("mork", 22)), hello.capabilities());
    assertEquals(9999, hello.listenPort());
    assertEquals("fda1cff674c90c9a", HEX.formatHex(hello.nodeId64()).substring(0, 16));
    assertEquals(64, hello.nodeId64().length);
    assertTrue(hello.usesSnappy());
  }

  @Test
  void ignoresBytesAfterTheList() {
    byte[] withTrailing = Arrays.copyOf(EIP8_HELLO, EIP8_HELLO.length + 3);
    withTrailing[EIP8_HELLO.length] = (byte) 0xff;

    assertEquals(HelloMessage.decode(EIP8_HELLO), HelloMessage.decode(withTrailing));
  }

  @Test
  void ignoresExtraElementsInACapability() {
    RlpList capability = RlpList.of(RlpString.of("eth"), RlpString.of(68), RlpString.of("extra"));

    assertEquals(List.of(new Capability("eth", 68)),
        HelloMessage.decode(hello(RlpString.of("c"), RlpList.of(capability))).capabilities());
  }

  @Test
  void roundTripsWhatItEncodes() {
    HelloMessage ours = new HelloMessage(HelloMessage.PROTOCOL_VERSION, "PeerMesh/0.1",
        List.of(new Capability("eth", 67), new Capability("eth", 68), new Capability("snap", 1)), 0, EIP8_NODE_ID);

    HelloMessage decoded = HelloMessage.decode(ours.encode());

    assertEquals(ours, decoded);
    assertArrayEquals(ours.encode(), decoded.encode());
  }

  @Test
  void reEncodesTheEip8HelloWithoutItsExtras() {
    byte[] encoded = HelloMessage.decode(EIP8_HELLO).encode();

    // The same fields, the list 113 - 11 bytes of extras = 102 long.
    assertEquals("f866" + HEX.formatHex(EIP8_HELLO, 2, EIP8_HELLO.length - 11), HEX.formatHex(encoded));
  }

  @Test
  void readsClientIdsThatAreNotUtf8WithReplacementCharacters() {
    byte[] payload = hello(RlpString.of(new byte[] {(byte) 0xff}), RlpList.EMPTY);

    assertEquals("\ufffd", HelloMessage.decode(payload).clientId());
  }

  @Test
  void refusesAHelloOverTwoKibibytesBeforeReadingIt() {
    byte[] tooLarge = new byte[HelloMessage.MAX_SIZE + 1];

    Devp2pBaseException e = assertThrows(Devp2pBaseException.class, () -> HelloMessage.decode(tooLarge));
    assertEquals("too_large", e.kind());
  }

  @Test
  void refusesEveryTruncationWithAMalformedInputException() {
    for (int length = 0; length < EIP8_HELLO.length; length++) {
      byte[] truncated = Arrays.copyOf(EIP8_HELLO, length);
      assertThrows(MalformedInputException.class, () -> HelloMessage.decode(truncated), "length " + length);
    }
  }

  @Test
  void refusesFieldsOfTheWrongShape() {
    assertEquals("not_a_list", assertThrows(RlpException.class, () -> HelloMessage.decode(HEX.parseHex("05"))).kind());
    assertEquals("missing", assertThrows(RlpException.class,
        () -> HelloMessage.decode(HEX.parseHex("c40580c080"))).kind());
    assertEquals("not_a_list", assertThrows(RlpException.class,
        () -> HelloMessage.decode(HEX.parseHex("c6058080808080"))).kind());
    assertEquals("bad_integer", assertThrows(RlpException.class,
        () -> HelloMessage.decode(HEX.parseHex("c7820005" + "80c08080"))).kind());
  }

  @Test
  void isImmutable() {
    byte[] id = EIP8_NODE_ID.clone();
    HelloMessage hello = new HelloMessage(5, "c", List.of(), 0, id);
    id[0] ^= 1;
    hello.nodeId64()[1] ^= 1;

    assertArrayEquals(EIP8_NODE_ID, hello.nodeId64());
    assertFalse(new HelloMessage(4, "c", List.of(), 0, id).usesSnappy());
  }

  /** A Hello of version 5, port 0 and the EIP-8 node id, with the given client id and capabilities. */
  private static byte[] hello(RlpString clientId, RlpList capabilities) {
    return Rlp.encode(RlpList.of(RlpString.of(5), clientId, capabilities, RlpString.EMPTY, RlpString.of(EIP8_NODE_ID)));
  }
}
