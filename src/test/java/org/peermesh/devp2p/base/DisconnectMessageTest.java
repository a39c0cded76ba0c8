package org.peermesh.devp2p.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.peermesh.devp2p.rlp.RlpException;
import org.peermesh.net.MalformedInputException;

class DisconnectMessageTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void decodesTheListForm() {
    assertEquals(Optional.of(Devp2pDisconnectReason.TOO_MANY_PEERS), decode("c104").reason());
  }

  @Test
  void decodesTheBareIntegerEthereumjsSends() {
    assertEquals(Optional.of(Devp2pDisconnectReason.TOO_MANY_PEERS), decode("04").reason());
    assertEquals(Optional.of(Devp2pDisconnectReason.SUBPROTOCOL_ERROR), decode("10").reason());
  }

  @Test
  void readsAnEmptyListOrZeroAsRequested() {
    assertEquals(Optional.of(Devp2pDisconnectReason.REQUESTED), decode("c0").reason());
    assertEquals(Optional.of(Devp2pDisconnectReason.REQUESTED), decode("80").reason());
    assertEquals(Optional.of(Devp2pDisconnectReason.REQUESTED), decode("c180").reason());
  }

  @Test
  void ignoresExtraElementsAndTrailingBytes() {
    assertEquals(3, decode("c303c101").reasonCode());
    assertEquals(3, decode("c103ffff").reasonCode());
  }

  @Test
  void keepsAnUnknownCodeAsANumber() {
    DisconnectMessage unknown = decode("c142");

    assertEquals(0x42, unknown.reasonCode());
    assertEquals(Optional.empty(), unknown.reason());
    assertEquals("unknown disconnect reason 66", unknown.toString());
    assertEquals(255, decode("81ff").reasonCode());
  }

  @Test
  void encodesTheListFormAndRoundTripsEveryReason() {
    assertEquals("c180", HEX.formatHex(DisconnectMessage.of(Devp2pDisconnectReason.REQUESTED).encode()));
    assertEquals("c110", HEX.formatHex(DisconnectMessage.of(Devp2pDisconnectReason.SUBPROTOCOL_ERROR).encode()));
    for (Devp2pDisconnectReason reason : Devp2pDisconnectReason.values()) {
      DisconnectMessage message = DisconnectMessage.of(reason);
      assertEquals(message, DisconnectMessage.decode(message.encode()));
      assertEquals(reason.words(), message.toString());
    }
    assertEquals("c281ff", HEX.formatHex(new DisconnectMessage(255).encode()));
  }

  @Test
  void refusesEveryTruncation() {
    for (String whole : new String[] {"c104", "04", "c0", "81ff", "c281ff", "c303c101"}) {
      byte[] bytes = HEX.parseHex(whole);
      for (int length = 0; length < bytes.length; length++) {
        byte[] truncated = Arrays.copyOf(bytes, length);
        // Every prefix is a list or string claiming more bytes than it has, or nothing at all.
        assertThrows(MalformedInputException.class, () -> DisconnectMessage.decode(truncated),
            whole + " cut to " + length);
      }
    }
  }

  @Test
  void refusesReasonsThatAreNotAByte() {
    assertEquals("bad_reason", assertThrows(Devp2pBaseException.class, () -> decode("c3820100")).kind());
    assertEquals("bad_reason", assertThrows(Devp2pBaseException.class, () -> decode("820100")).kind());
    assertEquals("bad_integer", assertThrows(RlpException.class, () -> decode("c3820001")).kind());
    assertEquals("not_a_string", assertThrows(RlpException.class, () -> decode("c1c0")).kind());
    assertThrows(IllegalArgumentException.class, () -> new DisconnectMessage(256));
  }

  private static DisconnectMessage decode(String hex) {
    return DisconnectMessage.decode(HEX.parseHex(hex));
  }
}
