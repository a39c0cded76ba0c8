package org.peermesh.devp2p.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BaseMessagesTest {

  private static final byte[] EMPTY_LIST = {(byte) 0xc0};

  @Test
  void pingAndPongCarryTheEmptyList() {
    assertArrayEquals(EMPTY_LIST, PingMessage.payload());
    assertArrayEquals(EMPTY_LIST, PongMessage.payload());
    assertEquals(0x02, PingMessage.CODE);
    assertEquals(0x03, PongMessage.CODE);
  }

  @Test
  void reservesTheCodesBetweenPongAndTheSubProtocols() {
    assertEquals(0x00, HelloMessage.CODE);
    assertEquals(0x01, DisconnectMessage.CODE);
    assertFalse(BaseMessageCodes.isReserved(PongMessage.CODE));
    assertTrue(BaseMessageCodes.isReserved(0x04));
    assertTrue(BaseMessageCodes.isReserved(0x0f));
    assertFalse(BaseMessageCodes.isReserved(BaseMessageCodes.FIRST_SUBPROTOCOL));
  }

  @Test
  void knowsEveryDisconnectCodeDevp2pDefines() {
    assertEquals(13, Devp2pDisconnectReason.values().length);
    assertEquals(Optional.of(Devp2pDisconnectReason.READ_TIMEOUT), Devp2pDisconnectReason.fromCode(0x0b));
    assertEquals(Optional.of(Devp2pDisconnectReason.SUBPROTOCOL_ERROR), Devp2pDisconnectReason.fromCode(0x10));
    assertEquals(Optional.empty(), Devp2pDisconnectReason.fromCode(0x0c));
    assertEquals("breach of protocol", Devp2pDisconnectReason.PROTOCOL_ERROR.words());
  }
}
