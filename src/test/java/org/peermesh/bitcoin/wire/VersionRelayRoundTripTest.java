package org.peermesh.bitcoin.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/**
 * A version message of a protocol version before BIP37 (70001) whose relay byte says false, as Core and the decoder
 * read it whatever the version: re-encoding it used to leave the byte out, so the bytes decoded to relay true.
 * Found by BitcoinMessagesFuzz (and the frame and codec fuzz tests, which decode the same payloads).
 */
class VersionRelayRoundTripTest {

  /** BitcoinMessagesFuzz's crashing input without its command byte: version 31900, startHeight, then relay 00. */
  private static final String FUZZ_PAYLOAD = "9c7c0000" + "0100000000000000" + "0000000000000000"
      + "010000000000000000000000000000000000ffff0a000001208d"
      + "090000007100000000000000000000000000ffff0a000002208d"
      + "dd9d202c3ab45713" + "00" + "552a8101" + "00";

  @Test
  void preBip37RelayFalseSurvivesReEncoding() {
    VersionMessage decoded = VersionMessage.decode(Hex.buffer(FUZZ_PAYLOAD));
    assertEquals(31900, decoded.protocolVersion());
    assertFalse(decoded.relay());

    Buffer payload = decoded.payload();
    assertEquals(FUZZ_PAYLOAD, Hex.of(payload), "the relay byte is written back");
    assertEquals(decoded, VersionMessage.decode(payload));
  }

  @Test
  void preBip37RelayTrueStillHasNoRelayByte() {
    String withoutRelay = FUZZ_PAYLOAD.substring(0, FUZZ_PAYLOAD.length() - 2);
    VersionMessage decoded = VersionMessage.decode(Hex.buffer(withoutRelay));
    assertTrue(decoded.relay());
    assertEquals(withoutRelay, Hex.of(decoded.payload()));
  }
}
